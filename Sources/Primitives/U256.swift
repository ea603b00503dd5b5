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
        var limbs: [UInt64] = [0, 0, 0, 0]
        var shift = 0
        for b in bytes.reversed() {
            limbs[shift / 64] |= UInt64(b) << UInt64(shift % 64)
            shift += 8
        }
        self.init(l0: limbs[0], l1: limbs[1], l2: limbs[2], l3: limbs[3])
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

    var limbs: [UInt64] { [l0, l1, l2, l3] }
    init(limbs: [UInt64]) { self.init(l0: limbs[0], l1: limbs[1], l2: limbs[2], l3: limbs[3]) }

    public var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// The value as a `UInt64` when it fits.
    public var uint64: UInt64? { (l1 | l2 | l3) == 0 ? l0 : nil }

    /// Number of significant bits (0 for zero).
    public var bitWidth: Int {
        if l3 != 0 { return 256 - l3.leadingZeroBitCount }
        if l2 != 0 { return 192 - l2.leadingZeroBitCount }
        if l1 != 0 { return 128 - l1.leadingZeroBitCount }
        return 64 - l0.leadingZeroBitCount
    }

    /// 32 big-endian bytes.
    public var bigEndianBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for (k, limb) in [l3, l2, l1, l0].enumerated() {
            for j in 0..<8 { out[k * 8 + j] = UInt8(truncatingIfNeeded: limb >> (56 - 8 * UInt64(j))) }
        }
        return out
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

    // MARK: arithmetic

    public func addingReportingOverflow(_ o: U256) -> (partialValue: U256, overflow: Bool) {
        let (a0, c0) = l0.addingReportingOverflow(o.l0)
        var (a1, c1) = l1.addingReportingOverflow(o.l1)
        var c1b = false
        if c0 { (a1, c1b) = a1.addingReportingOverflow(1) }
        var (a2, c2) = l2.addingReportingOverflow(o.l2)
        var c2b = false
        if c1 || c1b { (a2, c2b) = a2.addingReportingOverflow(1) }
        var (a3, c3) = l3.addingReportingOverflow(o.l3)
        var c3b = false
        if c2 || c2b { (a3, c3b) = a3.addingReportingOverflow(1) }
        return (U256(l0: a0, l1: a1, l2: a2, l3: a3), c3 || c3b)
    }

    public func subtractingReportingOverflow(_ o: U256) -> (partialValue: U256, overflow: Bool) {
        let (a0, b0) = l0.subtractingReportingOverflow(o.l0)
        var (a1, b1) = l1.subtractingReportingOverflow(o.l1)
        var b1b = false
        if b0 { (a1, b1b) = a1.subtractingReportingOverflow(1) }
        var (a2, b2) = l2.subtractingReportingOverflow(o.l2)
        var b2b = false
        if b1 || b1b { (a2, b2b) = a2.subtractingReportingOverflow(1) }
        var (a3, b3) = l3.subtractingReportingOverflow(o.l3)
        var b3b = false
        if b2 || b2b { (a3, b3b) = a3.subtractingReportingOverflow(1) }
        return (U256(l0: a0, l1: a1, l2: a2, l3: a3), b3 || b3b)
    }

    public func multipliedReportingOverflow(by o: U256) -> (partialValue: U256, overflow: Bool) {
        let a = limbs, b = o.limbs
        var r: [UInt64] = [0, 0, 0, 0]
        var overflow = false
        for i in 0..<4 where a[i] != 0 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (hi, lo) = a[i].multipliedFullWidth(by: b[j])
                if i + j >= 4 {
                    if hi != 0 || lo != 0 || carry != 0 { overflow = true }
                    continue
                }
                let (s1, c1) = r[i + j].addingReportingOverflow(lo)
                let (s2, c2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            if carry != 0 { overflow = true }
        }
        return (U256(limbs: r), overflow)
    }

    /// Quotient and remainder by a 64-bit divisor (fast path used for printing).
    public func quotientAndRemainder(dividingBy d: UInt64) -> (quotient: U256, remainder: UInt64) {
        precondition(d != 0, "division by zero")
        var q: [UInt64] = [0, 0, 0, 0]
        var rem: UInt64 = 0
        let a = limbs
        for i in stride(from: 3, through: 0, by: -1) {
            let (qq, rr) = d.dividingFullWidth((high: rem, low: a[i]))
            q[i] = qq; rem = rr
        }
        return (U256(limbs: q), rem)
    }

    /// Quotient and remainder by a 256-bit divisor (shift-subtract; fine for fee arithmetic).
    public func quotientAndRemainder(dividingBy d: U256) -> (quotient: U256, remainder: U256) {
        precondition(!d.isZero, "division by zero")
        if let small = d.uint64 {
            let (q, r) = quotientAndRemainder(dividingBy: small)
            return (q, U256(r))
        }
        if self < d { return (.zero, self) }
        var q = U256.zero, r = U256.zero
        for bit in stride(from: bitWidth - 1, through: 0, by: -1) {
            r = r << 1
            if self.bit(bit) { r.l0 |= 1 }
            if r >= d {
                r = r.subtractingReportingOverflow(d).partialValue
                q.setBit(bit)
            }
        }
        return (q, r)
    }

    func bit(_ i: Int) -> Bool { (limbs[i / 64] >> UInt64(i % 64)) & 1 == 1 }
    mutating func setBit(_ i: Int) {
        var l = limbs; l[i / 64] |= 1 << UInt64(i % 64); self = U256(limbs: l)
    }

    public static func + (a: U256, b: U256) -> U256 {
        let (v, o) = a.addingReportingOverflow(b); precondition(!o, "U256 addition overflow"); return v
    }
    public static func - (a: U256, b: U256) -> U256 {
        let (v, o) = a.subtractingReportingOverflow(b); precondition(!o, "U256 subtraction underflow"); return v
    }
    public static func * (a: U256, b: U256) -> U256 {
        let (v, o) = a.multipliedReportingOverflow(by: b); precondition(!o, "U256 multiplication overflow"); return v
    }
    public static func / (a: U256, b: U256) -> U256 { a.quotientAndRemainder(dividingBy: b).quotient }
    public static func % (a: U256, b: U256) -> U256 { a.quotientAndRemainder(dividingBy: b).remainder }
    public static func += (a: inout U256, b: U256) { a = a + b }
    public static func -= (a: inout U256, b: U256) { a = a - b }

    public static func << (a: U256, n: Int) -> U256 {
        if n <= 0 { return n == 0 ? a : a >> -n }
        if n >= 256 { return .zero }
        let src = a.limbs
        var r: [UInt64] = [0, 0, 0, 0]
        let words = n / 64, bits = UInt64(n % 64)
        for i in stride(from: 3, through: words, by: -1) {
            r[i] = src[i - words] << bits
            if bits > 0 && i - words - 1 >= 0 { r[i] |= src[i - words - 1] >> (64 - bits) }
        }
        return U256(limbs: r)
    }

    public static func >> (a: U256, n: Int) -> U256 {
        if n <= 0 { return n == 0 ? a : a << -n }
        if n >= 256 { return .zero }
        let src = a.limbs
        var r: [UInt64] = [0, 0, 0, 0]
        let words = n / 64, bits = UInt64(n % 64)
        for i in 0..<(4 - words) {
            r[i] = src[i + words] >> bits
            if bits > 0 && i + words + 1 < 4 { r[i] |= src[i + words + 1] << (64 - bits) }
        }
        return U256(limbs: r)
    }

    public static func | (a: U256, b: U256) -> U256 {
        U256(l0: a.l0 | b.l0, l1: a.l1 | b.l1, l2: a.l2 | b.l2, l3: a.l3 | b.l3)
    }
    public static func & (a: U256, b: U256) -> U256 {
        U256(l0: a.l0 & b.l0, l1: a.l1 & b.l1, l2: a.l2 & b.l2, l3: a.l3 & b.l3)
    }

    public static func < (a: U256, b: U256) -> Bool { (a.l3, a.l2, a.l1, a.l0) < (b.l3, b.l2, b.l1, b.l0) }

    public static func min(_ a: U256, _ b: U256) -> U256 { a < b ? a : b }
}
