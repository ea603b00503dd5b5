import Dispatch
import Logging
import Primitives
import Storage
import Synchronization

/// How the sequencer produces blocks (`--sequencer.*`).
public struct SequencerConfiguration: Sendable {
    public var blockTime: Duration
    /// Mempool transactions are taken until slot start + this budget.
    public var buildingBudget: Duration
    public var allowEmptyBlocks: Bool
    public var feeRecipient: Address
    public var maxL1Messages: Int
    public var maxTransactions: Int?
    /// `--sequencer.auto-start`: sequence from boot unless an admin call said otherwise.
    public var autoStart: Bool
    /// `--sequencer.overrun-guard`: stop taking transactions when the expected sealing and
    /// commit of what a block holds would not fit in the slot (`sealReserve`).
    public var overrunGuard: Bool

    public init(blockTime: Duration, buildingBudget: Duration, allowEmptyBlocks: Bool, feeRecipient: Address,
                maxL1Messages: Int, maxTransactions: Int?, autoStart: Bool, overrunGuard: Bool = true) {
        self.blockTime = blockTime; self.buildingBudget = buildingBudget; self.allowEmptyBlocks = allowEmptyBlocks
        self.feeRecipient = feeRecipient; self.maxL1Messages = maxL1Messages; self.maxTransactions = maxTransactions
        self.autoStart = autoStart; self.overrunGuard = overrunGuard
    }
}

/// Produces blocks on a fixed wall-clock grid: at each slot it builds until slot start + the
/// building budget, seals, signs, commits (one synced batch) and only then makes the block
/// visible. Work that overruns into the next slot makes that slot be skipped (logged, counted);
/// the grid never shifts. A failure in one slot is logged and counted and never stops the loop.
public final class Sequencer<Pool: SequencerTransactionPool, C: Clock>: Sendable where C.Duration == Duration {
    public let chain: Chain
    let pool: Pool
    let l1: L1MessageSource
    let sealer: BlockSealer
    let clock: C
    let wallClock: @Sendable () -> UInt64
    public let configuration: SequencerConfiguration
    let schedule: SlotSchedule
    let logger: Logger
    /// Told, at each slot, how late the slot started against the grid (benchmarks, metrics).
    let slotObserver: (@Sendable (_ slot: Int64, _ lateness: Duration) -> Void)?
    /// Building and committing are CPU-bound and fsync-heavy: they run here, off Swift's
    /// cooperative pool, one at a time.
    let queue = DispatchQueue(label: "rollup-node.sequencer")
    /// One slot's work at a time: the ticker's slots and on-demand blocks (`mine`).
    let gate = SlotGate()

    /// Counters an operator can read (rollupNode_status, logs).
    public struct Counters: Sendable, Equatable {
        public var blocks = 0
        /// Slots skipped because the previous slot's work overran into them.
        public var skippedSlots = 0
        /// Slots whose block could not be produced (signer, disk, …).
        public var failedSlots = 0
        /// Slots that made no block because there was nothing to include.
        public var emptySlots = 0
    }

    public enum StepOutcome: Sendable, Equatable {
        case produced(number: UInt64, hash: Hash32)
        case disabled
        case waitingForL1
        case nothingToInclude
        case failed(SequencerError)

        /// Failures are equal when they say the same (a signer's error need not be `Equatable`).
        public static func == (a: StepOutcome, b: StepOutcome) -> Bool {
            switch (a, b) {
            case let (.produced(n1, h1), .produced(n2, h2)): n1 == n2 && h1 == h2
            case (.disabled, .disabled), (.waitingForL1, .waitingForL1), (.nothingToInclude, .nothingToInclude): true
            case let (.failed(x), .failed(y)): x.description == y.description
            default: false
            }
        }
    }

    struct State: Sendable {
        var enabled: Bool
        var counters = Counters()
        /// The post-building work (sealing, signing, the synced commit) of the last few blocks
        /// and the gas each used, newest last.
        var recentTails: [(tail: Duration, gas: UInt64)] = []
    }

    /// How many recent blocks `sealReserve` learns from.
    static var tailWindow: Int { 16 }

    /// The expected post-building work of a block using `gas`: a fixed part (the smallest tail
    /// seen lately: signing, the fsyncs) plus the largest per-gas cost of the recent blocks
    /// above 1M gas, with 10 % to spare. Zero until blocks have been measured.
    func sealReserve() -> @Sendable (UInt64) -> Duration {
        let tails = state.withLock { $0.recentTails }
        guard let fixed = tails.map(\.tail).min() else { return { _ in .zero } }
        let perGas = tails.filter { $0.gas >= 1_000_000 }.map { max(($0.tail - fixed) / Double($0.gas), .zero) }.max() ?? .zero
        return { gas in fixed + (perGas * Double(gas)) * 1.1 }
    }

    /// Records a produced block's post-building work.
    func recordTail(_ tail: Duration, gas: UInt64) {
        state.withLock { s in
            s.recentTails.append((tail, gas))
            if s.recentTails.count > Self.tailWindow { s.recentTails.removeFirst(s.recentTails.count - Self.tailWindow) }
        }
    }

    let state: Mutex<State>

    public init(chain: Chain, pool: Pool, l1: L1MessageSource, sealer: BlockSealer, clock: C,
                wallClock: @escaping @Sendable () -> UInt64, configuration: SequencerConfiguration,
                logger: Logger = Logger(label: "sequencer"),
                slotObserver: (@Sendable (_ slot: Int64, _ lateness: Duration) -> Void)? = nil) throws(EngineError) {
        self.chain = chain; self.pool = pool; self.l1 = l1; self.sealer = sealer; self.clock = clock
        self.slotObserver = slotObserver
        self.wallClock = wallClock; self.configuration = configuration; self.logger = logger
        schedule = SlotSchedule(blockTime: configuration.blockTime)
        let persisted = try storage { () throws(StorageError) in try chain.database.metaValue(.sequencing) }
        let enabled = persisted.map { $0 == [1] } ?? configuration.autoStart
        state = Mutex(State(enabled: enabled))
    }

    public var isEnabled: Bool { state.withLock { $0.enabled } }
    public var counters: Counters { state.withLock { $0.counters } }

    /// `rollupNodeAdmin_enable/disableAutomaticSequencing`: takes effect at the next slot and is
    /// remembered across restarts (it wins over `--sequencer.auto-start`).
    public func setAutomaticSequencing(_ enabled: Bool) throws(EngineError) {
        try storage { () throws(StorageError) in try chain.database.setMetaValue(.sequencing, [enabled ? 1 : 0]) }
        let changed = state.withLock { s in defer { s.enabled = enabled }; return s.enabled != enabled }
        if changed { logger.info("\(enabled ? "Enabled" : "Disabled") automatic sequencing") }
    }

    /// Runs blocking engine work on the sequencer's queue; its failure is the slot's.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws(EngineError) -> T) async throws(SequencerError) -> T {
        let result: Result<T, EngineError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(EngineError) in try body() }) }
        }
        do { return try result.get() } catch { throw .engine(error) }
    }
}
