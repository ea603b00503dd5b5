import Logging
import Primitives
import Storage
import Synchronization

/// Follows the L1 message queue: polls L1 JSON-RPC endpoints (with failover), stores each
/// QueueTransaction message with its rolling queue hash, follows L1 finality and reorgs, and tells
/// the sequencer which messages it may include in the next block.
///
/// - `step()` does one round of work (poll the heads, check for a reorg, read one range of logs,
///   commit it with the cursor); `run()` is a thin loop around it for the node's service group.
/// - `eligibleMessages(startingAt:max:gasLimit:)` and `status` never wait for the network: they
///   read the database and the last L1 heads seen.
/// - Messages live in RocksDB (`L1Watcher.columnFamilies`), committed atomically with the cursor,
///   so a restart resumes from the last processed block.
public final class L1Watcher: Sendable {
    /// Column families the node must open the database with (see `L1MessageStore`).
    public static let columnFamilies: [String] = L1MessageStore.columnFamilies

    public let configuration: Configuration
    let store: L1MessageStore
    let client: L1RPCClient?
    let clock: L1WatcherClock
    let logger: Logger
    let gate = AsyncGate()
    let state: Mutex<State>
    /// Held while removing messages (reorg, revert) and while recording inclusions, so an
    /// inclusion is always checked against the messages as they are.
    let inclusionLock = Mutex(())
    let reorgHandler: Mutex<(any L1ReorgHandler)?>

    struct State {
        var latest: L1BlockHeader?
        var finalized: L1BlockHeader?
        var cursor: L1Cursor?
        /// The queue index the next new message must have.
        var nextQueueIndex: UInt64
        var lastRollingHash: Hash32?
        var lastMessageBlock: UInt64?
        /// One past the highest queue index recorded as included.
        var includedNext: UInt64
        /// Inclusions at or above this index must be checked against the messages (set by reorgs).
        var reorgCheckFrom: UInt64?
        var reorgForkBlock: UInt64?
        var cleanSweeps = 0
        var delivered: Set<L1MessagesRemoved> = []
        var queryRange: UInt64
        var lastStepSucceeded = false
        var lastError: String?
        var lastPollAt: Duration?
        var warnedNoFinalized = false
        var steps = 0
    }

    /// Opens the watcher's tables in `database` (opened with `L1Watcher.columnFamilies`).
    ///
    /// - Parameters:
    ///   - transport: how requests reach the endpoints; required when `configuration.endpoints`
    ///     is not empty.
    ///   - reorgHandler: told when an L1 reorg removed messages that L2 blocks included (also
    ///     settable later with `setReorgHandler`).
    ///   - clock: times polls, backoff and endpoint health; `ContinuousClock` unless testing
    ///     (tests pass TestSupport's `ManualClock`).
    /// - Throws: `.invalidConfiguration`, `.datadirMismatch` when the datadir holds messages
    ///   read from another L1 chain, queue contract or start block, `.storage`.
    public init(configuration: Configuration, database: RocksDatabase, transport: (any L1Transport)?,
                reorgHandler: (any L1ReorgHandler)? = nil, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger = Logger(label: "watcher")) throws(L1WatcherError) {
        try configuration.validate()
        self.configuration = configuration
        self.store = try L1MessageStore(database)
        self.clock = L1WatcherClock(clock)
        self.logger = logger
        self.reorgHandler = Mutex(reorgHandler)
        if configuration.isEnabled {
            guard let transport else {
                throw L1WatcherError(code: .invalidConfiguration, message: "L1 endpoints are configured but no transport was given", isTransient: false)
            }
            client = L1RPCClient(
                urls: configuration.endpoints, transport: transport, clock: self.clock,
                settings: .init(timeout: configuration.requestTimeout, maxAttempts: configuration.maxAttempts,
                                initialCooldown: configuration.initialBackoff, maxCooldown: configuration.maxBackoff,
                                expectedChainID: configuration.chainID),
                logger: logger)
            try Self.checkIdentity(configuration, store)
        } else {
            client = nil
        }
        let cursor = try store.cursor()
        let last = try store.lastMessage()
        let included = try store.lastInclusion()
        let reorgCheckFrom = try store.metaNumber(.reorgCheckFrom)
        state = Mutex(State(
            cursor: cursor,
            nextQueueIndex: last.map { $0.queueIndex + 1 } ?? configuration.firstQueueIndex,
            lastRollingHash: last?.rollingHash, lastMessageBlock: last?.l1BlockNumber,
            includedNext: included.map { $0.0 + 1 } ?? configuration.firstQueueIndex,
            reorgCheckFrom: reorgCheckFrom, queryRange: configuration.queryRange))
        if configuration.isEnabled {
            let resume = cursor.map { "resuming after L1 block \($0.number)" } ?? "starting at L1 block \(configuration.startBlock)"
            logger.info("L1 watcher: \(configuration.endpoints.count) endpoint(s) (\(configuration.endpoints.map(L1RPCClient.redacted).joined(separator: ", "))), queue \(configuration.messageQueue), inclusion mode \(configuration.inclusionMode), \(resume), next queue index \(last.map { $0.queueIndex + 1 } ?? configuration.firstQueueIndex)")
        } else {
            logger.info("L1 watcher: no L1 configured; no L1 messages will be included")
        }
    }

