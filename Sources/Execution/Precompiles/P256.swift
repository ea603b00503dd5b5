/// ECDSA verification over NIST P-256 (secp256r1) for the P256VERIFY precompile (RIP-7212,
/// EIP-7951), hand-written: Montgomery arithmetic modulo p and modulo the group order n on four
/// 64-bit limbs, Jacobian points with a = -3, and u1·G + u2·Q by Shamir's trick.
protocol P256Modulus {
    static var m: (UInt64, UInt64, UInt64, UInt64) { get }
    /// -m^-1 mod 2^64.
    static var inv: UInt64 { get }
    /// R^2 mod m (R = 2^256).
    static var r2: (UInt64, UInt64, UInt64, UInt64) { get }
    /// m - 2, for Fermat inversion.
    static var mMinus2: [UInt64] { get }
}

/// The field of coordinates, p = 2^256 - 2^224 + 2^192 + 2^96 - 1.
enum P256FieldModulus: P256Modulus {
    static let m: (UInt64, UInt64, UInt64, UInt64) = (0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001)
    static let inv: UInt64 = 1
    static let r2: (UInt64, UInt64, UInt64, UInt64) = (0x0000_0000_0000_0003, 0xffff_fffb_ffff_ffff,
                                                       0xffff_ffff_ffff_fffe, 0x0000_0004_ffff_fffd)
    static let mMinus2: [UInt64] = [0xffff_ffff_ffff_fffd, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001]
}

/// The group order n.
enum P256OrderModulus: P256Modulus {
    static let m: (UInt64, UInt64, UInt64, UInt64) = (0xf3b9_cac2_fc63_2551, 0xbce6_faad_a717_9e84,
                                                      0xffff_ffff_ffff_ffff, 0xffff_ffff_0000_0000)
    static let inv: UInt64 = 0xccd1_c8aa_ee00_bc4f
    static let r2: (UInt64, UInt64, UInt64, UInt64) = (0x8324_4c95_be79_eea2, 0x4699_799c_49bd_6fa6,
                                                       0x2845_b239_2b6b_ec59, 0x66e1_2d94_f3d9_5620)
    static let mMinus2: [UInt64] = [0xf3b9_cac2_fc63_254f, 0xbce6_faad_a717_9e84, 0xffff_ffff_ffff_ffff, 0xffff_ffff_0000_0000]
}

