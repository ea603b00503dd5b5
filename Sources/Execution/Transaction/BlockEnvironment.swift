import Primitives

/// The block a transaction executes in.
public struct BlockEnvironment: Sendable {
    public var chainID: UInt64
    public var number: UInt64
    public var timestamp: UInt64
    public var coinbase: Address
    public var gasLimit: UInt64
    public var baseFee: U256
    public var prevRandao: Hash32
    public var excessBlobGas: UInt64
    /// Hashes of recent blocks for BLOCKHASH: number -> hash (the last 256).
    public var blockHashes: @Sendable (UInt64) -> Hash32?

    public init(chainID: UInt64, number: UInt64, timestamp: UInt64, coinbase: Address, gasLimit: UInt64,
                baseFee: U256, prevRandao: Hash32 = .zero, excessBlobGas: UInt64 = 0,
                blockHashes: @escaping @Sendable (UInt64) -> Hash32? = { _ in nil }) {
        self.chainID = chainID; self.number = number; self.timestamp = timestamp; self.coinbase = coinbase
        self.gasLimit = gasLimit; self.baseFee = baseFee; self.prevRandao = prevRandao
        self.excessBlobGas = excessBlobGas; self.blockHashes = blockHashes
    }
}