    /// Sets (or replaces) the reorg handler.
    public func setReorgHandler(_ handler: (any L1ReorgHandler)?) {
        reorgHandler.withLock { $0 = handler }
    }

    static func identity(_ c: Configuration) -> [UInt8] {
        L1MessageStore.key(c.chainID) + c.messageQueue.bytes + L1MessageStore.key(c.startBlock) + L1MessageStore.key(c.firstQueueIndex)
    }

    /// The datadir remembers which L1 its messages came from; another one is refused.
    static func checkIdentity(_ c: Configuration, _ store: L1MessageStore) throws(L1WatcherError) {
        let wanted = identity(c)
        if let stored = try store.metaBytes(.identity) {
            guard stored == wanted else {
                var description = "another L1 configuration"
                if stored.count == 64, let chain = L1MessageStore.number(stored[0..<8]), let start = L1MessageStore.number(stored[28..<36]) {
                    description = "L1 chain \(chain), queue \(Address(stored[8..<28])), start block \(start)"
                }
                throw L1WatcherError(
                    code: .datadirMismatch,
                    message: "the datadir's L1 messages were read from \(description), but the chain spec says L1 chain \(c.chainID), queue \(c.messageQueue), start block \(c.startBlock); use the matching chain spec or a fresh datadir",
                    isTransient: false)
            }
            return
        }
        var batch = WriteBatch()
        batch.put(L1MessageStore.metaKey(.identity), wanted, in: store.meta)
        try store.write(batch, "the L1 identity")
    }

    // MARK: - What the sequencer asks

    /// Up to `max` messages that may go into the next L2 block: contiguous from `queueIndex`,
    /// stopping at the first missing or not-yet-eligible message (never skipping ahead), with
    /// cumulative `gasLimit` within `gasLimit`. Never waits for the network; returns none when
    /// no L1 is configured, and none above a message that a recent L1 reorg may have removed
    /// until that is settled. A storage failure is logged and yields the messages read so far.
    public func eligibleMessages(startingAt queueIndex: UInt64, max: Int, gasLimit: UInt64) -> [L1MessageTransaction] {
        guard client != nil, max > 0 else { return [] }
        let (through, blockedAbove) = state.withLock { s in
            (configuration.inclusionMode.eligibleThrough(latest: s.latest?.number, finalized: s.finalized?.number), s.reorgCheckFrom)
        }
        guard let through else { return [] }
        if let blockedAbove, queueIndex > blockedAbove { return [] }
        var out: [L1MessageTransaction] = []
        out.reserveCapacity(Swift.min(max, 256))
        var gas: UInt64 = 0
        var expected = queueIndex
        do {
            try store.forEachMessage(from: queueIndex) { index, bytes in
                guard index == expected, let message = try? L1Message(storage: bytes), message.l1BlockNumber <= through else { return false }
                let (sum, overflow) = gas.addingReportingOverflow(message.transaction.gasLimit)
                guard !overflow, sum <= gasLimit else { return false }
                gas = sum
                out.append(message.transaction)
                expected += 1
                return out.count < max
            }
        } catch {
            logger.error("reading eligible L1 messages from \(queueIndex) failed: \(error)")
        }
        return out
    }

    /// Whether the watcher has processed the L1 head it last saw (and that poll succeeded).
    /// Always true without an L1.
    public var isCaughtUp: Bool {
        guard client != nil else { return true }
        return state.withLock { Self.caughtUp($0) }
    }

    static func caughtUp(_ s: State) -> Bool {
        guard s.lastStepSucceeded, let latest = s.latest, let cursor = s.cursor else { return false }
        return cursor.number >= latest.number
    }

    /// A stored message with its inclusion, for `rollupNode_getL1MessageByIndex`.
    public func message(queueIndex: UInt64) throws(L1WatcherError) -> L1Message? {
        guard var message = try store.message(queueIndex) else { return nil }
        if let inclusion = try store.inclusion(queueIndex), inclusion.transactionHash == message.transactionHash {
            message.includedInL2Block = inclusion.l2Block
        }
        return message
    }

