/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Strict means: no comments, no trailing commas, no leading zeros, no NaN, no single quotes,
/// only the four JSON whitespace bytes, valid UTF-8 in strings, no unpaired surrogates, one
/// top-level value with nothing after it but whitespace, and at most `maxDepth` nested arrays
/// and objects.
public struct JSONParser: ~Copyable {
    /// The nesting limit used when none is given.
    public static let defaultMaxDepth = 128

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var i = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses one JSON document from `bytes`.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.i == parser.bytes.count else { throw JSONParseError(.trailingData, at: parser.i) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw JSONParseError(.unexpectedEndOfInput, at: i) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let b: throw JSONParseError(.unexpectedByte(b), at: i)
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1  // {
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected() }
            i += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"):
                i += 1
                depth -= 1
                return .object(JSONObject(members))
            default: throw unexpected()
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"):
                i += 1
                depth -= 1
                return .array(elements)
            default: throw unexpected()
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = i
        if let bad = JSONNumber.scanLiteral(bytes, from: &i) {
            throw JSONParseError(bad < bytes.count ? .invalidNumber : .unexpectedEndOfInput, at: bad)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        return JSONNumber(uncheckedLiteral: text)
    }

    // MARK: - Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let open = i
        i += 1  // "
        let start = i
        // Fast path: no escapes.
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
                i += 1
                return try makeString(raw, stringStart: open)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw JSONParseError(.controlCharacterInString, at: i) }
            i += 1
        }
        guard i < bytes.count else { throw JSONParseError(.unexpectedEndOfInput, at: i) }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                return try out.withUnsafeBufferPointer { (raw) throws(JSONParseError) in
                    try makeString(raw, stringStart: open)
                }
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0..<0x20:
                throw JSONParseError(.controlCharacterInString, at: i)
            default:
                out.append(c)
                i += 1
            }
        }
        throw JSONParseError(.unexpectedEndOfInput, at: i)
    }

    private func makeString(_ raw: UnsafeBufferPointer<UInt8>, stringStart: Int) throws(JSONParseError) -> String {
        var ascii = true
        for b in raw where b >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: raw, as: UTF8.self) }
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw JSONParseError(.invalidUTF8, at: stringStart)
        }
        return s
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = i
        i += 1  // backslash
        guard i < bytes.count else { throw JSONParseError(.unexpectedEndOfInput, at: i) }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4()
            var scalar: UInt32
            if unit >= 0xD800 && unit < 0xDC00 {
                // High surrogate: a \uDC00-\uDFFF must follow.
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, at: escapeStart)
                }
                i += 2
                let low = try hex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if unit >= 0xDC00 && unit < 0xE000 {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            } else {
                scalar = UInt32(unit)
            }
            appendUTF8(scalar, to: &out)
        default:
            throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt16 {
        guard i + 4 <= bytes.count else { throw JSONParseError(.unexpectedEndOfInput, at: bytes.count) }
        var v: UInt16 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let n: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): n = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): n = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): n = c - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: i + k)
            }
            v = v << 4 | UInt16(n)
        }
        i += 4
        return v
    }

    private func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        switch s {
        case 0..<0x80:
            out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | s >> 6))
            out.append(UInt8(0x80 | s & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | s >> 12))
            out.append(UInt8(0x80 | (s >> 6) & 0x3F))
            out.append(UInt8(0x80 | s & 0x3F))
        default:
            out.append(UInt8(0xF0 | s >> 18))
            out.append(UInt8(0x80 | (s >> 12) & 0x3F))
            out.append(UInt8(0x80 | (s >> 6) & 0x3F))
            out.append(UInt8(0x80 | s & 0x3F))
        }
    }

    // MARK: - Helpers

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    @inline(__always)
    private func peek() throws(JSONParseError) -> UInt8 {
        guard i < bytes.count else { throw JSONParseError(.unexpectedEndOfInput, at: i) }
        return bytes[i]
    }

    private func unexpected() -> JSONParseError {
        i < bytes.count ? JSONParseError(.unexpectedByte(bytes[i]), at: i) : JSONParseError(.unexpectedEndOfInput, at: i)
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw JSONParseError(.tooDeep(limit: maxDepth), at: i) }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        for k in 0..<n {
            guard i + k < bytes.count else { throw JSONParseError(.unexpectedEndOfInput, at: i + k) }
            guard bytes[i + k] == w[k] else { throw JSONParseError(.unexpectedByte(bytes[i + k]), at: i + k) }
        }
        i += n
    }
}

extension JSONValue {
    /// Parses a JSON document from UTF-8 bytes (see ``JSONParser`` for what "strict" covers).
    public init(parsing bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) {
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
            try JSONParser.parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
        }
    }

    /// Parses a JSON document from a string.
    public init(parsing text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try JSONParser.parse(UnsafeRawBufferPointer(utf8), maxDepth: maxDepth) }
        }
        self = try result.get()
    }
}
