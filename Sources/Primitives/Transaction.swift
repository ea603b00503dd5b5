/// An unsigned transaction of any supported type. `SignedTransaction` adds the signature, the
/// wire encoding and the hash.
public enum Transaction: Hashable, Sendable {
    case legacy(LegacyTransaction)
    case accessList(AccessListTransaction)
    case dynamicFee(DynamicFeeTransaction)
    /// EIP-7702 (type 0x04).
    case setCode(SetCodeTransaction)
    case l1Message(L1MessageTransaction)

    public var type: TransactionType {
        switch self {
        case .legacy: .legacy
        case .accessList: .accessList
        case .dynamicFee: .dynamicFee
        case .setCode: .setCode
        case .l1Message: .l1Message
        }
    }

    /// The chain the signature is bound to: nil for unprotected legacy transactions and for
    /// L1 messages.
    public var chainID: UInt64? {
        switch self {
        case .legacy(let tx): tx.chainID
        case .accessList(let tx): tx.chainID
        case .dynamicFee(let tx): tx.chainID
        case .setCode(let tx): tx.chainID
        case .l1Message: nil
        }
    }

    /// The sender's account nonce; nil for L1 messages, which are ordered by `queueIndex`.
    public var nonce: UInt64? {
        switch self {
        case .legacy(let tx): tx.nonce
        case .accessList(let tx): tx.nonce
        case .dynamicFee(let tx): tx.nonce
        case .setCode(let tx): tx.nonce
        case .l1Message: nil
        }
    }

    public var gasLimit: UInt64 {
        switch self {
        case .legacy(let tx): tx.gasLimit
        case .accessList(let tx): tx.gasLimit
        case .dynamicFee(let tx): tx.gasLimit
        case .setCode(let tx): tx.gasLimit
        case .l1Message(let tx): tx.gasLimit
        }
    }

    /// The recipient; nil means contract creation (never for L1 messages).
    public var to: Address? {
        switch self {
        case .legacy(let tx): tx.to
        case .accessList(let tx): tx.to
        case .dynamicFee(let tx): tx.to
        case .setCode(let tx): tx.to
        case .l1Message(let tx): tx.to
        }
    }

    public var isContractCreation: Bool { to == nil }

    public var value: U256 {
        switch self {
        case .legacy(let tx): tx.value
        case .accessList(let tx): tx.value
        case .dynamicFee(let tx): tx.value
        case .setCode(let tx): tx.value
        case .l1Message(let tx): tx.value
        }
    }

    /// Call data, or initcode for contract creation.
    public var data: [UInt8] {
        switch self {
        case .legacy(let tx): tx.data
        case .accessList(let tx): tx.data
        case .dynamicFee(let tx): tx.data
        case .setCode(let tx): tx.data
        case .l1Message(let tx): tx.data
        }
    }

    /// Empty for legacy transactions and L1 messages.
    public var accessList: [AccessListEntry] {
        switch self {
        case .legacy, .l1Message: []
        case .accessList(let tx): tx.accessList
        case .dynamicFee(let tx): tx.accessList
        case .setCode(let tx): tx.accessList
        }
    }

    /// The most the sender pays per gas: the gas price before EIP-1559, 0 for L1 messages.
    public var maxFeePerGas: U256 {
        switch self {
        case .legacy(let tx): tx.gasPrice
        case .accessList(let tx): tx.gasPrice
        case .dynamicFee(let tx): tx.maxFeePerGas
        case .setCode(let tx): tx.maxFeePerGas
        case .l1Message: .zero
        }
    }

    /// The most the sender tips per gas: the gas price before EIP-1559, 0 for L1 messages.
    public var maxPriorityFeePerGas: U256 {
        switch self {
        case .legacy(let tx): tx.gasPrice
        case .accessList(let tx): tx.gasPrice
        case .dynamicFee(let tx): tx.maxPriorityFeePerGas
        case .setCode(let tx): tx.maxPriorityFeePerGas
        case .l1Message: .zero
        }
    }

    /// EIP-7702 authorizations; empty for every other type.
    public var authorizationList: [Authorization] {
        if case .setCode(let tx) = self { return tx.authorizationList }
        return []
    }

    /// The digest the sender signs; nil for L1 messages, which are not signed.
    public var signingHash: Hash32? {
        switch self {
        case .legacy(let tx): tx.signingHash
        case .accessList(let tx): tx.signingHash
        case .dynamicFee(let tx): tx.signingHash
        case .setCode(let tx): tx.signingHash
        case .l1Message: nil
        }
    }
}
