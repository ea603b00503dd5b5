/// What admitting a transaction did to the pool.
public struct MempoolAdmission: Sendable {
    /// The admitted transaction.
    public let transaction: MempoolTransaction
    /// Whether it is pending (executable in the next block, nonce order permitting) rather
    /// than queued behind a nonce gap or an uncovered cost.
    public let isPending: Bool
    /// The transaction with the same sender and nonce it replaced.
    public let replaced: MempoolTransaction?
    /// Transactions removed to make room (at most one, from the tail of some sender).
    public let evicted: [MempoolTransaction]
}
