import Engine
import L1Watcher
import Logging
import Primitives
import RPC
import Synchronization

/// rollupNode_ and rollupNodeAdmin_ over the sequencer and the L1 watcher.
struct NodeRollupBackend: RPCRollupBackend {
    let chain: Chain
    let sequencer: Sequencer<Mempool, ContinuousClock>?
    let watcher: L1Watcher?
    var follower: Follower? = nil

    func rollupStatus() async throws -> RPCRollupStatus {
        let head = chain.headBlock
        let l1 = watcher?.status
        var status = RPCRollupStatus(automaticSequencing: sequencer?.isEnabled ?? false, headNumber: head.number, headHash: head.hash,
                               l1Latest: l1?.latestBlock, l1Finalized: l1?.finalizedBlock, l1Processed: l1?.lastProcessedBlock,
                               nextL1QueueIndex: chain.nextL1QueueIndex, pendingL1Messages: l1?.pendingMessageCount ?? 0,
                               isSyncing: watcher.map { !$0.isCaughtUp } ?? false)
        status.mode = sequencer != nil ? "sequencer" : follower != nil ? "follower" : "node"
        if let f = follower?.status {
            status.follower = RPCFollowerStatus(following: f.following, sourceHead: f.sourceHead, importedBlocks: f.importedBlocks,
                                                refusedBlocks: f.refusedBlocks, doubleSignEvidence: f.doubleSignEvidence,
                                                rollbacks: f.rollbacks, lastError: f.lastError)
        }
        return status
    }

    func l1Message(queueIndex: UInt64) async throws -> RPCL1Message? {
        guard let m = try watcher?.message(queueIndex: queueIndex) else { return nil }
        return RPCL1Message(message: m.transaction, l1BlockNumber: m.l1BlockNumber, l2BlockNumber: m.includedInL2Block,
                            queueHash: m.rollingHash)
    }

    func setAutomaticSequencing(_ enabled: Bool) async throws -> Bool {
        guard let sequencer else {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "this node is not a sequencer: start it with --sequencer.enabled")
        }
        try sequencer.setAutomaticSequencing(enabled)
        return true
    }

    func revertToL1Block(_ number: UInt64) async throws -> Bool {
        guard let watcher else {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "no L1 is configured (--l1.url): there is nothing to revert to")
        }
        _ = try await watcher.revertToL1Block(number)
        return true
    }
}

/// The clock of block timestamps on a development chain: the system clock plus an offset that
/// `evm_increaseTime` moves forward, and a timestamp `evm_setNextBlockTimestamp` asks for the
/// next block (kept until a block with it is committed; then the clock goes on from it). The
/// offset lives in memory: a restart goes back to the system clock (block timestamps never go
/// below their parent's, so the chain stays ordered).
final class DevelopmentClock: Sendable {
    private let state = Mutex<(offset: Int64, next: UInt64?)>((0, nil))
    let system: @Sendable () -> UInt64

    init(system: @escaping @Sendable () -> UInt64) { self.system = system }

    /// The timestamp for a block built now.
    func blockTimestamp() -> UInt64 {
        let now = Int64(system())
        return state.withLock { s in s.next ?? UInt64(max(0, now + s.offset)) }
    }

    func increase(by seconds: UInt64) -> Int64 {
        state.withLock { s in
            s.offset += Int64(min(seconds, UInt64(Int64.max / 2)))
            return s.offset
        }
    }

    func setNext(_ timestamp: UInt64) {
        state.withLock { $0.next = timestamp }
    }

    /// Called for each committed block: a block that reached the asked timestamp ends the
    /// request, and the clock continues from there.
    func committed(timestamp: UInt64) {
        let now = Int64(system())
        state.withLock { s in
            guard let next = s.next, timestamp >= next else { return }
            s.next = nil
            s.offset = Int64(min(next, UInt64(Int64.max / 2))) - now
        }
    }
}

