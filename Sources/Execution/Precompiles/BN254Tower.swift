/// The extension tower of BN254 used by the pairing:
/// Fp2 = Fp[u]/(u² + 1), Fp6 = Fp2[v]/(v³ - ξ) with ξ = 9 + u, Fp12 = Fp6[w]/(w² - v).

struct BN254Fp2: BN254Field {
    var c0: BN254Fp, c1: BN254Fp

    @inline(__always) init(_ c0: BN254Fp, _ c1: BN254Fp) { self.c0 = c0; self.c1 = c1 }

    static let zero = BN254Fp2(.zero, .zero)
    static let one = BN254Fp2(.one, .zero)
    /// ξ = 9 + u, the non-residue defining Fp6 and the twist.
    static let xi = BN254Fp2(BN254Fp(9), .one)

    var isZero: Bool { c0.isZero && c1.isZero }

    @inline(__always) static func + (a: Self, b: Self) -> Self { Self(a.c0 + b.c0, a.c1 + b.c1) }
    @inline(__always) static func - (a: Self, b: Self) -> Self { Self(a.c0 - b.c0, a.c1 - b.c1) }
    @inline(__always) static prefix func - (a: Self) -> Self { Self(-a.c0, -a.c1) }
    @inline(__always) func doubled() -> Self { Self(c0.doubled(), c1.doubled()) }

    @inline(__always)
    static func * (a: Self, b: Self) -> Self {
        let t0 = a.c0 * b.c0, t1 = a.c1 * b.c1
        return Self(t0 - t1, (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
    }

    @inline(__always)
    func squared() -> Self {
        let t = c0 * c1
        return Self((c0 + c1) * (c0 - c1), t.doubled())
    }

    @inline(__always) func scaled(by s: BN254Fp) -> Self { Self(c0 * s, c1 * s) }

    /// Multiplication by ξ = 9 + u.
    @inline(__always)
    func timesXi() -> Self {
        let a8 = c0.doubled().doubled().doubled(), b8 = c1.doubled().doubled().doubled()
        return Self(a8 + c0 - c1, c0 + b8 + c1)
    }

    /// The conjugate, which is also the Frobenius map x -> x^p.
    @inline(__always) func conjugate() -> Self { Self(c0, -c1) }

    func inverse() -> Self {
        let t = (c0.squared() + c1.squared()).inverse()
        return Self(c0 * t, -(c1 * t))
    }

    /// x^e for an exponent given as limbs (least significant first).
    func power(_ e: [UInt64]) -> Self {
        var result = Self.one
        for limb in e.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }
}

struct BN254Fp6: Equatable, Sendable {
    var c0: BN254Fp2, c1: BN254Fp2, c2: BN254Fp2

    @inline(__always) init(_ c0: BN254Fp2, _ c1: BN254Fp2, _ c2: BN254Fp2) { self.c0 = c0; self.c1 = c1; self.c2 = c2 }

    static let zero = BN254Fp6(.zero, .zero, .zero)
    static let one = BN254Fp6(.one, .zero, .zero)

    @inline(__always) static func + (a: Self, b: Self) -> Self { Self(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }
    @inline(__always) static func - (a: Self, b: Self) -> Self { Self(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }
    @inline(__always) static prefix func - (a: Self) -> Self { Self(-a.c0, -a.c1, -a.c2) }

    @inline(__always)
    static func * (a: Self, b: Self) -> Self {
        let t0 = a.c0 * b.c0, t1 = a.c1 * b.c1, t2 = a.c2 * b.c2
        let r0 = ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).timesXi() + t0
        let r1 = (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.timesXi()
        let r2 = (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1
        return Self(r0, r1, r2)
    }

    /// a · (b0 + b1·v).
    @inline(__always)
    func times01(_ b0: BN254Fp2, _ b1: BN254Fp2) -> Self {
        let t0 = c0 * b0, t1 = c1 * b1
        let r0 = ((c1 + c2) * b1 - t1).timesXi() + t0
        let r1 = (c0 + c1) * (b0 + b1) - t0 - t1
        let r2 = (c0 + c2) * b0 - t0 + t1
        return Self(r0, r1, r2)
    }

    @inline(__always) func squared() -> Self { self * self }

    /// Multiplication by v: (c0, c1, c2) -> (ξ·c2, c0, c1).
    @inline(__always) func timesV() -> Self { Self(c2.timesXi(), c0, c1) }

    func inverse() -> Self {
        let a = c0.squared() - (c1 * c2).timesXi()
        let b = c2.squared().timesXi() - c0 * c1
        let c = c1.squared() - c0 * c2
        let f = (c0 * a + ((c2 * b) + (c1 * c)).timesXi()).inverse()
        return Self(a * f, b * f, c * f)
    }
}

struct BN254Fp12: Equatable, Sendable {
    var c0: BN254Fp6, c1: BN254Fp6

    @inline(__always) init(_ c0: BN254Fp6, _ c1: BN254Fp6) { self.c0 = c0; self.c1 = c1 }

    static let one = BN254Fp12(.one, .zero)

    @inline(__always)
    static func * (a: Self, b: Self) -> Self {
        let t0 = a.c0 * b.c0, t1 = a.c1 * b.c1
        return Self(t0 + t1.timesV(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
    }

    /// Complex squaring: (c0 + c1 w)² = (c0 + c1)(c0 + v c1) - (1 + v) c0 c1 + 2 c0 c1 w.
    @inline(__always)
    func squared() -> Self {
        let t = c0 * c1
        let r0 = (c0 + c1) * (c0 + c1.timesV()) - t - t.timesV()
        return Self(r0, t + t)
    }

    /// self · (a + (b + c·v)·w), the shape of a line evaluated at a G1 point (D-type twist).
    @inline(__always)
    func timesLine(_ a: BN254Fp2, _ b: BN254Fp2, _ c: BN254Fp2) -> Self {
        let t0 = BN254Fp6(c0.c0 * a, c0.c1 * a, c0.c2 * a)
        let t1 = c1.times01(b, c)
        let r1 = (c0 + c1).times01(a + b, c) - t0 - t1
        return Self(t0 + t1.timesV(), r1)
    }

    /// The conjugate over Fp6, which is x^(p^6); for unitary elements it is the inverse.
    @inline(__always) func conjugate() -> Self { Self(c0, -c1) }

    func inverse() -> Self {
        let t = (c0.squared() - c1.squared().timesV()).inverse()
        return Self(c0 * t, -(c1 * t))
    }

    /// γ_k = ξ^(k(p-1)/6) for k = 1...5: the Frobenius twists w^k -> w^(kp) = γ_k w^k.
    static let frobeniusGammas: [BN254Fp2] = {
        let base = BN254Fp2.xi.power([0x34b0_1759_2414_d4e1, 0xee95_91c2_e6bd_a1c2,
                                      0xf40d_60f3_c040_3964, 0x0810_b7bd_d032_f006])  // (p-1)/6
        var gammas: [BN254Fp2] = []
        var g = BN254Fp2.one
        for _ in 1...5 { g = g * base; gammas.append(g) }
        return gammas
    }()

    /// x -> x^p. Writing x = Σ a_k w^k (k = 0...5, a_k in Fp2): x^p = Σ conj(a_k) γ_k w^k.
    func frobenius() -> Self {
        let g = Self.frobeniusGammas
        return Self(BN254Fp6(c0.c0.conjugate(), c0.c1.conjugate() * g[1], c0.c2.conjugate() * g[3]),
                    BN254Fp6(c1.c0.conjugate() * g[0], c1.c1.conjugate() * g[2], c1.c2.conjugate() * g[4]))
    }
}
