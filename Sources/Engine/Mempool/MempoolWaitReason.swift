import Primitives

/// Why a pooled transaction cannot go into the next block (txpool_inspect shows it).
public enum MempoolWaitReason: Sendable, Hashable, CustomStringConvertible {
    /// Its fee cap is below the next block's base fee: it waits for the base fee to fall.
    case feeCapBelowBaseFee(maxFeePerGas: U256, baseFee: U256)
    /// An earlier nonce of the same sender (`nonce`) cannot execute yet.
    case behind(nonce: UInt64)
    /// A nonce is missing before it: `expected` is the sender's next executable nonce.
    case nonceGap(expected: UInt64)
    /// The balance does not cover it together with the sender's earlier transactions
    /// (`cost` is the summed cost up to and including it).
    case insufficientFunds(balance: U256, cost: U256)

    public var description: String {
        switch self {
        case .feeCapBelowBaseFee(let cap, let baseFee): "max fee per gas \(cap) below base fee \(baseFee)"
        case .behind(let nonce): "waits for nonce \(nonce)"
        case .nonceGap(let expected): "nonce gap: next executable nonce is \(expected)"
        case .insufficientFunds(let balance, let cost): "insufficient funds: balance \(balance), cost with earlier nonces \(cost)"
        }
    }
}
