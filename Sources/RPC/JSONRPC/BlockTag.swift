import Primitives

/// A block selector as JSON-RPC methods take it: a quantity or one of the named tags.
public enum BlockTag: Sendable, Hashable, CustomStringConvertible {
    case number(UInt64)
    case latest
    case earliest
    case pending
    case safe
    case finalized

    /// Parses `latest`, `earliest`, `pending`, `safe`, `finalized` or a strict quantity.
    public init(parsing text: String) throws(HexError) {
        switch text {
        case "latest": self = .latest
        case "earliest": self = .earliest
        case "pending": self = .pending
        case "safe": self = .safe
        case "finalized": self = .finalized
        default: self = .number(try Hex.decodeQuantity(text))
        }
    }

    public var description: String {
        switch self {
        case .number(let n): Hex.encodeQuantity(n)
        case .latest: "latest"
        case .earliest: "earliest"
        case .pending: "pending"
        case .safe: "safe"
        case .finalized: "finalized"
        }
    }
}
