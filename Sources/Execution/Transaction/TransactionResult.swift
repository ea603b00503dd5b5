import Primitives

/// What executing one valid transaction gave: the receipt's outcome and the state changes.
public struct TransactionResult: Sendable {
    /// The call or creation succeeded (receipt status 1).
    public var succeeded: Bool
    /// Why it failed: nil on success; "reverted" for REVERT, else the halt reason.
    public var failure: String?
    /// Gas used after the refund (what the block counts and the sender pays for).
    public var gasUsed: UInt64
    /// Gas refunded (already subtracted from `gasUsed`).
    public var gasRefunded: UInt64
    public var effectiveGasPrice: U256
    /// Scroll's L1 data fee the sender paid (to the fee recipient) on top of gas; zero under
    /// rules without one and for L1 messages.
    public var l1Fee: U256 = .zero
    public var logs: [Log]
    /// Return data, or revert data.
    public var output: [UInt8]
    /// The new contract's address for a successful creation.
    public var contractAddress: Address?
    /// Apply these to the state the transaction read from.
    public var changes: StateChanges

    /// The receipt when this transaction follows `cumulativeGasUsed` gas in the block.
    public func receipt(type: UInt8, cumulativeGasUsed previous: UInt64) -> Receipt {
        Receipt(type: type, status: succeeded ? .succeeded : .failed, cumulativeGasUsed: previous + gasUsed, logs: logs)
    }
}
