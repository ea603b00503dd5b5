import Engine
import Foundation
import JSON
import Logging
import Primitives
import RPC
import ServiceLifecycle
import Synchronization

/// Serves `rollupNode_getSignedBlocks`, the followers' transport (docs/followers.md): a long
/// poll that answers at once with the blocks a follower misses, or parks until the next block is
/// committed and answers then. So a new block reaches every waiting follower as soon as the chain
/// commits it: the commit only resumes the parked calls (no I/O on the committing thread, never
/// a wait for a follower); each response is encoded and written by the RPC server's own tasks.
///
/// Every node serves it (followers too, so that followers can follow followers). On the
/// sequencer (`announce`), each committed block is logged as `Broadcast block` with the number
/// of followers connected (those that polled in the last 30 s).
final class SignedBlockFeed: Sendable {
    let chain: Chain
    let announce: Bool
    let logger: Logger

    /// The largest batch a call may ask for, and the raw bytes one response carries at most
    /// (at least one block always goes).
    static let maxBlocksPerCall = 256
    static let maxResponseBytes = 4 << 20
    /// The longest wait a call may ask for.
    static let maxWait: Duration = .seconds(20)
    /// A follower counts as connected this long after its last call.
    static let followerTimeout: Duration = .seconds(30)

    private struct State {
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var followers: [String: ContinuousClock.Instant] = [:]
        var closed = false
        /// When this node committed its recent blocks (wall clock, ms), by hash.
        var commitTimes: [Hash32: UInt64] = [:]
        var commitOrder: [Hash32] = []
        /// The JSON of recent blocks, so that each is encoded once however many followers take it.
        var encoded: [Hash32: (json: JSONValue, rawSize: Int)] = [:]
        var encodedOrder: [Hash32] = []
    }

    /// How many encoded blocks are kept (a catch-up batch and more).
    static let encodedKept = 128

    /// How many recent blocks keep their commit time.
    static let commitTimesKept = 4096
    private let state = Mutex(State())

    init(chain: Chain, announce: Bool, logger: Logger) {
        self.chain = chain
        self.announce = announce
        self.logger = logger
    }

    /// Registers with the chain; call once.
    func start() {
        chain.onNewHead { [self] block in headChanged(block) }
    }