/// A residue modulo M in Montgomery form (x·2^256 mod M), limbs least significant first.
struct P256Residue<M: P256Modulus>: Equatable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    @inline(__always) init(limbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    static var zero: Self { Self(limbs: 0, 0, 0, 0) }
    static var one: Self { Self(canonical: (1, 0, 0, 0))! }
    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// Whether the integer (limbs least significant first) is below M.
    static func isBelow(_ v: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
        let m = M.m
        if v.3 != m.3 { return v.3 < m.3 }
        if v.2 != m.2 { return v.2 < m.2 }
        if v.1 != m.1 { return v.1 < m.1 }
        return v.0 < m.0
    }

    /// The residue of an integer below M; nil otherwise.
    init?(canonical v: (UInt64, UInt64, UInt64, UInt64)) {
        guard Self.isBelow(v) else { return nil }
        self = Self(limbs: v.0, v.1, v.2, v.3) * Self(limbs: M.r2.0, M.r2.1, M.r2.2, M.r2.3)
    }

    /// The integer (limbs least significant first).
    var canonical: (UInt64, UInt64, UInt64, UInt64) {
        let c = self * Self(limbs: 1, 0, 0, 0)
        return (c.l0, c.l1, c.l2, c.l3)
    }

    @inline(__always)
    static func reduceOnce(_ t0: UInt64, _ t1: UInt64, _ t2: UInt64, _ t3: UInt64, _ carry: UInt64) -> Self {
        let m = M.m
        let (s0, b0) = BN254Fp.sbb(t0, m.0, 0)
        let (s1, b1) = BN254Fp.sbb(t1, m.1, b0)
        let (s2, b2) = BN254Fp.sbb(t2, m.2, b1)
        let (s3, b3) = BN254Fp.sbb(t3, m.3, b2)
        if carry == 0 && b3 != 0 { return Self(limbs: t0, t1, t2, t3) }
        return Self(limbs: s0, s1, s2, s3)
    }

    @inline(__always)
    static func + (a: Self, b: Self) -> Self {
        let (t0, c0) = BN254Fp.adc(a.l0, b.l0, 0)
        let (t1, c1) = BN254Fp.adc(a.l1, b.l1, c0)
        let (t2, c2) = BN254Fp.adc(a.l2, b.l2, c1)
        let (t3, c3) = BN254Fp.adc(a.l3, b.l3, c2)
        return reduceOnce(t0, t1, t2, t3, c3)
    }

    @inline(__always)
    static func - (a: Self, b: Self) -> Self {
        let (t0, b0) = BN254Fp.sbb(a.l0, b.l0, 0)
        let (t1, b1) = BN254Fp.sbb(a.l1, b.l1, b0)
        let (t2, b2) = BN254Fp.sbb(a.l2, b.l2, b1)
        let (t3, b3) = BN254Fp.sbb(a.l3, b.l3, b2)
        if b3 == 0 { return Self(limbs: t0, t1, t2, t3) }
        let m = M.m
        let (u0, c0) = BN254Fp.adc(t0, m.0, 0)
        let (u1, c1) = BN254Fp.adc(t1, m.1, c0)
        let (u2, c2) = BN254Fp.adc(t2, m.2, c1)
        let (u3, _) = BN254Fp.adc(t3, m.3, c2)
        return Self(limbs: u0, u1, u2, u3)
    }

    /// Montgomery product (CIOS); the modulus may use all 256 bits, so the top carry is kept.
    @inline(__always)
    static func * (a: Self, b: Self) -> Self {
        let m = M.m, inv = M.inv
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0, t4: UInt64 = 0
        @inline(__always) func round(_ bi: UInt64) {
            var c: UInt64
            (c, t0) = BN254Fp.mac(a.l0, bi, t0, 0)
            (c, t1) = BN254Fp.mac(a.l1, bi, t1, c)
            (c, t2) = BN254Fp.mac(a.l2, bi, t2, c)
            (c, t3) = BN254Fp.mac(a.l3, bi, t3, c)
            let (s, carry) = t4.addingReportingOverflow(c)
            let t5: UInt64 = carry ? 1 : 0
            let q = t0 &* inv
            var d: UInt64
            (d, _) = BN254Fp.mac(q, m.0, t0, 0)
            (d, t0) = BN254Fp.mac(q, m.1, t1, d)
            (d, t1) = BN254Fp.mac(q, m.2, t2, d)
            (d, t2) = BN254Fp.mac(q, m.3, t3, d)
            let (s2, carry2) = s.addingReportingOverflow(d)
            t3 = s2
            t4 = t5 &+ (carry2 ? 1 : 0)
        }
        round(b.l0); round(b.l1); round(b.l2); round(b.l3)
        return reduceOnce(t0, t1, t2, t3, t4)
    }

    @inline(__always) func squared() -> Self { self * self }
    @inline(__always) func doubled() -> Self { self + self }

    func inverse() -> Self {
        var result = Self.one
        for limb in M.mMinus2.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }
}

enum P256 {
    typealias Fp = P256Residue<P256FieldModulus>
    typealias Fn = P256Residue<P256OrderModulus>

    static let b = Fp(canonical: (0x3bce_3c3e_27d2_604b, 0x651d_06b0_cc53_b0f6, 0xb3eb_bd55_7698_86bc, 0x5ac6_35d8_aa3a_93e7))!
    static let generator = Point(x: Fp(canonical: (0xf4a1_3945_d898_c296, 0x7703_7d81_2deb_33a0, 0xf8bc_e6e5_63a4_40f2, 0x6b17_d1f2_e12c_4247))!,
                                 y: Fp(canonical: (0xcbb6_4068_37bf_51f5, 0x2bce_3357_6b31_5ece, 0x8ee7_eb4a_7c0f_9e16, 0x4fe3_42e2_fe1a_7f9b))!,
                                 z: .one)

    /// A point in Jacobian coordinates; z = 0 is infinity.
    struct Point {
        var x: Fp, y: Fp, z: Fp
        static var infinity: Point { Point(x: .one, y: .one, z: .zero) }
        var isInfinity: Bool { z.isZero }

        /// dbl-2001-b (a = -3).
        func doubled() -> Point {
            if isInfinity { return self }
            let delta = z.squared(), gamma = y.squared(), beta = x * gamma
            let t = (x - delta) * (x + delta)
            let alpha = t + t + t
            let beta4 = beta.doubled().doubled()
            let x3 = alpha.squared() - beta4.doubled()
            let z3 = (y + z).squared() - gamma - delta
            let gamma2x8 = gamma.squared().doubled().doubled().doubled()
            let y3 = alpha * (beta4 - x3) - gamma2x8
            return Point(x: x3, y: y3, z: z3)
        }

        /// add-2007-bl, with the equal-point and opposite-point cases.
        static func + (p: Point, q: Point) -> Point {
            if p.isInfinity { return q }
            if q.isInfinity { return p }
            let z1z1 = p.z.squared(), z2z2 = q.z.squared()
            let u1 = p.x * z2z2, u2 = q.x * z1z1
            let s1 = p.y * q.z * z2z2, s2 = q.y * p.z * z1z1
            let h = u2 - u1
            let r = (s2 - s1).doubled()
            if h.isZero { return r.isZero ? p.doubled() : .infinity }
            let i = h.doubled().squared()
            let j = h * i
            let v = u1 * i
            let x3 = r.squared() - j - v.doubled()
            let y3 = r * (v - x3) - (s1 * j).doubled()
            let z3 = ((p.z + q.z).squared() - z1z1 - z2z2) * h
            return Point(x: x3, y: y3, z: z3)
        }
    }

