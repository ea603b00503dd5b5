import Primitives

/// What execution needs to know about the block being built.
public struct BlockEnvironment: Sendable, Equatable {
    public var chainID: UInt64
    public var number: UInt64
    public var timestamp: UInt64
    public var gasLimit: UInt64
    public var baseFee: U256
    /// The beneficiary: receives the tip, and the base fee unless it is burnt.
    public var feeRecipient: Address
    public var burnBaseFee: Bool

    public init(chainID: UInt64, number: UInt64, timestamp: UInt64, gasLimit: UInt64, baseFee: U256,
                feeRecipient: Address, burnBaseFee: Bool) {
        self.chainID = chainID; self.number = number; self.timestamp = timestamp; self.gasLimit = gasLimit
        self.baseFee = baseFee; self.feeRecipient = feeRecipient; self.burnBaseFee = burnBaseFee
    }
}
