/// The optimal ate pairing on BN254 (EIP-197), as a product check: Π e(P_i, Q_i) == 1.
///
/// Miller loop over the signed digits of 6x + 2 (x = 4965661367192848881) with the G2 point in
/// homogeneous projective coordinates and lines evaluated directly at the G1 point (D-type twist;
/// the formulas of Costello, Lange and Naehrig, as in the usual libraries), then the two
/// Frobenius steps, then the final exponentiation (p^12 - 1)/r: the easy part
/// (p^6 - 1)(p^2 + 1) with a conjugate, an inverse and a Frobenius, the hard part
/// (p^4 - p^2 + 1)/r written in base p and computed as one multi-exponentiation.
/// Line and Miller-function factors in proper subfields vanish in the final exponentiation,
/// so the product check is exact.
enum BN254Pairing {
    /// 6x + 2 in non-adjacent form, least significant digit first (66 digits).
    static let loopDigits: [Int8] = [
        0, 0, 0, 1, 0, 1, 0, -1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, -1, 0, 0, 0, 1, 0, -1, 0, 0, 0, 0,
        -1, 0, 0, 1, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, -1, 0, 1, 0, -1, 0, 0, 0, -1, 0, -1, 0, 0,
        0, 1, 0, -1, 0, 1,
    ]

    /// The hard-part exponent (p^4 - p^2 + 1)/r = e0 + e1·p + e2·p² + p³ (limbs, least significant first).
    static let hardE0: [UInt64] = [0x8598_9436_d0f9_fa91, 0x5cea_24f6_fd73_6bea, 0x048b_6e19_3fd8_4104, 0x3064_4e72_e131_a029]
    static let hardE1: [UInt64] = [0x138f_3176_606a_30c5, 0x3b85_2988_dae4_1fe4, 0x048b_6e19_3fd8_4105, 0x3064_4e72_e131_a029]
    static let hardE2: [UInt64] = [0xf83e_9682_e87c_fd46, 0x6f4d_8248_eeb8_59fb, 0, 0]

    static let twoInverse = BN254Fp(2).inverse()

    /// A G2 point in homogeneous projective coordinates (x = X/Z, y = Y/Z) during the Miller loop.
    struct Projective {
        var x: BN254Fp2, y: BN254Fp2, z: BN254Fp2
    }

    /// One pair's state in the Miller loop.
    struct Pair {
        let px: BN254Fp, py: BN254Fp
        let qx: BN254Fp2, qy: BN254Fp2
        var t: Projective
    }

    /// T <- 2T; returns the tangent line's coefficients (a, b, c) before scaling by P.
    @inline(__always)
    static func doublingStep(_ t: inout Projective) -> (BN254Fp2, BN254Fp2, BN254Fp2) {
        let a = (t.x * t.y).scaled(by: twoInverse)
        let b = t.y.squared()
        let c = t.z.squared()
        let e = BN254Curve.b2 * (c.doubled() + c)
        let f = e.doubled() + e
        let g = (b + f).scaled(by: twoInverse)
        let h = (t.y + t.z).squared() - (b + c)
        let i = e - b
        let j = t.x.squared()
        let eSquared = e.squared()
        t.x = a * (b - f)
        t.y = g.squared() - (eSquared.doubled() + eSquared)
        t.z = b * h
        return (-h, j.doubled() + j, i)
    }

    /// T <- T + Q (Q affine); returns the chord's coefficients.
    @inline(__always)
    static func additionStep(_ t: inout Projective, _ qx: BN254Fp2, _ qy: BN254Fp2) -> (BN254Fp2, BN254Fp2, BN254Fp2) {
        let theta = t.y - qy * t.z
        let lambda = t.x - qx * t.z
        let c = theta.squared()
        let d = lambda.squared()
        let e = lambda * d
        let f = t.z * c
        let g = t.x * d
        let h = e + f - g.doubled()
        t.x = lambda * h
        t.y = theta * (g - h) - e * t.y
        t.z = t.z * e
        let j = theta * qx - lambda * qy
        return (lambda, -theta, j)
    }

