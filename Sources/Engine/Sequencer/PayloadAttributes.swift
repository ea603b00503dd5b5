import Primitives

/// What the sequencer asks of the next block.
public struct PayloadAttributes: Sendable {
    public var timestamp: UInt64
    public var feeRecipient: Address
    /// At most this many L1 messages (`--sequencer.max-l1-messages`, else the chain spec's).
    public var maxL1Messages: Int
    /// At most this many mempool transactions (`--sequencer.max-txs-per-block`); nil: no limit.
    public var maxTransactions: Int?
    /// Stop taking mempool transactions once building has run this long (the payload-building
    /// budget), measured on the clock given to `Chain.build`; nil: no limit.
    public var buildingBudget: Duration?
    public var extraData: [UInt8]
    /// Development chains' state edits, applied before the block's transactions.
    public var stateEdits: [StateEdit]
    /// When the slot's work must be done, measured from the start of building like the
    /// budget; with `sealReserve`, no transaction starts once the time building has taken plus
    /// the reserve for the gas used so far would pass it. nil: no such limit (on-demand blocks).
    public var slotRemaining: Duration?
    /// The time sealing, signing and committing a block that used this much gas is expected to
    /// take (the sequencer's estimate from its recent blocks).
    public var sealReserve: (@Sendable (UInt64) -> Duration)?

    public init(timestamp: UInt64, feeRecipient: Address, maxL1Messages: Int, maxTransactions: Int? = nil,
                buildingBudget: Duration? = nil, extraData: [UInt8] = [], stateEdits: [StateEdit] = []) {
        self.timestamp = timestamp; self.feeRecipient = feeRecipient; self.maxL1Messages = maxL1Messages
        self.maxTransactions = maxTransactions; self.buildingBudget = buildingBudget; self.extraData = extraData
        self.stateEdits = stateEdits
    }
}

/// The builder's view of the mempool: executable transactions, best first.
public protocol BlockTransactionSource {
    /// The next transaction to try, or nil when there are none left.
    mutating func next() -> (transaction: SignedTransaction, sender: Address)?
    /// Skips the remaining transactions of `sender` for this block (one of them could not run,
    /// so its successors cannot either).
    mutating func skipSender(_ sender: Address)
}

/// No mempool transactions (blocks of L1 messages only, and tests).
public struct NoTransactions: BlockTransactionSource {
    public init() {}
    public mutating func next() -> (transaction: SignedTransaction, sender: Address)? { nil }
    public mutating func skipSender(_ sender: Address) {}
}

/// A fixed list, in order (tests and replays).
public struct TransactionList: BlockTransactionSource {
    var items: [(SignedTransaction, Address)]
    var position = 0
    var skipped: Set<Address> = []
    public init(_ items: [(SignedTransaction, Address)]) { self.items = items }
    public mutating func next() -> (transaction: SignedTransaction, sender: Address)? {
        while position < items.count {
            defer { position += 1 }
            if !skipped.contains(items[position].1) { return (items[position].0, items[position].1) }
        }
        return nil
    }
    public mutating func skipSender(_ sender: Address) { skipped.insert(sender) }
}
