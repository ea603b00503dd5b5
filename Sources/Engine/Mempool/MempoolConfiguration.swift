import Primitives

/// The mempool's limits and admission policy.
///
/// The defaults suit the node's target of about 5,000 transactions per second with one-second
/// blocks: the pool holds some ten blocks' worth of transactions, one sender can hold about a
/// fifth of a block, and the rest follows geth's defaults.
public struct MempoolConfiguration: Sendable, Hashable {
    /// The chain transactions must be signed for (typed and EIP-155 legacy transactions).
    public var chainID: UInt64
    /// Transactions the pool holds in total, pending and queued (default 50,000). When it is
    /// full, a new transaction must beat the cheapest evictable one.
    public var globalSlots: Int
    /// Transactions one sender may hold, pending and queued (default 1,024). A hard limit, unlike
    /// geth's `AccountSlots` guarantee: no sender can crowd out the others, and one sender can
    /// still fill about a fifth of a 5,000-transaction block each second.
    public var accountSlots: Int
    /// How far above the sender's pending nonce (account nonce plus the contiguous pending
    /// run) a new transaction's nonce may be (default 64, geth's `AccountQueue`). A nonce of
    /// exactly the pending nonce has gap 0.
    public var maxNonceGap: UInt64
    /// How much higher, in percent, both fee fields of a replacement (same sender and nonce)
    /// must be (default 10, as geth's `PriceBump`).
    public var priceBumpPercent: UInt64
    /// The lowest max priority fee per gas (the gas price for older types) accepted, in wei
    /// (default 1, geth's `--txpool.pricelimit`). A zero tip would let a transaction in that
    /// no block producer gains from; geth refuses it the same way ("transaction underpriced").
    public var minimumTip: U256
    /// The chain's minimum base fee (its `baseFee.minimum`): a fee cap below it can never be
    /// included, so such a transaction is refused instead of blocking its sender's later nonces.
    public var minimumBaseFee: U256
    /// How long, in seconds of chain time (block timestamps), a sender whose transactions cannot
    /// execute (a nonce gap, funds that do not cover them, or a fee cap below the base fee) keeps
    /// them in the pool without a new admission (default 3 hours, geth's `--txpool.lifetime`).
    /// Checked at most once a minute of chain time.
    public var lifetime: UInt64
    /// The longest encoded transaction accepted, in bytes (default 131,072, geth's limit). With
    /// the global limit it bounds the pool's memory: 50,000 plain transfers take about 10 MB,
    /// while the worst case is `globalSlots * maxTransactionSize`.
    public var maxTransactionSize: Int
    /// Whether legacy transactions without EIP-155 replay protection are accepted (default
    /// false, as geth's `--rpc.allow-unprotected-txs` default).
    public var acceptsUnprotectedTransactions: Bool

    public init(chainID: UInt64, globalSlots: Int = 50_000, accountSlots: Int = 1_024, maxNonceGap: UInt64 = 64,
                priceBumpPercent: UInt64 = 10, minimumTip: U256 = .one, minimumBaseFee: U256 = .zero,
                lifetime: UInt64 = 3 * 3_600, maxTransactionSize: Int = 131_072,
                acceptsUnprotectedTransactions: Bool = false) {
        precondition(globalSlots > 0 && accountSlots > 0, "mempool slot limits must be positive")
        self.chainID = chainID
        self.globalSlots = globalSlots
        self.accountSlots = accountSlots
        self.maxNonceGap = maxNonceGap
        self.priceBumpPercent = priceBumpPercent
        self.minimumTip = minimumTip
        self.minimumBaseFee = minimumBaseFee
        self.lifetime = lifetime
        self.maxTransactionSize = maxTransactionSize
        self.acceptsUnprotectedTransactions = acceptsUnprotectedTransactions
    }
}
