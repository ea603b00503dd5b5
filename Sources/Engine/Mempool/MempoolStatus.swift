/// How many transactions the pool holds (txpool_status).
public struct MempoolStatus: Sendable, Hashable, CustomStringConvertible {
    /// Executable in nonce order from their senders' account nonces.
    public var pending: Int
    /// Waiting behind a nonce gap, or not covered by their sender's balance.
    public var queued: Int

    public init(pending: Int, queued: Int) { self.pending = pending; self.queued = queued }

    public var total: Int { pending + queued }
    public var description: String { "\(pending) pending, \(queued) queued" }
}