    @inline(__always)
    static func apply(_ f: inout BN254Fp12, _ line: (BN254Fp2, BN254Fp2, BN254Fp2), _ pair: Pair) {
        f = f.timesLine(line.0.scaled(by: pair.py), line.1.scaled(by: pair.px), line.2)
    }

    /// The Miller loop's value for all pairs at once (pairs with a point at infinity left out).
    static func millerLoop(_ points: [(BN254Fp, BN254Fp, BN254Fp2, BN254Fp2)]) -> BN254Fp12 {
        var pairs = points.map { Pair(px: $0.0, py: $0.1, qx: $0.2, qy: $0.3, t: Projective(x: $0.2, y: $0.3, z: .one)) }
        var f = BN254Fp12.one
        for i in stride(from: loopDigits.count - 2, through: 0, by: -1) {
            if i != loopDigits.count - 2 { f = f.squared() }
            for k in pairs.indices {
                let line = doublingStep(&pairs[k].t)
                apply(&f, line, pairs[k])
            }
            let digit = loopDigits[i]
            if digit != 0 {
                for k in pairs.indices {
                    let qy = digit > 0 ? pairs[k].qy : -pairs[k].qy
                    let line = additionStep(&pairs[k].t, pairs[k].qx, qy)
                    apply(&f, line, pairs[k])
                }
            }
        }
        // Q1 = π(Q), Q2 = -π²(Q) on the twist: x -> conj(x)·ξ^((p-1)/3), y -> conj(y)·ξ^((p-1)/2).
        let gx = BN254Fp12.frobeniusGammas[1], gy = BN254Fp12.frobeniusGammas[2]
        for k in pairs.indices {
            let q1x = pairs[k].qx.conjugate() * gx, q1y = pairs[k].qy.conjugate() * gy
            let q2x = q1x.conjugate() * gx, q2y = -(q1y.conjugate() * gy)
            let line1 = additionStep(&pairs[k].t, q1x, q1y)
            apply(&f, line1, pairs[k])
            let line2 = additionStep(&pairs[k].t, q2x, q2y)
            apply(&f, line2, pairs[k])
        }
        return f
    }

    static func finalExponentiation(_ f: BN254Fp12) -> BN254Fp12 {
        // Easy part: f^((p^6 - 1)(p^2 + 1)).
        var m = f.conjugate() * f.inverse()
        m = m.frobenius().frobenius() * m
        // Hard part: m^e0 · (m^p)^e1 · (m^p²)^e2 · m^p³ with a table of the 8 products.
        let m1 = m.frobenius(), m2 = m1.frobenius(), m3 = m2.frobenius()
        var table = [BN254Fp12](repeating: .one, count: 8)
        table[1] = m; table[2] = m1; table[3] = m * m1
        table[4] = m2; table[5] = m2 * m; table[6] = m2 * m1; table[7] = m2 * table[3]
        var result = BN254Fp12.one
        var started = false
        for bit in stride(from: 255, through: 0, by: -1) {
            if started { result = result.squared() }
            let limb = bit / 64, shift = UInt64(bit % 64)
            let index = Int((hardE0[limb] >> shift) & 1) | Int((hardE1[limb] >> shift) & 1) << 1
                | Int((hardE2[limb] >> shift) & 1) << 2
            if index != 0 {
                result = started ? result * table[index] : table[index]
                started = true
            }
        }
        return result * m3
    }

    /// Π e(P_i, Q_i) == 1 over affine points (pairs with a point at infinity contribute 1).
    static func productIsOne(_ points: [(BN254Fp, BN254Fp, BN254Fp2, BN254Fp2)]) -> Bool {
        if points.isEmpty { return true }
        return finalExponentiation(millerLoop(points)) == BN254Fp12.one
    }
}
