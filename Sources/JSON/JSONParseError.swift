/// Why a JSON text was rejected, and at which byte (0-based offset into the input).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        case unexpectedEndOfInput
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case loneSurrogate
        case controlCharacterInString
        case invalidUTF8
        case tooDeep(limit: Int)
        case trailingData
    }

    public var reason: Reason
    /// Byte offset of the problem in the input.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEndOfInput: what = "unexpected end of JSON input"
        case .unexpectedByte(let b):
            what = b >= 0x20 && b < 0x7f
                ? "invalid character '\(Character(Unicode.Scalar(b)))'"
                : "invalid byte 0x\(String(b, radix: 16))"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape in string"
        case .invalidUnicodeEscape: what = "invalid \\u escape in string"
        case .loneSurrogate: what = "unpaired UTF-16 surrogate in \\u escape"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidUTF8: what = "invalid UTF-8 in string"
        case .tooDeep(let limit): what = "nesting deeper than \(limit) levels"
        case .trailingData: what = "invalid character after top-level value"
        }
        return "\(what) at byte \(offset)"
    }
}
