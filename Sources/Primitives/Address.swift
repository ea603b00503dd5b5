/// A 20-byte account address. Printed with the EIP-55 checksum.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Big-endian: bytes 0..<8, 8..<16, 16..<20.
    var hi: UInt64, mid: UInt64, lo: UInt32

    public static let zero = Address(hi: 0, mid: 0, lo: 0)

    init(hi: UInt64, mid: UInt64, lo: UInt32) { self.hi = hi; self.mid = mid; self.lo = lo }

    /// From exactly 20 bytes; anything else is a programmer error (use `init(validating:)` for input).
    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 20, "Address needs 20 bytes, got \(bytes.count)")
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        for (i, b) in bytes.enumerated() {
            switch i {
            case 0..<8: h = h << 8 | UInt64(b)
            case 8..<16: m = m << 8 | UInt64(b)
            default: l = l << 8 | UInt32(b)
            }
        }
        self.init(hi: h, mid: m, lo: l)
    }

    public init<C: Collection>(validating bytes: C) throws(HexError) where C.Element == UInt8 {
        guard bytes.count == 20 else { throw .wrongLength(expected: 20, actual: bytes.count) }
        self.init(bytes)
    }

    /// From `0x` + 40 hex digits. Mixed case is accepted only when it is a correct EIP-55
    /// checksum; all-lowercase and all-uppercase are accepted as they are.
    public init(hex: some StringProtocol) throws(AddressError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw .invalidHex(error) }
        guard bytes.count == 20 else { throw .invalidHex(.wrongLength(expected: 20, actual: bytes.count)) }
        self.init(bytes)
        let digits = String(hex.dropFirst(2))
        let hasLower = digits.contains { $0.isLowercase }, hasUpper = digits.contains { $0.isUppercase }
        if hasLower && hasUpper && checksummed != "0x" + digits { throw .badChecksum }
    }

    /// The address of the last 20 bytes of `hash` (public key -> address).
    public init(lastBytesOf hash: Hash32) {
        self.init(hi: hash.w1 << 32 | hash.w2 >> 32, mid: hash.w2 << 32 | hash.w3 >> 32, lo: UInt32(truncatingIfNeeded: hash.w3))
    }

    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        for j in 0..<8 { out[j] = UInt8(truncatingIfNeeded: hi >> (56 - 8 * UInt64(j))) }
        for j in 0..<8 { out[8 + j] = UInt8(truncatingIfNeeded: mid >> (56 - 8 * UInt64(j))) }
        for j in 0..<4 { out[16 + j] = UInt8(truncatingIfNeeded: lo >> (24 - 8 * UInt32(j))) }
        return out
    }

    /// Lowercase `0x` hex.
    public var hex: String { Hex.encode(bytes) }

    /// EIP-55: a hex letter is upper case when the matching nibble of keccak(lowercase hex) is >= 8.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let digest = Keccak.hash256(lower).bytes
        var out = Array("0x".utf8)
        for (i, c) in lower.enumerated() {
            let n = (i % 2 == 0) ? digest[i / 2] >> 4 : digest[i / 2] & 0x0f
            out.append(c >= UInt8(ascii: "a") && n >= 8 ? c - 32 : c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { checksummed }

    public static func < (l: Address, r: Address) -> Bool { (l.hi, l.mid, l.lo) < (r.hi, r.mid, r.lo) }
}

public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidHex(HexError)
    case badChecksum

    public var description: String {
        switch self {
        case .invalidHex(let e): "invalid address: \(e)"
        case .badChecksum: "invalid address: mixed-case address fails its EIP-55 checksum"
        }
    }
}
