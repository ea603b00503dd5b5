/// The EIP-2718 transaction types this node knows. The raw value is the type byte (0 for legacy,
/// which has no type byte on the wire but reports type 0 in receipts and JSON-RPC).
public enum TransactionType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case legacy = 0x00
    /// EIP-2930.
    case accessList = 0x01
    /// EIP-1559.
    case dynamicFee = 0x02
    /// EIP-7702.
    case setCode = 0x04
    /// Scroll's L1 message (deposit) transaction.
    case l1Message = 0x7E

    public var description: String {
        switch self {
        case .legacy: "legacy"
        case .accessList: "access-list (0x01)"
        case .dynamicFee: "dynamic-fee (0x02)"
        case .setCode: "set-code (0x04)"
        case .l1Message: "L1 message (0x7e)"
        }
    }
}