    /// At shutdown: answers every parked call now and parks no more, so that the RPC server's
    /// graceful shutdown does not wait for long polls.
    func close() {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.closed = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Followers that called in the last `followerTimeout`.
    var connectedFollowers: Int {
        let now = ContinuousClock.now
        return state.withLock { s in s.followers.values.filter { now - $0 < Self.followerTimeout }.count }
    }

    func headChanged(_ block: SealedBlock) {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let (waiting, followers) = state.withLock { s -> ([CheckedContinuation<Void, Never>], Int) in
            if s.commitTimes.updateValue(now, forKey: block.hash) == nil { s.commitOrder.append(block.hash) }
            if s.commitOrder.count > Self.commitTimesKept {
                for old in s.commitOrder.prefix(s.commitOrder.count - Self.commitTimesKept) { s.commitTimes.removeValue(forKey: old) }
                s.commitOrder.removeFirst(s.commitOrder.count - Self.commitTimesKept)
            }
            let w = Array(s.waiters.values)
            s.waiters.removeAll(keepingCapacity: true)
            let now = ContinuousClock.now
            s.followers = s.followers.filter { now - $0.value < Self.followerTimeout }
            return (w, s.followers.count)
        }
        for continuation in waiting { continuation.resume() }
        if announce {
            logger.info("Broadcast block", metadata: ["number": "\(block.number)", "hash": "\(block.hash)",
                                                      "followers": "\(followers)"])
        }
    }

    /// Waits until the head is no longer `hash`, or `deadline`.
    private func waitForHead(other hash: Hash32, until deadline: ContinuousClock.Instant) async {
        let id = state.withLock { s -> Int in s.nextWaiter += 1; return s.nextWaiter }
        let timer = Task { [self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            wake(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.closed || chain.headBlock.hash != hash || ContinuousClock.now >= deadline || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
        timer.cancel()
    }

    private func wake(_ id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }

    /// `rollupNode_getSignedBlocks [{"from", "parentHash", "max"?, "waitMs"?, "follower"?}]`.
    func getSignedBlocks(_ params: RPCParams) async throws -> JSONValue {
        let argument = try params.required(0)
        guard case .object(let object) = argument.value else { throw argument.invalid("expected an object {\"from\", \"parentHash\"}") }
        func member(_ key: String) -> RPCParams.Member? { object[key].flatMap { $0.isNull ? nil : argument.member(key, $0) } }
        guard let fromMember = member("from") else { throw argument.invalid("from: missing (the first block number wanted)") }
        let from = try fromMember.flexibleUInt64()
        guard from >= 1 else { throw fromMember.invalid("must be at least 1 (genesis is not signed)") }
        guard let parentMember = member("parentHash") else { throw argument.invalid("parentHash: missing (the hash of block from - 1, the caller's head)") }
        let parentHash = try parentMember.hash()
        let maxBlocks = Int(min(try member("max")?.flexibleUInt64() ?? 64, UInt64(Self.maxBlocksPerCall)))
        guard maxBlocks >= 1 else { throw argument.invalid("max: must be at least 1") }
        let waitMs = min(try member("waitMs")?.flexibleUInt64() ?? 0, UInt64(Self.maxWait.components.seconds * 1000))
        if let id = object["follower"]?.stringValue, !id.isEmpty {
            let trimmed = String(id.prefix(64))
            state.withLock { $0.followers[trimmed] = .now }
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(waitMs))
        while true {
            let head = chain.headBlock
            if head.number >= from - 1 {
                let canonical = try chain.canonicalHash(number: from - 1)
                guard canonical == parentHash else { return try divergence(from: from, head: head) }
                if head.number >= from { return try blocks(from: from, parent: parentHash, max: maxBlocks, head: head) }
            } else if try withdrawn(parentHash, height: from - 1) {
                // Below the caller's head because this node rolled back past it.
                return try divergence(from: from, head: head)
            }
            // Caught up (or this node is behind the caller): wait for the next block.
            if ContinuousClock.now >= deadline || Task.isCancelled || state.withLock({ $0.closed }) {
                return ["head": Self.headJSON(head), "blocks": []]
            }
            await waitForHead(other: head.hash, until: deadline)
        }
    }

    private static func headJSON(_ head: SealedBlock) -> JSONValue {
        ["number": .string(Hex.encodeQuantity(head.number)), "hash": .string(head.hash.hex)]
    }

    /// Blocks `from`… on top of `parent`, stopping where a concurrent rollback changed the chain.
    private func blocks(from: UInt64, parent: Hash32, max: Int, head: SealedBlock) throws -> JSONValue {
        var out: [JSONValue] = []
        var bytes = 0
        var expectedParent = parent
        var number = from
        while number <= head.number, out.count < max, out.isEmpty || bytes < Self.maxResponseBytes {
            guard let block = try chain.block(number: number), block.header.parentHash == expectedParent,
                  let (json, size) = try encoded(block) else { break }
            out.append(json)
            bytes += size
            expectedParent = block.hash
            number += 1
        }
        return ["head": Self.headJSON(head), "blocks": .array(out)]
    }

    /// Whether the caller's head (above this node's head) is a block this node withdrew: one it
    /// knows but no longer has as canonical. (A head this node never saw is not judged by height
    /// against old notices: the caller may be ahead on the current chain while this node catches
    /// up; it waits until this node reaches that height, where the canonical hash decides.)
    private func withdrawn(_ hash: Hash32, height: UInt64) throws -> Bool {
        try chain.header(hash: hash) != nil
    }

    /// A block's wire JSON (with its commit time while known), from the cache or encoded now.
    private func encoded(_ block: SealedBlock) throws -> (JSONValue, Int)? {
        if let hit = state.withLock({ $0.encoded[block.hash] }) { return hit }
        guard let message = try SignedBlockMessage(chain: chain, block: block) else { return nil }
        var object = message.object
        let committedAt = state.withLock { $0.commitTimes[block.hash] }
        if let committedAt { object.append("committedAt", .number(JSONNumber(committedAt))) }
        let entry = (json: JSONValue.object(object), rawSize: message.rawSize)
        state.withLock { s in
            if s.encoded.updateValue(entry, forKey: block.hash) == nil { s.encodedOrder.append(block.hash) }
            if s.encodedOrder.count > Self.encodedKept { s.encoded.removeValue(forKey: s.encodedOrder.removeFirst()) }
        }
        return entry
    }

    /// The caller's head is not on this node's chain: the rollback notices that may withdraw it
    /// (target below its height, withdrawn head at or above it) and this node's own signed block
    /// at that height, so that the caller can tell a rollback from a second signed block.
    private func divergence(from: UInt64, head: SealedBlock) throws -> JSONValue {
        let height = from - 1
        let notices = try chain.rollbackNotices().filter { $0.toNumber < height && $0.fromNumber >= height }.suffix(32)
        var conflict: JSONValue = .null
        if let block = try chain.block(number: height), let message = try SignedBlockMessage(chain: chain, block: block) {
            conflict = message.json
        }
        return ["head": Self.headJSON(head), "blocks": [], "rollbacks": .array(notices.map(\.json)), "conflict": conflict]
    }
}

/// Closes the feed when the node begins its graceful shutdown.
struct SignedBlockFeedService: Service {
    let feed: SignedBlockFeed
    func run() async throws {
        try? await gracefulShutdown()
        feed.close()
    }
}
