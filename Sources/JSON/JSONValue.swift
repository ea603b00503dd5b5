/// A JSON document, as the RPC server, the L1 watcher and the load generator see it.
///
/// Numbers keep their literal text (see ``JSONNumber``) so a 300-digit integer or a request id
/// such as `1.50` survives a round trip unchanged; objects keep their members in wire order
/// (see ``JSONObject``). Parse with ``init(parsing:maxDepth:)``, write with ``serialized()``.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// An integer number.
    public static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// A JSON-RPC quantity string (`0x0`, `0x1f`, ...).
    public static func quantity(_ value: UInt64) -> JSONValue {
        .string("0x" + String(value, radix: 16))
    }

    /// The JSON type name used in error messages (`null`, `boolean`, `number`, ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// True for JSON `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The payload when the value is of that JSON type; nil otherwise (no conversions).
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    public var numberValue: JSONNumber? { if case .number(let n) = self { n } else { nil } }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }

    /// The member named `key` of an object (the last one if the key repeats); nil otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { o[key] } else { nil }
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let a) = self, a.indices.contains(index) else { return nil }
        return a[index]
    }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { serializedString() }
}
