import Primitives

/// A transaction in the pool, with what the pool learnt when it admitted it.
///
/// Immutable and shared by reference: the pool's indexes, block-building snapshots and query
/// results all point at the same object.
public final class MempoolTransaction: Sendable, CustomStringConvertible {
    public let transaction: SignedTransaction
    /// The recovered sender.
    public let sender: Address
    /// The sender's nonce.
    public let nonce: UInt64
    /// Arrival order: increases with every admission (a replacement gets a new one). Breaks ties
    /// between equally paying transactions in favour of the earlier one.
    public let sequence: UInt64
    /// The most the transaction can cost its sender: gasLimit * maxFeePerGas + value.
    public let cost: U256
    /// The most the sender pays per gas (the gas price for legacy and access-list transactions).
    public let maxFeePerGas: U256
    /// The most the sender tips per gas (the gas price for legacy and access-list transactions).
    public let maxPriorityFeePerGas: U256
    /// The head's timestamp when the pool admitted it (chain time, for the pool's lifetime rule).
    public let admittedAt: UInt64

    init(transaction: SignedTransaction, sender: Address, sequence: UInt64, cost: U256, admittedAt: UInt64 = 0) {
        self.transaction = transaction
        self.sender = sender
        self.nonce = transaction.transaction.nonce ?? 0
        self.sequence = sequence
        self.cost = cost
        self.maxFeePerGas = transaction.transaction.maxFeePerGas
        self.maxPriorityFeePerGas = transaction.transaction.maxPriorityFeePerGas
        self.admittedAt = admittedAt
    }

    public var hash: Hash32 { transaction.hash }

    /// What a block producer earns per gas at `baseFee`: min(maxPriorityFeePerGas,
    /// maxFeePerGas - baseFee), or nil when maxFeePerGas < baseFee (not includable).
    public func effectiveTip(baseFee: U256) -> U256? {
        let (headroom, under) = maxFeePerGas.subtractingReportingOverflow(baseFee)
        if under { return nil }
        return U256.min(maxPriorityFeePerGas, headroom)
    }

    public var description: String { "\(hash) from \(sender) nonce \(nonce)" }
}
