import Primitives

/// A JSON number kept as its literal text.
///
/// Keeping the text makes big integers exact (a uint256 balance sent as a JSON number is not
/// rounded through `Double`) and lets a response echo a numeric request id byte for byte.
/// Equality compares the text: `1` and `1.0` are different numbers here.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, valid under RFC 8259's number grammar.
    public let literal: String

    /// Wraps text already known to be a valid literal (the parser's path).
    init(uncheckedLiteral: String) { literal = uncheckedLiteral }

    /// Validates `literal` against the JSON number grammar; nil when it does not match.
    public init?(literal: String) {
        var copy = literal
        let ok = copy.withUTF8 { JSONNumber.isValidLiteral($0) }
        guard ok else { return nil }
        self.literal = literal
    }

    public init(_ value: Int) { literal = String(value) }
    public init(_ value: UInt64) { literal = String(value) }

    /// A floating-point number; nil for infinities and NaN, which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        literal = value.description
    }

    public var description: String { literal }

    /// True when the literal has no fraction and no exponent.
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value when the literal is an integer that fits `Int`.
    public var int: Int? { isInteger ? Int(literal) : nil }

    /// The value when the literal is a non-negative integer that fits `UInt64`.
    public var uint64: UInt64? { isInteger ? UInt64(literal) : nil }

    /// The value when the literal is a non-negative integer below 2^256 (exact, no rounding).
    public var u256: U256? {
        guard isInteger, !literal.hasPrefix("-") else { return nil }
        return U256(decimal: literal)
    }

    /// The nearest `Double` (rounds big integers and long fractions).
    public var double: Double { Double(literal) ?? .nan }

    /// RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isValidLiteral(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        return scanLiteral(b, from: &i) == nil && i == b.count
    }

    /// Scans a number starting at `i`; returns the offset of the first offending byte, or nil
    /// when a valid literal ends at the new `i`.
    static func scanLiteral(_ b: UnsafeBufferPointer<UInt8>, from i: inout Int) -> Int? {
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
        let n = b.count
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(b[i]) else { return i }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < n, isDigit(b[i]) { return i }  // leading zero
        } else {
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(b[i]) else { return i }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(b[i]) else { return i }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        return nil
    }
}
