import JSON
/// A request id: a number (kept as its literal), a string, or null. Responses echo it unchanged.
public enum RPCID: Sendable, Hashable {
    case number(JSONNumber)
    case string(String)
    case null

    /// The id from a request member; nil when the JSON type is not allowed for ids.
    public init?(_ value: JSONValue) {
        switch value {
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .null: self = .null
        default: return nil
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .number(let n): .number(n)
        case .string(let s): .string(s)
        case .null: .null
        }
    }
}
