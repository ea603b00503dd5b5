/// A 32-byte value: block and transaction hashes, trie roots, storage keys.
/// Stored as four big-endian words so that equality and hashing need no heap access.
public struct Hash32: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let zero = Hash32(w0: 0, w1: 0, w2: 0, w3: 0)

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// From exactly 32 bytes; anything else is a programmer error (use `init(validating:)` for input).
    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 32, "Hash32 needs 32 bytes, got \(bytes.count)")
        var i = bytes.startIndex
        func word() -> UInt64 {
            var v: UInt64 = 0
            for _ in 0..<8 { v = v << 8 | UInt64(bytes[i]); i = bytes.index(after: i) }
            return v
        }
        w0 = word(); w1 = word(); w2 = word(); w3 = word()
    }

    /// From input of unknown length.
    public init<C: Collection>(validating bytes: C) throws(HexError) where C.Element == UInt8 {
        guard bytes.count == 32 else { throw .wrongLength(expected: 32, actual: bytes.count) }
        self.init(bytes)
    }

    /// From strict `0x` + 64 hex digits.
    public init(hex: some StringProtocol) throws(HexError) {
        try self.init(validating: Hex.decode(hex))
    }

    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for (k, w) in [w0, w1, w2, w3].enumerated() {
            for j in 0..<8 { out[k * 8 + j] = UInt8(truncatingIfNeeded: w >> (56 - 8 * UInt64(j))) }
        }
        return out
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public static func < (l: Hash32, r: Hash32) -> Bool {
        (l.w0, l.w1, l.w2, l.w3) < (r.w0, r.w1, r.w2, r.w3)
    }
}
