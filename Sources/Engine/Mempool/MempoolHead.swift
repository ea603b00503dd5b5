import Execution
import Primitives

/// What the mempool validates against: the state of the chain head and the parameters of the
/// next block.
public struct MempoolHead: Sendable {
    /// Account state after the head block.
    public var state: any AccountStateReader
    /// The base fee of the next block: transactions whose max fee per gas is below it stay in
    /// the pool but are not offered to the block builder.
    public var baseFee: U256
    /// The gas limit of the next block: a transaction asking for more is refused.
    public var gasLimit: UInt64
    /// The head block's timestamp: the pool's clock for the lifetime of transactions that
    /// cannot execute (chain time, so tests and replays need no wall clock).
    public var timestamp: UInt64
    /// The L1GasPriceOracle's values after the head, on a chain that charges Scroll's L1 fee
    /// (nil otherwise): a transaction's cost counts its L1 fee at these values.
    public var l1FeeOracle: L1Fee.OracleValues?

    public init(state: any AccountStateReader, baseFee: U256, gasLimit: UInt64, timestamp: UInt64 = 0,
                l1FeeOracle: L1Fee.OracleValues? = nil) {
        self.state = state; self.baseFee = baseFee; self.gasLimit = gasLimit; self.timestamp = timestamp
        self.l1FeeOracle = l1FeeOracle
    }
}
