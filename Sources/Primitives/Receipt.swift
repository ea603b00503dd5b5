/// The outcome of one transaction in a block (post-Byzantium: a status, not a state root).
public struct Receipt: Hashable, Sendable {
    /// Whether the transaction succeeded; encoded as 1 or as the empty string (0).
    public enum Status: UInt8, Hashable, Sendable {
        case failed = 0
        case succeeded = 1
    }

    /// The EIP-2718 type of the transaction: 0 for legacy, 0x01, 0x02, 0x03, 0x04, or 0x7E for an
    /// L1 message.
    public var type: UInt8
    public var status: Status
    /// Gas used in the block up to and including this transaction.
    public var cumulativeGasUsed: UInt64
    public var logs: [Log]
    public var bloom: Bloom

    /// The transaction types whose receipts this module encodes and decodes.
    public static let knownTypes: Set<UInt8> = [0x00, 0x01, 0x02, 0x03, 0x04, 0x7E]

    /// A receipt whose bloom is computed from its logs.
    public init(type: UInt8, status: Status, cumulativeGasUsed: UInt64, logs: [Log]) {
        self.init(type: type, status: status, cumulativeGasUsed: cumulativeGasUsed, logs: logs, bloom: Bloom(logs: logs))
    }

    /// A receipt with the bloom given as it is (as decoded; not checked against the logs).
    public init(type: UInt8, status: Status, cumulativeGasUsed: UInt64, logs: [Log], bloom: Bloom) {
        precondition(Self.knownTypes.contains(type), "unknown receipt type \(type)")
        self.type = type
        self.status = status
        self.cumulativeGasUsed = cumulativeGasUsed
        self.logs = logs
        self.bloom = bloom
    }
}

/// Why bytes are not a receipt.
public enum ReceiptError: Error, Equatable, Sendable, CustomStringConvertible {
    case rlp(RLPError)
    /// The first byte is neither a list header (legacy) nor a known transaction type.
    case unknownType(UInt8)
    /// The status is not the empty string or 0x01 (for example a pre-Byzantium state root).
    case invalidStatus
    case empty

    public var description: String {
        switch self {
        case .rlp(let e): "receipt: \(e)"
        case .unknownType(let t): "receipt: unknown transaction type \(t)"
        case .invalidStatus: "receipt: status is neither 0 nor 1"
        case .empty: "receipt: no bytes"
        }
    }
}