    static func limbs(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        func limb(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            let start = offset + 24 - 8 * k
            for i in 0..<8 { v = v << 8 | UInt64(bytes[start + i]) }
            return v
        }
        return (limb(0), limb(1), limb(2), limb(3))
    }

    /// The verification of EIP-7951 (and RIP-7212) over the 160-byte input (hash, r, s, x, y):
    /// r and s in [1, n - 1], x and y below p, (x, y) on the curve (so not infinity),
    /// R' = (h·s⁻¹)·G + (r·s⁻¹)·Q not infinity and x(R') ≡ r (mod n).
    static func verify(_ input: [UInt8]) -> Bool {
        guard input.count == 160 else { return false }
        return input.withUnsafeBufferPointer { bytes -> Bool in
            let hash = limbs(bytes, at: 0), rInt = limbs(bytes, at: 32), sInt = limbs(bytes, at: 64)
            guard let r = Fn(canonical: rInt), !r.isZero, let s = Fn(canonical: sInt), !s.isZero,
                  let qx = Fp(canonical: limbs(bytes, at: 96)), let qy = Fp(canonical: limbs(bytes, at: 128))
            else { return false }
            guard qy.squared() == qx.squared() * qx - (qx + qx + qx) + b else { return false }
            // e = hash mod n (the hash is below 2^256 < 2n).
            let e: Fn
            if let reduced = Fn(canonical: hash) { e = reduced } else {
                let n = P256OrderModulus.m
                let (d0, c0) = BN254Fp.sbb(hash.0, n.0, 0)
                let (d1, c1) = BN254Fp.sbb(hash.1, n.1, c0)
                let (d2, c2) = BN254Fp.sbb(hash.2, n.2, c1)
                let (d3, _) = BN254Fp.sbb(hash.3, n.3, c2)
                e = Fn(canonical: (d0, d1, d2, d3))!
            }
            let w = s.inverse()
            let u1 = (e * w).canonical, u2 = (r * w).canonical
            let q = Point(x: qx, y: qy, z: .one)
            let table = [Point.infinity, generator, q, generator + q]
            var acc = Point.infinity
            let k1 = [u1.0, u1.1, u1.2, u1.3], k2 = [u2.0, u2.1, u2.2, u2.3]
            for bit in stride(from: 255, through: 0, by: -1) {
                acc = acc.doubled()
                let limb = bit / 64, shift = UInt64(bit % 64)
                let index = Int((k1[limb] >> shift) & 1) | Int((k2[limb] >> shift) & 1) << 1
                if index != 0 { acc = acc + table[index] }
            }
            guard !acc.isInfinity else { return false }
            let zi = acc.z.inverse()
            let x = (acc.x * zi.squared()).canonical
            // x mod n: x < p < 2n.
            var xr = x
            if !Fn.isBelow(x) {
                let n = P256OrderModulus.m
                let (d0, c0) = BN254Fp.sbb(x.0, n.0, 0)
                let (d1, c1) = BN254Fp.sbb(x.1, n.1, c0)
                let (d2, c2) = BN254Fp.sbb(x.2, n.2, c1)
                let (d3, _) = BN254Fp.sbb(x.3, n.3, c2)
                xr = (d0, d1, d2, d3)
            }
            return xr == rInt
        }
    }
}

extension Precompiles {
    /// 0x100: P256VERIFY (RIP-7212) with `gas` per call: 3,450 (RIP-7212, Scroll from Euclid)
    /// or 6,900 (EIP-7951, Scroll from Galileo). The gas is charged whatever the input; output
    /// is 32 bytes ending in 1 for a valid signature and empty otherwise (including an input
    /// that is not 160 bytes).
    public static func p256Verify(gas: UInt64) -> PrecompileFunction {
        { input, gasLimit in
            guard gas <= gasLimit else { return .failure }
            guard P256.verify(input) else { return .success(gasUsed: gas, output: []) }
            return .success(gasUsed: gas, output: [UInt8](repeating: 0, count: 31) + [1])
        }
    }

    /// P256VERIFY with RIP-7212's 3,450 gas.
    public static let p256VerifyRIP7212: PrecompileFunction = p256Verify(gas: 3_450)
    /// P256VERIFY with EIP-7951's 6,900 gas.
    public static let p256VerifyEIP7951: PrecompileFunction = p256Verify(gas: 6_900)
}