    // MARK: - Inclusion records

    /// Records that L2 block `l2Block` included `messages`, in the watcher's own synced write.
    /// A message that is no longer stored as given (an L1 reorg removed it after it was handed
    /// out) is still recorded, and reported through the reorg handler by the next `step()`.
    public func markIncluded(_ messages: [L1MessageTransaction], l2Block: UInt64) throws(L1WatcherError) {
        try inclusionLock.withLock { (_: inout ()) throws(L1WatcherError) in
            var batch = WriteBatch()
            try stageInclusions(messages, l2Block: l2Block, in: &batch)
            try store.write(batch, "inclusions of L2 block \(l2Block)")
        }
    }

    /// The same, added to the node's `batch` so the records commit atomically with the L2 block.
    public func markIncluded(_ messages: [L1MessageTransaction], l2Block: UInt64, in batch: inout WriteBatch) throws(L1WatcherError) {
        try inclusionLock.withLock { (_: inout ()) throws(L1WatcherError) in
            try stageInclusions(messages, l2Block: l2Block, in: &batch)
        }
    }

    private func stageInclusions(_ messages: [L1MessageTransaction], l2Block: UInt64, in batch: inout WriteBatch) throws(L1WatcherError) {
        guard let highest = messages.map(\.queueIndex).max() else { return }
        var mismatch: UInt64?
        for m in messages {
            let hash = SignedTransaction(l1Message: m).hash
            batch.put(L1MessageStore.key(m.queueIndex), L1MessageStore.encode(.init(l2Block: l2Block, transactionHash: hash)), in: store.inclusions)
            if try store.message(m.queueIndex)?.transactionHash != hash {
                mismatch = Swift.min(mismatch ?? .max, m.queueIndex)
            }
        }
        let checkFrom: UInt64? = state.withLock { s in
            s.includedNext = Swift.max(s.includedNext, highest + 1)
            guard let mismatch else { return nil }
            s.reorgCheckFrom = Swift.min(s.reorgCheckFrom ?? .max, mismatch)
            s.cleanSweeps = 0
            return s.reorgCheckFrom
        }
        if let mismatch, let checkFrom {
            batch.put(L1MessageStore.metaKey(.reorgCheckFrom), L1MessageStore.key(checkFrom), in: store.meta)
            logger.warning("L2 block \(l2Block) includes L1 message \(mismatch), which L1 no longer has as included; the next step reports it")
        }
    }

    /// Forgets inclusions by L2 blocks above `l2Block` (after the node rolled its chain back).
    /// Returns how many were removed.
    @discardableResult
    public func unmarkIncluded(aboveL2Block l2Block: UInt64) throws(L1WatcherError) -> Int {
        try inclusionLock.withLock { (_: inout ()) throws(L1WatcherError) -> Int in
            var batch = WriteBatch()
            let n = try stageUnmark(aboveL2Block: l2Block, in: &batch)
            if n > 0 { try store.write(batch, "removing inclusions above L2 block \(l2Block)") }
            return n
        }
    }

    /// The same, added to the node's `batch` (for example the one that rolls the chain back).
    @discardableResult
    public func unmarkIncluded(aboveL2Block l2Block: UInt64, in batch: inout WriteBatch) throws(L1WatcherError) -> Int {
        try inclusionLock.withLock { (_: inout ()) throws(L1WatcherError) -> Int in
            try stageUnmark(aboveL2Block: l2Block, in: &batch)
        }
    }

    private func stageUnmark(aboveL2Block l2Block: UInt64, in batch: inout WriteBatch) throws(L1WatcherError) -> Int {
        var removed: [UInt64] = []
        var lowestKept: UInt64?
        do {
            try store.db.scan(in: store.inclusions, from: nil, to: nil, reverse: true) { key, value in
                guard let index = L1MessageStore.number(key), let inclusion = L1MessageStore.decodeInclusion(value) else { return false }
                if inclusion.l2Block > l2Block { removed.append(index); return true }
                lowestKept = index
                return false
            }
        } catch { throw .storage(error, "reading inclusions") }
        for index in removed { batch.delete(L1MessageStore.key(index), in: store.inclusions) }
        state.withLock { s in s.includedNext = lowestKept.map { $0 + 1 } ?? configuration.firstQueueIndex }
        if !removed.isEmpty {
            logger.info("forgot \(removed.count) L1 message inclusion(s) above L2 block \(l2Block)")
        }
        return removed.count
    }
}
