import Primitives

/// A transaction as the execution rules see it: any type, sender already known.
public struct ExecutionTransaction: Sendable, Equatable {
    /// EIP-2718 type: 0 legacy, 1 access list, 2 dynamic fee, 3 blob, 4 set code.
    public var type: UInt8
    public var sender: Address
    /// nil for contract creation.
    public var to: Address?
    public var nonce: UInt64
    public var gasLimit: UInt64
    public var value: U256
    public var data: [UInt8]
    /// Legacy and access-list transactions: both are the gas price.
    public var maxFeePerGas: U256
    public var maxPriorityFeePerGas: U256
    public var accessList: [AccessListEntry]
    /// nil for unprotected legacy transactions.
    public var chainID: UInt64?
    public var blobVersionedHashes: [Hash32]
    public var maxFeePerBlobGas: U256
    /// EIP-7702 authorizations (type 4).
    public var authorizationList: [Authorization] = []
    /// The signed EIP-2718 envelope, what Scroll's L1 data fee is computed over. Empty for a
    /// call that is not a signed transaction: under rules with an L1 fee the processor then
    /// measures `TransactionProcessor.l1FeeEnvelope(for:)` (the call as a type-2 transaction with a
    /// signature of full-length words).
    public var encoded: [UInt8] = []
    /// Whether the L1 fee applies (rules permitting): true for transactions; calls simulated
    /// without a fee (eth_call with no gas price) set it false, as they pay no gas either.
    public var paysL1Fee = true

    public init(type: UInt8, sender: Address, to: Address?, nonce: UInt64, gasLimit: UInt64, value: U256,
                data: [UInt8], maxFeePerGas: U256, maxPriorityFeePerGas: U256, accessList: [AccessListEntry] = [],
                chainID: UInt64?, blobVersionedHashes: [Hash32] = [], maxFeePerBlobGas: U256 = .zero) {
        self.type = type; self.sender = sender; self.to = to; self.nonce = nonce; self.gasLimit = gasLimit
        self.value = value; self.data = data; self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas; self.accessList = accessList; self.chainID = chainID
        self.blobVersionedHashes = blobVersionedHashes; self.maxFeePerBlobGas = maxFeePerBlobGas
    }

    /// A user transaction from Primitives with its recovered sender (not L1 messages: they
    /// follow other rules, added with Scroll's rules).
    public init?(_ tx: Transaction, sender: Address) {
        if case .l1Message = tx { return nil }
        self.init(type: tx.type.rawValue, sender: sender, to: tx.to, nonce: tx.nonce ?? 0, gasLimit: tx.gasLimit,
                  value: tx.value, data: tx.data, maxFeePerGas: tx.maxFeePerGas,
                  maxPriorityFeePerGas: tx.maxPriorityFeePerGas, accessList: tx.accessList, chainID: tx.chainID)
        authorizationList = tx.authorizationList
    }

    /// A signed user transaction with its recovered sender and its envelope (for the L1 fee).
    public init?(_ tx: SignedTransaction, sender: Address) {
        self.init(tx.transaction, sender: sender)
        encoded = tx.encoded
    }

    public var isContractCreation: Bool { to == nil }
}
