/// Why transaction bytes were rejected, or a transaction failed stateless validation.
///
/// Decoding errors come from `SignedTransaction(encoded:)`; validation errors from
/// `recoverSender()` and `validate(chainID:)`. `description` uses geth's wording where geth has
/// one, so that the RPC layer can pass it on (with code -32000) unchanged.
public enum TransactionError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: decoding

    /// No bytes at all.
    case emptyInput
    /// Raw transaction hex that is not strict `0x` data.
    case invalidHex(HexError)
    /// The first byte names a type this node does not support (e.g. 0x03 blob transactions).
    case unsupportedType(UInt8)
    /// The envelope is not one canonical RLP list (trailing bytes, bad lengths, a string, ...).
    case invalidRLP(RLPError)
    /// The list has the wrong number of fields for its type.
    case wrongFieldCount(type: TransactionType, expected: Int, actual: Int)
    /// One field is malformed: leading zeros, wider than its type (nonce and gas limit are
    /// 64-bit, EIP-2681; amounts 256-bit), a wrong address or key length, a list for a string.
    case invalidField(TransactionField, RLPError)
    /// r or s is zero or not below the curve order, a legacy v is not 27, 28 or >= 35, or a
    /// typed transaction's y parity is not 0 or 1.
    case invalidSignatureValues
    /// An L1 message with an empty `to`: L1 messages cannot create contracts.
    case l1MessageContractCreation

    // MARK: building

    /// A signature was given for an L1 message, which carries none.
    case signatureNotAllowed
    /// libsecp256k1 failed to sign.
    case signingFailed(Secp256k1Error)

    // MARK: validation

    /// The transaction is bound to another chain (typed, or EIP-155 legacy).
    case invalidChainID(expected: UInt64, actual: UInt64)
    /// The signature has a high s (EIP-2) or recovers no key.
    case invalidSender
    /// The gas limit does not cover the intrinsic gas.
    case intrinsicGasTooLow(gasLimit: UInt64, required: UInt64)
    /// Contract-creation initcode is longer than 49152 bytes (EIP-3860).
    case initCodeTooLarge(size: Int, limit: Int)
    /// The nonce is 2^64-1, which could never be incremented (EIP-2681).
    case nonceMax
    /// gasLimit * maxFeePerGas (the gas price for older types) does not fit in 256 bits.
    case gasFeeOverflow
    /// maxPriorityFeePerGas > maxFeePerGas (EIP-1559).
    case tipAboveFeeCap(maxPriorityFeePerGas: U256, maxFeePerGas: U256)

    public var description: String {
        switch self {
        case .emptyInput: "typed transaction too short"
        case .invalidHex(let e): "invalid transaction hex: \(e)"
        case .unsupportedType(let t) where t == 0x03: "transaction type not supported: blob transactions (type 0x03) are not accepted on this rollup"
        case .unsupportedType(let t): "transaction type not supported: \(Hex.encode([t]))"
        case .invalidRLP(let e): "invalid transaction encoding: \(e)"
        case .wrongFieldCount(let t, let e, let a): "invalid transaction encoding: \(t) transaction needs \(e) fields, found \(a)"
        case .invalidField(let f, let e): "invalid transaction encoding: field \(f): \(e)"
        case .invalidSignatureValues: "invalid transaction v, r, s values"
        case .l1MessageContractCreation: "L1 message transaction cannot create contracts"
        case .signatureNotAllowed: "L1 message transactions carry no signature"
        case .signingFailed(let e): "transaction signing failed: \(e)"
        case .invalidChainID(let e, let a): "invalid chain id for signer: have \(a) want \(e)"
        case .invalidSender: "invalid sender"
        case .intrinsicGasTooLow(let g, let r): "intrinsic gas too low: gas \(g), minimum needed \(r)"
        case .initCodeTooLarge(let s, let l): "max initcode size exceeded: code size \(s) limit \(l)"
        case .nonceMax: "nonce has max value"
        case .gasFeeOverflow: "insufficient funds for gas * price + value: required balance exceeds 256 bits"
        case .tipAboveFeeCap(let tip, let cap):
            "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: \(tip), maxFeePerGas: \(cap)"
        }
    }
}

/// The transaction fields, to say which one was malformed.
public enum TransactionField: String, Sendable, CustomStringConvertible {
    case chainID, nonce, gasPrice, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data
    case accessList, authorizationList, v, yParity, r, s, queueIndex, sender

    public var description: String { rawValue }
}
