import Primitives

/// Why a transaction cannot be included (it is invalid: no state change, no receipt), or the
/// state could not be read.
public enum ExecutionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidChainID(expected: UInt64, actual: UInt64)
    case nonceMismatch(expected: UInt64, actual: UInt64)
    case nonceMax
    case gasLimitAboveBlock(gasLimit: UInt64, blockGasLimit: UInt64)
    case intrinsicGasTooLow(gasLimit: UInt64, required: UInt64)
    case initCodeTooLarge(size: Int, limit: Int)
    case tipAboveFeeCap(maxPriorityFeePerGas: U256, maxFeePerGas: U256)
    case feeCapBelowBaseFee
    case insufficientFunds
    case senderNotEOA
    case blobTransactionsNotSupported
    case setCodeTransactionsNotSupported
    case emptyAuthorizationList
    case setCodeContractCreation
    case blobContractCreation
    case noBlobs
    case tooManyBlobs
    case invalidBlobVersionedHash
    case blobFeeCapBelowBlobBaseFee
    case stateReadFailed(String)

    public var description: String {
        switch self {
        case .invalidChainID(let e, let a): "invalid chain id for signer: have \(a) want \(e)"
        case .nonceMismatch(let e, let a): a < e ? "nonce too low: next nonce \(e), tx nonce \(a)" : "nonce too high: next nonce \(e), tx nonce \(a)"
        case .nonceMax: "nonce has max value"
        case .gasLimitAboveBlock(let g, let b): "gas limit reached: tx gas \(g), block gas limit \(b)"
        case .intrinsicGasTooLow(let g, let r): "intrinsic gas too low: gas \(g), minimum needed \(r)"
        case .initCodeTooLarge(let s, let l): "max initcode size exceeded: code size \(s) limit \(l)"
        case .tipAboveFeeCap(let tip, let cap): "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: \(tip), maxFeePerGas: \(cap)"
        case .feeCapBelowBaseFee: "max fee per gas less than block base fee"
        case .insufficientFunds: "insufficient funds for gas * price + value"
        case .senderNotEOA: "sender not an eoa"
        case .blobTransactionsNotSupported: "transaction type not supported"
        case .setCodeTransactionsNotSupported: "transaction type not supported"
        case .emptyAuthorizationList: "EIP-7702 transaction with empty auth list"
        case .setCodeContractCreation: "EIP-7702 transaction cannot create a contract"
        case .blobContractCreation: "blob transaction cannot create a contract"
        case .noBlobs: "blob transaction missing blob hashes"
        case .tooManyBlobs: "too many blobs"
        case .invalidBlobVersionedHash: "blob versioned hash with an unknown version"
        case .blobFeeCapBelowBlobBaseFee: "max fee per blob gas less than block blob gas fee"
        case .stateReadFailed(let m): "state read failed: \(m)"
        }
    }
}
