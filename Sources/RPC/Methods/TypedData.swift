import JSON
import Primitives

/// EIP-712 typed structured data as eth_signTypedData_v4 receives it (`types`, `primaryType`,
/// `domain`, `message`), and its signing digest:
/// keccak256(0x19 0x01 ‖ hashStruct(EIP712Domain, domain) ‖ hashStruct(primaryType, message)).
///
/// As MetaMask's v4 and eth-account encode: arrays (dynamic and fixed) hash the concatenated
/// encodings of their items, structs inside structs and arrays hash with `hashStruct`, `string`
/// and `bytes` hash their contents, `bytesN` is right-padded, integers are 32-byte two's
/// complement and may be JSON numbers, decimal strings or hex strings. When `types` has no
/// `EIP712Domain`, it is derived from the domain's fields (name, version, chainId,
/// verifyingContract, salt), as ethers does. A field missing from the data is an error that
/// names it.
struct TypedData {
    typealias Field = (name: String, type: String)

    let types: [String: [Field]]
    let primaryType: String
    let domain: JSONObject
    let message: JSONObject

    struct Invalid: Error { let reason: String }

    init(_ value: JSONValue) throws(Invalid) {
        var document = value
        if case .string(let text) = value {  // many clients send the typed data as a JSON string
            let parsed = Array(text.utf8).withUnsafeBytes { bytes in try? JSONParser.parse(bytes) }
            guard let parsed else { throw Invalid(reason: "typed data is a string that is not JSON") }
            document = parsed
        }
        guard case .object(let root) = document else { throw Invalid(reason: "typed data must be an object, got \(document.typeName)") }
        guard case .object(let rawTypes)? = root["types"] else { throw Invalid(reason: "typed data has no \"types\" object") }
        guard case .string(let primary)? = root["primaryType"] else { throw Invalid(reason: "typed data has no \"primaryType\"") }
        guard case .object(let domain)? = root["domain"] else { throw Invalid(reason: "typed data has no \"domain\" object") }
        var message = JSONObject()
        if primary != "EIP712Domain" {
            guard case .object(let m)? = root["message"] else { throw Invalid(reason: "typed data has no \"message\" object") }
            message = m
        }
        var types: [String: [Field]] = [:]
        for member in rawTypes {
            guard case .array(let items) = member.value else { throw Invalid(reason: "types.\(member.key) must be an array") }
            var fields: [Field] = []
            for item in items {
                guard case .object(let f) = item, case .string(let name)? = f["name"], case .string(let type)? = f["type"] else {
                    throw Invalid(reason: "types.\(member.key): every field needs a string \"name\" and \"type\"")
                }
                fields.append((name, type))
            }
            types[member.key] = fields
        }
        if types["EIP712Domain"] == nil {
            let standard: [Field] = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                                     ("verifyingContract", "address"), ("salt", "bytes32")]
            types["EIP712Domain"] = standard.filter { field in domain[field.name].map { !$0.isNull } ?? false }
        }
        guard types[primary] != nil else { throw Invalid(reason: "primaryType \"\(primary)\" is not in types") }
        self.types = types
        self.primaryType = primary
        self.domain = domain
        self.message = message
    }

    /// The digest eth_signTypedData_v4 signs.
    func signingDigest() throws(Invalid) -> Hash32 {
        var bytes: [UInt8] = [0x19, 0x01]
        bytes += try hashStruct("EIP712Domain", domain).bytes
        if primaryType != "EIP712Domain" { bytes += try hashStruct(primaryType, message).bytes }
        return Keccak.hash256(bytes)
    }

    // MARK: Encoding

    /// "Mail(Person from,Person to,string contents)Person(string name,address wallet)".
    func encodeType(_ type: String) -> String {
        var dependencies = Set<String>()
        collectDependencies(of: type, into: &dependencies)
        dependencies.remove(type)
        return ([type] + dependencies.sorted()).map { name in
            "\(name)(" + (types[name] ?? []).map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }.joined()
    }

    private func collectDependencies(of type: String, into found: inout Set<String>) {
        let base = Self.baseType(type)
        guard let fields = types[base], !found.contains(base) else { return }
        found.insert(base)
        for field in fields { collectDependencies(of: field.type, into: &found) }
    }

    func hashStruct(_ type: String, _ data: JSONObject) throws(Invalid) -> Hash32 {
        guard let fields = types[type] else { throw Invalid(reason: "unknown type \"\(type)\"") }
        var encoded = Keccak.hash256(Array(encodeType(type).utf8)).bytes
        for field in fields {
            guard let value = data[field.name], !value.isNull else {
                throw Invalid(reason: "\(type).\(field.name) (\(field.type)) is missing")
            }
            encoded += try encodeValue(field.type, value, path: "\(type).\(field.name)")
        }
        return Keccak.hash256(encoded)
    }

    /// The element type of an array type ("Person[]" and "uint8[3]" -> "Person", "uint8").
    static func baseType(_ type: String) -> String {
        guard let bracket = type.firstIndex(of: "[") else { return type }
        return String(type[..<bracket])
    }

    private func encodeValue(_ type: String, _ value: JSONValue, path: String) throws(Invalid) -> [UInt8] {
        if type.hasSuffix("]"), let open = type.lastIndex(of: "[") {
            let element = String(type[..<open])
            guard case .array(let items) = value else { throw Invalid(reason: "\(path) (\(type)) must be an array") }
            let size = type[type.index(after: open)..<type.index(before: type.endIndex)]
            if !size.isEmpty, Int(size) != items.count {
                throw Invalid(reason: "\(path) (\(type)) has \(items.count) items")
            }
            var concatenated: [UInt8] = []
            for (i, item) in items.enumerated() { concatenated += try encodeValue(element, item, path: "\(path)[\(i)]") }
            return Keccak.hash256(concatenated).bytes
        }
        if types[type] != nil {
            guard case .object(let object) = value else { throw Invalid(reason: "\(path) (\(type)) must be an object") }
            return try hashStruct(type, object).bytes
        }
        switch type {
        case "string":
            guard case .string(let text) = value else { throw Invalid(reason: "\(path) (string) must be a string") }
            return Keccak.hash256(Array(text.utf8)).bytes
        case "bytes":
            return Keccak.hash256(try Self.bytes(value, path: path, type: type)).bytes
        case "bool":
            switch value {
            case .bool(let b): return Self.word(U256(b ? 1 : 0))
            case .string("true"): return Self.word(U256(1))
            case .string("false"): return Self.word(U256(0))
            default: throw Invalid(reason: "\(path) (bool) must be true or false")
            }
        case "address":
            let raw = try Self.bytes(value, path: path, type: type)
            guard raw.count == 20 else { throw Invalid(reason: "\(path) (address) must be 20 bytes") }
            return [UInt8](repeating: 0, count: 12) + raw
        default:
            if type.hasPrefix("bytes"), let n = Int(type.dropFirst(5)), (1...32).contains(n) {
                let raw = try Self.bytes(value, path: path, type: type)
                guard raw.count <= n else { throw Invalid(reason: "\(path) (\(type)) is longer than \(n) bytes") }
                return raw + [UInt8](repeating: 0, count: 32 - raw.count)
            }
            if type.hasPrefix("uint") || type.hasPrefix("int") {
                let signed = type.hasPrefix("int")
                let bits = Int(type.dropFirst(signed ? 3 : 4)) ?? 256
                guard bits % 8 == 0, (8...256).contains(bits) else { throw Invalid(reason: "\(path): unknown type \(type)") }
                return Self.word(try Self.integer(value, signed: signed, path: path, type: type))
            }
            throw Invalid(reason: "\(path): unknown type \"\(type)\"")
        }
    }

    private static func word(_ value: U256) -> [UInt8] { value.bigEndianBytes }

    private static func bytes(_ value: JSONValue, path: String, type: String) throws(Invalid) -> [UInt8] {
        guard case .string(let text) = value, let raw = try? Hex.decode(text) else {
            throw Invalid(reason: "\(path) (\(type)) must be a 0x-prefixed hex string")
        }
        return raw
    }

    /// A JSON number, a decimal string or a 0x hex string; negative values as 256-bit two's complement.
    private static func integer(_ value: JSONValue, signed: Bool, path: String, type: String) throws(Invalid) -> U256 {
        var text: String
        switch value {
        case .number(let n): text = n.literal
        case .string(let s): text = s
        default: throw Invalid(reason: "\(path) (\(type)) must be a number or a numeric string")
        }
        var negative = false
        if text.hasPrefix("-") {
            guard signed else { throw Invalid(reason: "\(path) (\(type)) cannot be negative") }
            negative = true
            text.removeFirst()
        }
        let magnitude: U256?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            magnitude = digits.isEmpty ? nil : (try? Hex.decode("0x" + (digits.count % 2 == 1 ? "0" : "") + digits)).flatMap { U256(bigEndian: $0) }
        } else {
            magnitude = U256(decimal: text)
        }
        guard let magnitude else { throw Invalid(reason: "\(path) (\(type)) is not an integer: \(value)") }
        return negative ? U256.zero.subtractingReportingOverflow(magnitude).partialValue : magnitude
    }
}
