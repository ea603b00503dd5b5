/// A transaction with its signature (none for L1 messages), its EIP-2718 encoding and its hash,
/// both computed once.
///
/// `encoded` is what transaction tries store and `eth_sendRawTransaction` carries: type byte ||
/// rlp(fields) for typed transactions, the plain RLP list for legacy ones.
public struct SignedTransaction: Hashable, Sendable {
    public let transaction: Transaction
    /// nil exactly for L1 messages.
    public let signature: Signature?
    /// The EIP-2718 envelope.
    public let encoded: [UInt8]
    /// keccak256(encoded).
    public let hash: Hash32

    /// Attaches a signature to a user transaction. L1 messages take `init(l1Message:)`.
    public init(_ transaction: Transaction, signature: Signature) throws(TransactionError) {
        let encoded: [UInt8]
        switch transaction {
        case .legacy(let tx): encoded = tx.encoded(signature: signature)
        case .accessList(let tx): encoded = tx.encoded(signature: signature)
        case .dynamicFee(let tx): encoded = tx.encoded(signature: signature)
        case .setCode(let tx): encoded = tx.encoded(signature: signature)
        case .l1Message: throw .signatureNotAllowed
        }
        self.init(transaction: transaction, signature: signature, encoded: encoded)
    }

    /// Wraps an L1 message, which carries no signature.
    public init(l1Message: L1MessageTransaction) {
        self.init(transaction: .l1Message(l1Message), signature: nil, encoded: l1Message.encoded())
    }

    /// `encoded` must be the canonical encoding of `transaction` and `signature`.
    init(transaction: Transaction, signature: Signature?, encoded: [UInt8]) {
        self.transaction = transaction
        self.signature = signature
        self.encoded = encoded
        self.hash = Keccak.hash256(encoded)
    }

    public var type: TransactionType { transaction.type }

    /// Transactions are equal when their hashes are.
    public static func == (a: SignedTransaction, b: SignedTransaction) -> Bool { a.hash == b.hash }
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
