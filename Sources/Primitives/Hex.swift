/// Strict 0x-hex, as Ethereum JSON-RPC uses it.
///
/// Two flavours exist on the wire: *data* (`0x` + an even number of hex digits, any leading
/// zeros significant) and *quantities* (`0x` + minimal hex digits, `0x0` for zero, no leading
/// zeros). Both are parsed strictly here; callers that accept sloppier input must say so.
public enum Hex {
    /// Decodes `0x`-prefixed data with an even number of digits (`0x` alone is empty data).
    public static func decode(_ text: some StringProtocol) throws(HexError) -> [UInt8] {
        var utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X")
        else { throw .missingPrefix }
        utf8.removeFirst(2)
        return try decodeDigits(utf8, offset: 2)
    }

    /// Decodes data whose `0x` prefix is optional (key files, test vectors).
    public static func decodeOptionalPrefix(_ text: some StringProtocol) throws(HexError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
            return try decodeDigits(Array(utf8.dropFirst(2)), offset: 2)
        }
        return try decodeDigits(utf8, offset: 0)
    }

    private static func decodeDigits(_ digits: [UInt8], offset: Int) throws(HexError) -> [UInt8] {
        guard digits.count % 2 == 0 else { throw .oddLength(digits.count) }
        var out = [UInt8](repeating: 0, count: digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = nibble(digits[i]) else { throw .invalidCharacter(position: i + offset) }
            guard let lo = nibble(digits[i + 1]) else { throw .invalidCharacter(position: i + 1 + offset) }
            out[i / 2] = hi << 4 | lo
            i += 2
        }
        return out
    }

    /// Parses a quantity into a `UInt64`: `0x` prefix, at least one digit, no leading zeros.
    public static func decodeQuantity(_ text: some StringProtocol) throws(HexError) -> UInt64 {
        let digits = try quantityDigits(text)
        guard digits.count <= 16 else { throw .valueTooLarge(bits: 64) }
        var value: UInt64 = 0
        for (i, d) in digits.enumerated() {
            guard let n = nibble(d) else { throw .invalidCharacter(position: i + 2) }
            value = value << 4 | UInt64(n)
        }
        return value
    }

    /// Validates the quantity form and returns its digits (without `0x`).
    static func quantityDigits(_ text: some StringProtocol) throws(HexError) -> ArraySlice<UInt8> {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X")
        else { throw .missingPrefix }
        let digits = utf8[2...]
        guard !digits.isEmpty else { throw .emptyQuantity }
        if digits.count > 1, digits.first == UInt8(ascii: "0") { throw .leadingZeros }
        for (i, d) in digits.enumerated() where nibble(d) == nil { throw .invalidCharacter(position: i + 2) }
        return digits
    }

    /// `0x` + two lowercase digits per byte.
    ///
    /// Arrays and other contiguous collections take a loop over their buffer: called from
    /// another module this generic function is not specialized, and iterating a generic
    /// collection byte by byte through its witness table cost about 18% of serving a receipt.
    public static func encode<C: Collection>(_ bytes: C, prefix: Bool = true) -> String where C.Element == UInt8 {
        if let s = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0, prefix: prefix) }) { return s }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0, prefix: prefix) }
    }

    private static func encode(buffer: UnsafeBufferPointer<UInt8>, prefix: Bool) -> String {
        let count = buffer.count * 2 + (prefix ? 2 : 0)
        return String(unsafeUninitializedCapacity: count) { out in
            var i = 0
            if prefix {
                out[0] = UInt8(ascii: "0")
                out[1] = UInt8(ascii: "x")
                i = 2
            }
            digitTable.withUnsafeBufferPointer { digits in
                for b in buffer {
                    out[i] = digits[Int(b >> 4)]
                    out[i + 1] = digits[Int(b & 0x0f)]
                    i += 2
                }
            }
            return count
        }
    }

    /// A quantity: `0x0` for zero, otherwise minimal lowercase digits.
    public static func encodeQuantity(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }

    static let digitTable: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Why a hex string was rejected. Positions count characters from the start of the string.
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingPrefix
    case oddLength(Int)
    case invalidCharacter(position: Int)
    case emptyQuantity
    case leadingZeros
    case valueTooLarge(bits: Int)
    case wrongLength(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .missingPrefix: "hex string must start with 0x"
        case .oddLength(let n): "hex string has an odd number of digits (\(n))"
        case .invalidCharacter(let p): "invalid hex character at position \(p)"
        case .emptyQuantity: "hex number has no digits"
        case .leadingZeros: "hex number has leading zero digits"
        case .valueTooLarge(let bits): "hex number does not fit in \(bits) bits"
        case .wrongLength(let e, let a): "expected \(e) bytes, got \(a)"
        }
    }
}
