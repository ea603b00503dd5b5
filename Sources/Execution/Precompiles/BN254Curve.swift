/// Points of y² = x³ + b in Jacobian coordinates (x = X/Z², y = Y/Z³; Z = 0 is the point at
/// infinity): G1 over Fp with b = 3, and G2 on the twist over Fp2 with b = 3/(9 + u).
struct BN254Jacobian<F: BN254Field>: Sendable {
    var x: F, y: F, z: F

    static var infinity: Self { Self(x: .one, y: .one, z: .zero) }
    var isInfinity: Bool { z.isZero }

    init(x: F, y: F, z: F) { self.x = x; self.y = y; self.z = z }
    init(affineX: F, y: F) { self.x = affineX; self.y = y; self.z = .one }

    /// dbl-2009-l (a = 0).
    func doubled() -> Self {
        if isInfinity { return self }
        let a = x.squared(), b = y.squared(), c = b.squared()
        let d = ((x + b).squared() - a - c).doubled()
        let e = a + a + a
        let f = e.squared()
        let x3 = f - d.doubled()
        let c8 = c.doubled().doubled().doubled()
        let y3 = e * (d - x3) - c8
        let z3 = (y * z).doubled()
        return Self(x: x3, y: y3, z: z3)
    }

    /// add-2007-bl, falling back to doubling for equal points.
    static func + (p: Self, q: Self) -> Self {
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
        return Self(x: x3, y: y3, z: z3)
    }

    static prefix func - (p: Self) -> Self { Self(x: p.x, y: -p.y, z: p.z) }

    /// k·P for a scalar given as limbs (least significant first), double and add.
    func multiplied(by k: [UInt64]) -> Self {
        var result = Self.infinity
        for limb in k.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.doubled()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result + self }
            }
        }
        return result
    }

    /// The affine coordinates, or nil for the point at infinity.
    func affine() -> (x: F, y: F)? {
        if isInfinity { return nil }
        let zi = z.inverse(), zi2 = zi.squared()
        return (x * zi2, y * zi2 * zi)
    }
}

typealias BN254G1 = BN254Jacobian<BN254Fp>
typealias BN254G2 = BN254Jacobian<BN254Fp2>

enum BN254Curve {
    static let b1 = BN254Fp(3)
    /// 3 / (9 + u).
    static let b2 = BN254Fp2(BN254Fp(3), .zero) * BN254Fp2.xi.inverse()
    /// The group order r, least significant limb first.
    static let order: [UInt64] = [0x43e1_f593_f000_0001, 0x2833_e848_79b9_7091,
                                  0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029]

    /// An affine G1 point from 64 bytes (x, y) at `offset`: nil when a coordinate is not below p
    /// or the point is not on the curve; (0, 0) is the point at infinity (returned as `.some(nil)`).
    static func decodeG1(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (x: BN254Fp, y: BN254Fp)?? {
        guard let x = BN254Fp(bigEndian: bytes, at: offset),
              let y = BN254Fp(bigEndian: bytes, at: offset + 32) else { return nil }
        if x.isZero && y.isZero { return .some(nil) }
        guard y.squared() == x.squared() * x + b1 else { return nil }
        return (x, y)
    }

    /// An affine G2 point from 128 bytes (x.imaginary, x.real, y.imaginary, y.real) at `offset`:
    /// nil when a coordinate is not below p, the point is not on the twist or not in the order-r
    /// subgroup (EIP-197); all zeros is the point at infinity (`.some(nil)`).
    static func decodeG2(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (x: BN254Fp2, y: BN254Fp2)?? {
        guard let xi = BN254Fp(bigEndian: bytes, at: offset), let xr = BN254Fp(bigEndian: bytes, at: offset + 32),
              let yi = BN254Fp(bigEndian: bytes, at: offset + 64), let yr = BN254Fp(bigEndian: bytes, at: offset + 96)
        else { return nil }
        let x = BN254Fp2(xr, xi), y = BN254Fp2(yr, yi)
        if x.isZero && y.isZero { return .some(nil) }
        guard y.squared() == x.squared() * x + b2 else { return nil }
        guard isInG2Subgroup(x: x, y: y) else { return nil }
        return (x, y)
    }

    /// 6x² (x = 4965661367192848881), 127 bits.
    static let sixXSquared: [UInt64] = [0xf83e_9682_e87c_fd46, 0x6f4d_8248_eeb8_59fb]

    /// Whether a point on the twist is in the order-r subgroup: for BN curves exactly when
    /// ψ(Q) = [6x²]Q, ψ the untwist-Frobenius-twist endomorphism (El Housni, Guillevic and
    /// Piellard, "Co-factor clearing and subgroup membership testing on pairing-friendly
    /// curves", 2022); half the cost of checking [r]Q = O, which the tests cross-check.
    static func isInG2Subgroup(x: BN254Fp2, y: BN254Fp2) -> Bool {
        let g = BN254Fp12.frobeniusGammas
        let psiX = x.conjugate() * g[1], psiY = y.conjugate() * g[2]
        let q = BN254G2(affineX: x, y: y).multiplied(by: sixXSquared)
        if q.isInfinity { return false }
        let z2 = q.z.squared()
        return q.x == psiX * z2 && q.y == psiY * z2 * q.z
    }

    /// The definition: [r]Q is the point at infinity.
    static func isInG2SubgroupByOrder(x: BN254Fp2, y: BN254Fp2) -> Bool {
        BN254G2(affineX: x, y: y).multiplied(by: order).isInfinity
    }

    /// 64 bytes: the affine coordinates, zeros for infinity.
    static func encode(_ p: BN254G1) -> [UInt8] {
        guard let (x, y) = p.affine() else { return [UInt8](repeating: 0, count: 64) }
        return x.bigEndianBytes() + y.bigEndianBytes()
    }
}
