import Foundation
import JSON
@testable import RPC

/// A small JSON-Schema validator: the part of draft-07 / 2020-12 that the execution-apis
/// OpenRPC document uses.
///
/// Keywords: `type` (a name or a list), `properties`, `required`, `additionalProperties`
/// (false or a schema), `patternProperties`, `items` (one schema), `oneOf`, `anyOf`, `allOf`,
/// `not`, `$ref` (local, `#/components/schemas/...`), `pattern`, `enum`, `const`, `minimum`,
/// `maximum`. Annotations (`title`, `description`, ...) are ignored. An unknown keyword is an
/// error rather than a silent pass, so the validator cannot quietly check less than it seems.
struct JSONSchemaValidator {
    /// The document `$ref`s resolve against.
    let root: JSONValue
    private var regexes: [String: NSRegularExpression] = [:]

    static let annotations: Set<String> = ["title", "description", "name", "examples", "default", "deprecated", "$schema", "$id"]
    static let keywords: Set<String> = ["type", "properties", "required", "additionalProperties", "patternProperties", "items",
                                        "oneOf", "anyOf", "allOf", "not", "$ref", "pattern", "enum", "const", "minimum", "maximum"]

    init(root: JSONValue) { self.root = root }

    /// The errors of `value` against `schema`, each with the JSON path where it was found;
    /// empty when the value is valid.
    mutating func errors(_ value: JSONValue, against schema: JSONValue, path: String = "$") -> [String] {
        guard case .object(let s) = schema else {
            if schema == .bool(true) { return [] }
            if schema == .bool(false) { return ["\(path): no value allowed"] }
            return ["\(path): schema is not an object"]
        }
        var out: [String] = []
        for key in s.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            out.append("\(path): unsupported schema keyword \(key)")
        }
        if case .string(let ref)? = s["$ref"] {
            guard let target = resolve(ref) else { return out + ["\(path): unresolvable $ref \(ref)"] }
            out += errors(value, against: target, path: path)
        }
        if let type = s["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? "?"]
            if !allowed.contains(where: { Self.matchesType(value, $0) }) {
                return out + ["\(path): \(value.typeName) where \(allowed.joined(separator: "|")) is required"]
            }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(value) {
            out.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = s["const"], constant != value { out.append("\(path): \(value) is not \(constant)") }
        if case .string(let text) = value, case .string(let pattern)? = s["pattern"], !matches(text, pattern) {
            out.append("\(path): \"\(text.prefix(80))\" does not match \(pattern)")
        }
        if case .number(let n) = value {
            if let min = s["minimum"]?.numberValue, n.double < min.double { out.append("\(path): \(n) < minimum \(min)") }
            if let max = s["maximum"]?.numberValue, n.double > max.double { out.append("\(path): \(n) > maximum \(max)") }
        }
        if case .object(let object) = value {
            out += objectErrors(object, s, path: path)
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() { out += errors(item, against: itemSchema, path: "\(path)[\(i)]") }
        }
        if let all = s["allOf"]?.arrayValue {
            for sub in all { out += errors(value, against: sub, path: path) }
        }
        if let any = s["anyOf"]?.arrayValue {
            let results = any.map { errors(value, against: $0, path: path) }
            if !results.contains(where: \.isEmpty) {
                out.append("\(path): matches none of anyOf (\(results.map { $0.first ?? "" }.joined(separator: "; ")))")
            }
        }
        if let one = s["oneOf"]?.arrayValue {
            let results = one.map { errors(value, against: $0, path: path) }
            let matching = results.filter(\.isEmpty).count
            if matching != 1 {
                let why = matching == 0 ? results.map { $0.first ?? "" }.joined(separator: "; ") : "\(matching) alternatives match"
                out.append("\(path): oneOf needs exactly one match (\(why))")
            }
        }
        if let not = s["not"], errors(value, against: not, path: path).isEmpty {
            out.append("\(path): matches a schema it must not match")
        }
        return out
    }

    private mutating func objectErrors(_ object: JSONObject, _ s: JSONObject, path: String) -> [String] {
        var out: [String] = []
        for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
            out.append("\(path): missing required member \(key)")
        }
        let properties = s["properties"]?.objectValue ?? JSONObject()
        let patterns = s["patternProperties"]?.objectValue ?? JSONObject()
        for member in object.members {
            var covered = false
            if let sub = properties[member.key] {
                covered = true
                out += errors(member.value, against: sub, path: "\(path).\(member.key)")
            }
            for p in patterns.members where matches(member.key, p.key) {
                covered = true
                out += errors(member.value, against: p.value, path: "\(path).\(member.key)")
            }
            if !covered, let additional = s["additionalProperties"] {
                if additional == .bool(false) {
                    out.append("\(path): member \(member.key) is not allowed")
                } else {
                    out += errors(member.value, against: additional, path: "\(path).\(member.key)")
                }
            }
        }
        return out
    }

    static func matchesType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number):
            true
        case ("integer", .number(let n)): n.isInteger
        default: false
        }
    }

    func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = node[String(part)] else { return nil }
            node = next
        }
        return node
    }

    private mutating func matches(_ text: String, _ pattern: String) -> Bool {
        let regex: NSRegularExpression
        if let cached = regexes[pattern] {
            regex = cached
        } else {
            regex = try! NSRegularExpression(pattern: pattern)
            regexes[pattern] = regex
        }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
