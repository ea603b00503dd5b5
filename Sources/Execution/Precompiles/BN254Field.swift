/// Arithmetic over alt_bn128 (BN254), the curve of EIP-196/197: the base field Fp, in Montgomery
/// form on four 64-bit limbs (least significant first).
///
/// p = 21888242871839275222246405745257275088696311157297823662689037894645226208583.
/// A value x is stored as x·R mod p with R = 2^256; multiplication is Montgomery's CIOS method
/// with full-width 64-bit products.
protocol BN254Field: Equatable, Sendable {
    static var zero: Self { get }
    static var one: Self { get }
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squared() -> Self
    func doubled() -> Self
    func inverse() -> Self
}

struct BN254Fp: BN254Field {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    @inline(__always)
    init(limbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    // The modulus p, -p^-1 mod 2^64, R mod p (one) and R^2 mod p (to enter Montgomery form).
    static let p0: UInt64 = 0x3c20_8c16_d87c_fd47, p1: UInt64 = 0x9781_6a91_6871_ca8d
    static let p2: UInt64 = 0xb850_45b6_8181_585d, p3: UInt64 = 0x3064_4e72_e131_a029
    static let inv: UInt64 = 0x87d2_0782_e486_6389
    static let zero = BN254Fp(limbs: 0, 0, 0, 0)
    static let one = BN254Fp(limbs: 0xd35d_438d_c58f_0d9d, 0x0a78_eb28_f5c7_0b3d,
                             0x666e_a36f_7879_462c, 0x0e0a_77c1_9a07_df2f)
    static let r2 = BN254Fp(limbs: 0xf32c_fc5b_538a_fa89, 0xb5e7_1911_d445_01fb,
                            0x47ab_1eff_0a41_7ff6, 0x06d8_9f71_cab8_351f)
    /// p - 2, the exponent of Fermat inversion.
    static let pMinus2: [UInt64] = [0x3c20_8c16_d87c_fd45, 0x9781_6a91_6871_ca8d,
                                    0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029]

    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// The element for a canonical integer given as limbs (least significant first), or nil when
    /// it is not below p.
    init?(canonical v0: UInt64, _ v1: UInt64, _ v2: UInt64, _ v3: UInt64) {
        guard BN254Fp.isBelowModulus(v0, v1, v2, v3) else { return nil }
        self = BN254Fp(limbs: v0, v1, v2, v3) * BN254Fp.r2
    }

    init(_ small: UInt64) { self = BN254Fp(limbs: small, 0, 0, 0) * BN254Fp.r2 }

    /// From 32 big-endian bytes at `offset`; nil when the number is not below p.
    init?(bigEndian bytes: UnsafeBufferPointer<UInt8>, at offset: Int) {
        func limb(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            let start = offset + 24 - 8 * k
            for i in 0..<8 { v = v << 8 | UInt64(bytes[start + i]) }
            return v
        }
        self.init(canonical: limb(0), limb(1), limb(2), limb(3))
    }

    /// The canonical integer as 32 big-endian bytes.
    func bigEndianBytes() -> [UInt8] {
        let c = self * BN254Fp(limbs: 1, 0, 0, 0)
        var out = [UInt8](repeating: 0, count: 32)
        let ls = [c.l3, c.l2, c.l1, c.l0]
        for k in 0..<4 { for i in 0..<8 { out[8 * k + i] = UInt8(truncatingIfNeeded: ls[k] >> (56 - 8 * UInt64(i))) } }
        return out
    }

    @inline(__always)
    static func isBelowModulus(_ v0: UInt64, _ v1: UInt64, _ v2: UInt64, _ v3: UInt64) -> Bool {
        if v3 != p3 { return v3 < p3 }
        if v2 != p2 { return v2 < p2 }
        if v1 != p1 { return v1 < p1 }
        return v0 < p0
    }

    /// a + b + carry as (sum, carry out).
    @inline(__always)
    static func adc(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (s1, c1) = a.addingReportingOverflow(b)
        let (s2, c2) = s1.addingReportingOverflow(carry)
        return (s2, (c1 ? 1 : 0) &+ (c2 ? 1 : 0))
    }

    /// a - b - borrow as (difference, borrow out).
    @inline(__always)
    static func sbb(_ a: UInt64, _ b: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
        let (d1, b1) = a.subtractingReportingOverflow(b)
        let (d2, b2) = d1.subtractingReportingOverflow(borrow)
        return (d2, (b1 ? 1 : 0) &+ (b2 ? 1 : 0))
    }

    /// a * b + c + d as (high, low); never overflows 128 bits.
    @inline(__always)
    static func mac(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> (UInt64, UInt64) {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        let (s1, c1) = lo.addingReportingOverflow(c)
        let (s2, c2) = s1.addingReportingOverflow(d)
        return (hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0), s2)
    }

    /// Subtracts p when the 256-bit value (plus a carry bit) is at least p.
    @inline(__always)
    static func reduceOnce(_ t0: UInt64, _ t1: UInt64, _ t2: UInt64, _ t3: UInt64, _ carry: UInt64) -> BN254Fp {
        let (s0, b0) = sbb(t0, p0, 0)
        let (s1, b1) = sbb(t1, p1, b0)
        let (s2, b2) = sbb(t2, p2, b1)
        let (s3, b3) = sbb(t3, p3, b2)
        // Keep the subtraction unless it borrowed beyond the carry bit.
        if carry == 0 && b3 != 0 { return BN254Fp(limbs: t0, t1, t2, t3) }
        return BN254Fp(limbs: s0, s1, s2, s3)
    }

    @inline(__always)
    static func + (a: BN254Fp, b: BN254Fp) -> BN254Fp {
        let (t0, c0) = adc(a.l0, b.l0, 0)
        let (t1, c1) = adc(a.l1, b.l1, c0)
        let (t2, c2) = adc(a.l2, b.l2, c1)
        let (t3, c3) = adc(a.l3, b.l3, c2)
        return reduceOnce(t0, t1, t2, t3, c3)
    }

    @inline(__always)
    static func - (a: BN254Fp, b: BN254Fp) -> BN254Fp {
        let (t0, b0) = sbb(a.l0, b.l0, 0)
        let (t1, b1) = sbb(a.l1, b.l1, b0)
        let (t2, b2) = sbb(a.l2, b.l2, b1)
        let (t3, b3) = sbb(a.l3, b.l3, b2)
        if b3 == 0 { return BN254Fp(limbs: t0, t1, t2, t3) }
        let (u0, c0) = adc(t0, p0, 0)
        let (u1, c1) = adc(t1, p1, c0)
        let (u2, c2) = adc(t2, p2, c1)
        let (u3, _) = adc(t3, p3, c2)
        return BN254Fp(limbs: u0, u1, u2, u3)
    }

    @inline(__always)
    static prefix func - (a: BN254Fp) -> BN254Fp { a.isZero ? a : zero - a }

    @inline(__always)
    func doubled() -> BN254Fp { self + self }

    /// Montgomery product a·b·R^-1 mod p: CIOS without the extra carry word, valid because
    /// p's top limb is below 2^62 (so t stays below 2p < 2^255 between rounds).
    @inline(__always)
    static func * (a: BN254Fp, b: BN254Fp) -> BN254Fp {
        var t = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        t = montgomeryRound(a, b.l0, t)
        t = montgomeryRound(a, b.l1, t)
        t = montgomeryRound(a, b.l2, t)
        t = montgomeryRound(a, b.l3, t)
        return reduceOnce(t.0, t.1, t.2, t.3, 0)
    }

    /// One round: t = (t + a·bi + m·p) / 2^64, m chosen so that the low limb vanishes.
    @inline(__always)
    static func montgomeryRound(_ a: BN254Fp, _ bi: UInt64,
                                _ t: (UInt64, UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64, UInt64) {
        let (a0, s0) = mac(a.l0, bi, t.0, 0)
        let m = s0 &* inv
        let (c0, _) = mac(m, p0, s0, 0)
        let (a1, s1) = mac(a.l1, bi, t.1, a0)
        let (c1, u0) = mac(m, p1, s1, c0)
        let (a2, s2) = mac(a.l2, bi, t.2, a1)
        let (c2, u1) = mac(m, p2, s2, c1)
        let (a3, s3) = mac(a.l3, bi, t.3, a2)
        let (c3, u2) = mac(m, p3, s3, c2)
        return (u0, u1, u2, c3 &+ a3)
    }

    @inline(__always)
    func squared() -> BN254Fp { self * self }

    /// x^e for an exponent given as limbs (least significant first).
    func power(_ e: [UInt64]) -> BN254Fp {
        var result = BN254Fp.one
        for limb in e.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// x^-1 (Fermat); zero for zero.
    func inverse() -> BN254Fp { power(BN254Fp.pMinus2) }

    /// Multiplication by a small constant through additions.
    @inline(__always)
    func times3() -> BN254Fp { self + self + self }
}