/// anvil's mining and snapshot methods on a development chain (`--test` with a sequencer).
///
/// Snapshots are (number, hash) of the head, kept in memory: a restart forgets them (the
/// blocks and rollbacks they led to are on disk like any others). A revert is an ``L2Rollback``
/// between the sequencer's slots, as an L1-reorg rollback, except that the removed blocks'
/// transactions are dropped instead of returning to the pool: a test that reverts wants them gone.
final class DevelopmentChainControl: RPCDevelopmentBackend, Sendable {
    let rollback: L2Rollback
    let sequencer: Sequencer<Mempool, ContinuousClock>
    let clock: DevelopmentClock
    let logger: Logger
    private let snapshots = Mutex<(next: UInt64, heads: [UInt64: (number: UInt64, hash: Hash32)])>((0, [:]))
    var chain: Chain { rollback.chain }

    init(rollback: L2Rollback, sequencer: Sequencer<Mempool, ContinuousClock>, clock: DevelopmentClock, logger: Logger) {
        self.rollback = rollback; self.sequencer = sequencer; self.clock = clock; self.logger = logger
    }

    func increaseTime(by seconds: UInt64) async throws -> Int64 {
        clock.increase(by: seconds)
    }

    func setNextBlockTimestamp(_ timestamp: UInt64) async throws {
        let head = chain.headBlock.header.timestamp
        guard timestamp >= head else {
            throw JSONRPCError.invalidParams("invalid argument 0: timestamp \(timestamp) is below the head block's timestamp \(head)")
        }
        clock.setNext(timestamp)
    }

    func setAutomine(_ on: Bool) async throws {
        try sequencer.setAutomaticSequencing(on)
    }

    func automine() async throws -> Bool { sequencer.isEnabled }

    func edit(_ edit: RPCStateEdit) async throws {
        var e = StateEdit(address: edit.address, balance: edit.balance, nonce: edit.nonce, code: edit.code)
        for (slot, value) in edit.storage { e.storage[U256(bigEndian: slot.bytes)!] = U256(bigEndian: value.bytes)! }
        try await mine(count: 1, timestamp: nil, stateEdits: [e])
        logger.info("Development state edit", metadata: ["address": "\(edit.address)", "block": "\(chain.headBlock.number)"])
    }

    func mine(count: Int, timestamp: UInt64?) async throws {
        try await mine(count: count, timestamp: timestamp, stateEdits: [])
    }

    private func mine(count: Int, timestamp: UInt64?, stateEdits: [StateEdit]) async throws {
        // evm_mine [timestamp] sets the clock, as anvil does: later blocks go on from it.
        if let timestamp { try await setNextBlockTimestamp(timestamp) }
        for outcome in await sequencer.mine(count: count, stateEdits: stateEdits) {
            switch outcome {
            case .produced: continue
            case .waitingForL1:
                throw JSONRPCError.server("no block: the L1 watcher is catching up with L1; try again")
            case .failed(let error):
                throw JSONRPCError.server("no block: \(error)")
            case .disabled, .nothingToInclude:
                throw JSONRPCError.server("no block was produced")
            }
        }
    }

    func snapshot() async throws -> UInt64 {
        let head = chain.headBlock
        return snapshots.withLock { s in
            defer { s.next += 1 }
            s.heads[s.next] = (head.number, head.hash)
            return s.next
        }
    }

    func revert(to id: UInt64) async throws -> Bool {
        guard let target = snapshots.withLock({ $0.heads[id] }) else { return false }
        let result: Result<Void, any Error> = await sequencer.betweenSlots {
            do {
                guard try chain.canonicalHash(number: target.number) == target.hash else {
                    throw JSONRPCError.server("snapshot \(id) is not on the chain any more (block \(target.number) was replaced)")
                }
                let from = chain.headBlock.number
                let (removed, _) = try await rollback.perform(to: target.number, returnTransactions: false)
                logger.info("evm_revert: rolled the chain back", metadata: [
                    "snapshot": "\(id)", "from": "\(from)", "to": "\(target.number)", "transactions_dropped": "\(removed)",
                ])
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success:
            snapshots.withLock { s in s.heads = s.heads.filter { $0.key < id } }
            return true
        case .failure(let error as JSONRPCError):
            throw error
        case .failure(let error):
            throw JSONRPCError.server("evm_revert failed: \(error)")
        }
    }
}
