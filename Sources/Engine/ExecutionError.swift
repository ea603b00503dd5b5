import Primitives

/// Why a transaction cannot be executed in the block being built (geth's wording). The builder
/// leaves such a transaction out; the mempool's admission rules catch most of these earlier.
public enum ExecutionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTransaction(TransactionError)
    case nonceTooLow(address: Address, txNonce: UInt64, stateNonce: UInt64)
    case nonceTooHigh(address: Address, txNonce: UInt64, stateNonce: UInt64)
    case insufficientFunds(address: Address, have: U256, want: U256)
    case feeCapBelowBaseFee(address: Address, maxFeePerGas: U256, baseFee: U256)
    case gasLimitReached(remaining: UInt64, txGasLimit: UInt64)
    case contractCreationNotSupported
    case contractCallNotSupported(to: Address)
    case l1MessageThroughWrongPath
    /// The state could not be read or written: a failure of the node, not of the transaction.
    case state(EngineError)

    public var description: String {
        switch self {
        case .invalidTransaction(let e): e.description
        case .nonceTooLow(let a, let tx, let st): "nonce too low: address \(a), tx: \(tx) state: \(st)"
        case .nonceTooHigh(let a, let tx, let st): "nonce too high: address \(a), tx: \(tx) state: \(st)"
        case .insufficientFunds(let a, let have, let want): "insufficient funds for gas * price + value: address \(a) have \(have) want \(want)"
        case .feeCapBelowBaseFee(let a, let cap, let fee): "max fee per gas less than block base fee: address \(a), maxFeePerGas: \(cap), baseFee: \(fee)"
        case .gasLimitReached(let remaining, let gas): "gas limit reached: block has \(remaining) gas left, transaction needs \(gas)"
        case .contractCreationNotSupported: "contract creation is not supported yet: this node executes value transfers only (no EVM)"
        case .contractCallNotSupported(let to): "calls to contracts are not supported yet: \(to) has code and this node has no EVM"
        case .l1MessageThroughWrongPath: "L1 messages are executed only as L1 messages"
        case .state(let e): "state access failed: \(e)"
        }
    }
}
