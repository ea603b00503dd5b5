import Primitives
import Storage

/// Signs block digests (the node plugs in the guarded key-file, KMS or test signer).
public protocol BlockSealer: Sendable {
    /// The signer's address (the chain's authorized signer).
    var address: Address { get }
    /// A 65-byte signature r‖s‖v (v in {0, 1}, low-s) of `digest` for the block at `height`.
    func sign(digest: Hash32, height: UInt64) async throws -> [UInt8]
}

/// L1 messages for the sequencer (the node plugs in the L1 watcher; with no L1, `NoL1`).
public protocol L1MessageSource: Sendable {
    /// Whether the source has caught up with the L1 head (sequencing waits until it has).
    var isCaughtUp: Bool { get }
    /// Eligible messages, contiguous from `queueIndex`, at most `max`, their gas limits summing
    /// to at most `gasLimit`; stops at the first message that is missing or not yet eligible.
    func eligibleMessages(startingAt queueIndex: UInt64, max: Int, gasLimit: UInt64) -> [L1MessageTransaction]
    /// Records that block `number` includes `messages`, into the block's own commit batch, so
    /// the inclusion is written atomically with the block.
    func stageInclusion(_ messages: [L1MessageTransaction], inBlock number: UInt64, into batch: inout WriteBatch) throws
}

/// No L1 (`--test` without `--l1.url`): always caught up, never any message.
public struct NoL1: L1MessageSource {
    public init() {}
    public var isCaughtUp: Bool { true }
    public func eligibleMessages(startingAt queueIndex: UInt64, max: Int, gasLimit: UInt64) -> [L1MessageTransaction] { [] }
    public func stageInclusion(_ messages: [L1MessageTransaction], inBlock number: UInt64, into batch: inout WriteBatch) throws {}
}

extension SequencerTransactionPool {
    public var hasTransactionsWaitingForBaseFee: Bool { false }
}

/// The mempool as the sequencer sees it.
public protocol SequencerTransactionPool: Sendable {
    associatedtype Source: BlockTransactionSource
    /// Whether any transaction might be executable now (decides whether a slot makes a block).
    var hasPendingTransactions: Bool { get }
    /// Whether a pending transaction waits for the base fee to fall to its fee cap (the base
    /// fee rose after it was admitted). An empty block is then sealed anyway: on an idle chain
    /// the base fee falls only as blocks are made, so without it the transaction, and every
    /// later nonce of its sender, would wait for ever.
    var hasTransactionsWaitingForBaseFee: Bool { get }
    /// Best executable transactions at `baseFee`, as a snapshot.
    func blockTransactions(baseFee: U256) -> Source
    /// After a commit: drop included and stale transactions, re-check the senders it touched.
    func blockCommitted(_ block: SealedBlock, invalid: [Hash32], head: MempoolHead)
}
