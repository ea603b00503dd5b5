import Primitives

/// Limits and policies of the chain methods (``RPCMethodTable/registerChainMethods(backend:rollup:configuration:)``).
public struct ChainMethodsConfiguration: Sendable, Hashable {
    /// The lowest tip eth_maxPriorityFeePerGas suggests, in wei (default 1,000,000 = 0.001
    /// gwei). Set it to at least the mempool's minimum tip so a suggested fee is always
    /// accepted.
    public var minimumSuggestedTip: U256
    /// The highest tip eth_maxPriorityFeePerGas suggests, in wei (default 500 gwei, geth's
    /// oracle cap).
    public var maximumSuggestedTip: U256
    /// How many recent blocks the tip suggestion samples (default 20, as geth's oracle).
    public var tipSampleBlocks: Int
    /// The most blocks one eth_feeHistory call reports (default 1,024, geth's limit); longer
    /// requests are shortened to this, as geth does.
    public var maxFeeHistoryBlocks: UInt64
    /// The widest block range one eth_getLogs call may scan (default 100,000, reth's
    /// `--rpc.max-blocks-per-filter`; `--rpc.max-blocks-per-filter` here too).
    public var maxLogBlockRange: UInt64
    /// The most logs one eth_getLogs call returns (default 20,000, reth's
    /// `--rpc.max-logs-per-response`); a query that matches more fails with the range that
    /// would fit.
    public var maxLogResults: Int
    /// The most addresses, and the most topics per position, one log filter may list
    /// (default 1,000, geth's limit).
    public var maxLogFilterEntries: Int
    /// How long eth_sendRawTransactionSync waits when the request names no timeout (default
    /// 2 s, EIP-7966's recommendation).
    public var defaultSyncTimeout: Duration
    /// The longest wait a request may ask for (default 10 s); a timeout of zero or above this
    /// falls back to `defaultSyncTimeout`, as EIP-7966 asks. Keep it below the server's
    /// request timeout.
    public var maxSyncTimeout: Duration

    public init(minimumSuggestedTip: U256 = 1_000_000, maximumSuggestedTip: U256 = 500_000_000_000,
                tipSampleBlocks: Int = 20, maxFeeHistoryBlocks: UInt64 = 1024, maxLogBlockRange: UInt64 = 100_000, maxLogResults: Int = 20_000,
                maxLogFilterEntries: Int = 1000, defaultSyncTimeout: Duration = .seconds(2), maxSyncTimeout: Duration = .seconds(10)) {
        precondition(minimumSuggestedTip <= maximumSuggestedTip, "minimumSuggestedTip above maximumSuggestedTip")
        precondition(tipSampleBlocks > 0 && maxFeeHistoryBlocks > 0 && maxLogBlockRange > 0 && maxLogFilterEntries > 0 && maxLogResults > 0)
        precondition(defaultSyncTimeout > .zero && defaultSyncTimeout <= maxSyncTimeout, "sync timeouts out of order")
        self.minimumSuggestedTip = minimumSuggestedTip
        self.maximumSuggestedTip = maximumSuggestedTip
        self.tipSampleBlocks = tipSampleBlocks
        self.maxFeeHistoryBlocks = maxFeeHistoryBlocks
        self.maxLogBlockRange = maxLogBlockRange
        self.maxLogResults = maxLogResults
        self.maxLogFilterEntries = maxLogFilterEntries
        self.defaultSyncTimeout = defaultSyncTimeout
        self.maxSyncTimeout = maxSyncTimeout
    }
}
