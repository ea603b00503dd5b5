/// What applying a new head did to the pool.
public struct MempoolUpdate: Sendable, CustomStringConvertible {
    /// Transactions removed because the block included them.
    public var included: Int
    /// Transactions removed because their nonce fell below the account nonce.
    public var stale: Int
    /// Transactions dropped by the lifetime rule (``MempoolConfiguration/lifetime``).
    public var expired: [MempoolTransaction]
    /// The pool's counts afterwards.
    public var status: MempoolStatus

    public var description: String {
        "\(included) included, \(stale) stale removed, \(expired.count) expired; \(status)"
    }
}
