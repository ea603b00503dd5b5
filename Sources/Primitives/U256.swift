/// An unsigned 256-bit integer with checked arithmetic.
///
/// The operators `+ - *` trap on overflow like Swift's own integers (overflow is a programmer
/// error there); consensus code that must handle overflow uses the `…ReportingOverflow` forms.
public struct U256: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Little-endian 64-bit limbs: `l0` is the least significant.
    public var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    public static let zero = U256(l0: 0, l1: 0, l2: 0, l3: 0)
    public static let one = U256(l0: 1, l1: 0, l2: 0, l3: 0)
    public static let max = U256(l0: .max, l1: .max, l2: .max, l3: .max)

    public init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    public init(_ v: UInt64) { self.init(l0: v, l1: 0, l2: 0, l3: 0) }
    public init(integerLiteral v: UInt64) { self.init(v) }

    /// From big-endian bytes, at most 32 of them (leading zeros allowed here; RLP checks them).
    public init?<C: Collection>(bigEndian bytes: C) where C.Element == UInt8 {
        guard bytes.count <= 32 else { return nil }
        var v = U256.zero
        var shift = 0
        for b in bytes.reversed() {
            v.setLimb(shift >> 6, v.limb(shift >> 6) | UInt64(b) &<< UInt64(shift & 63))
            shift += 8
        }
        self = v
    }

    /// From a strict JSON-RPC quantity (`0x`, no leading zeros, at most 64 digits).
    public init(quantity: some StringProtocol) throws(HexError) {
        let digits = try Hex.quantityDigits(quantity)
        guard digits.count <= 64 else { throw .valueTooLarge(bits: 256) }
        var v = U256.zero
        for d in digits { v = (v << 4) | U256(UInt64(Hex.nibble(d)!)) }
        self = v
    }

    /// From a decimal string (used by test vectors and chain specs).
    public init?(decimal: some StringProtocol) {
        guard !decimal.isEmpty else { return nil }
        var v = U256.zero
        for c in decimal.utf8 {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: U256(10))
            let (s, o2) = m.addingReportingOverflow(U256(UInt64(c - UInt8(ascii: "0"))))
            if o1 || o2 { return nil }
            v = s
        }
        self = v
    }

    /// The four limbs, least significant first (a tuple: no allocation).
    @inlinable public var limbs: (UInt64, UInt64, UInt64, UInt64) { (l0, l1, l2, l3) }
    @inlinable public init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.init(l0: limbs.0, l1: limbs.1, l2: limbs.2, l3: limbs.3)
    }

    /// Limb `i` (0 is the least significant); `i` must be in 0..<4.
    @inlinable public func limb(_ i: Int) -> UInt64 {
        switch i {
        case 0: return l0
        case 1: return l1
        case 2: return l2
        default: return l3
        }
    }

    @inlinable mutating func setLimb(_ i: Int, _ v: UInt64) {
        switch i {
        case 0: l0 = v
        case 1: l1 = v
        case 2: l2 = v
        default: l3 = v
        }
    }

    @inlinable public var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// The value as a `UInt64` when it fits.
    @inlinable public var uint64: UInt64? { (l1 | l2 | l3) == 0 ? l0 : nil }

    /// Number of significant bits (0 for zero).
    @inlinable public var bitWidth: Int {
        if l3 != 0 { return 256 - l3.leadingZeroBitCount }
        if l2 != 0 { return 192 - l2.leadingZeroBitCount }
        if l1 != 0 { return 128 - l1.leadingZeroBitCount }
        return 64 - l0.leadingZeroBitCount
    }

    /// 32 big-endian bytes.
    public var bigEndianBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buf, count in
            storeBigEndian(into: UnsafeMutableRawPointer(buf.baseAddress!))
            count = 32
        }
    }

    /// Big-endian bytes without leading zeros (empty for zero), as RLP encodes integers.
    public var minimalBytes: [UInt8] {
        let n = (bitWidth + 7) / 8
        return Array(bigEndianBytes[(32 - n)...])
    }

    /// JSON-RPC quantity: `0x0` or minimal lowercase hex digits.
    public var quantity: String {
        if isZero { return "0x0" }
        var s = "0x"
        var started = false
        for limb in [l3, l2, l1, l0] {
            if !started {
                if limb == 0 { continue }
                s += String(limb, radix: 16); started = true
            } else {
                let h = String(limb, radix: 16)
                s += String(repeating: "0", count: 16 - h.count) + h
            }
        }
        return s
    }

    public var decimal: String {
        if isZero { return "0" }
        var digits: [UInt8] = []
        var v = self
        while !v.isZero {
            let (q, r) = v.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000 as UInt64)
            var chunk = r
            for _ in 0..<19 {
                digits.append(UInt8(chunk % 10) + UInt8(ascii: "0"))
                chunk /= 10
                if q.isZero && chunk == 0 { break }
            }
            v = q
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    public var description: String { decimal }

}
