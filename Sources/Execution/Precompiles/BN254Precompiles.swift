/// The alt_bn128 precompiles 0x06-0x08 (EIP-196, EIP-197) with Istanbul gas (EIP-1108).
extension Precompiles {
    /// 0x06: G1 addition; 150 gas. Input (x1, y1, x2, y2), right-padded with zeros to 128 bytes
    /// (extra bytes ignored); output the affine sum (64 bytes, zeros for infinity). A coordinate
    /// not below p or a point not on the curve fails.
    public static let bn254Add: PrecompileFunction = { input, gasLimit in
        guard gasLimit >= 150 else { return .failure }
        let padded = rightPadded(input, to: 128)
        let result: [UInt8]? = padded.withUnsafeBufferPointer { bytes in
            guard let a = BN254Curve.decodeG1(bytes, at: 0), let b = BN254Curve.decodeG1(bytes, at: 64) else { return nil }
            return BN254Curve.encode(jacobian(a) + jacobian(b))
        }
        guard let output = result else { return .failure }
        return .success(gasUsed: 150, output: output)
    }

    /// 0x07: G1 scalar multiplication; 6,000 gas. Input (x, y, s), right-padded to 96 bytes; s is
    /// any 256-bit number.
    public static let bn254Mul: PrecompileFunction = { input, gasLimit in
        guard gasLimit >= 6_000 else { return .failure }
        let padded = rightPadded(input, to: 96)
        let result: [UInt8]? = padded.withUnsafeBufferPointer { bytes in
            guard let a = BN254Curve.decodeG1(bytes, at: 0) else { return nil }
            var scalar = [UInt64](repeating: 0, count: 4)
            for i in 0..<32 { scalar[3 - i / 8] = scalar[3 - i / 8] << 8 | UInt64(bytes[64 + i]) }
            return BN254Curve.encode(jacobian(a).multiplied(by: scalar))
        }
        guard let output = result else { return .failure }
        return .success(gasUsed: 6_000, output: output)
    }

    /// 0x08: the pairing check; 45,000 + 34,000 per pair. Input: k pairs of a G1 point (64 bytes)
    /// and a G2 point (128 bytes: x imaginary, x real, y imaginary, y real); a length not a
    /// multiple of 192 fails, as does any invalid point (including a G2 point outside the order-r
    /// subgroup). Output: 32 bytes, 1 when Π e(P_i, Q_i) = 1, else 0. No pair limit.
    public static let bn254Pairing: PrecompileFunction = bn254Pairing(maxPairs: nil)

    /// The pairing check with at most `maxPairs` pairs (Scroll before Feynman: 4); longer input
    /// fails. nil: no limit.
    public static func bn254Pairing(maxPairs: Int?) -> PrecompileFunction {
        { input, gasLimit in
            if let maxPairs, input.count > maxPairs * 192 { return .failure }
            guard input.count % 192 == 0 else { return .failure }
            let pairCount = input.count / 192
            let gas = 45_000 + 34_000 * UInt64(pairCount)
            guard gas <= gasLimit else { return .failure }
            let points: [(BN254Fp, BN254Fp, BN254Fp2, BN254Fp2)]? = input.withUnsafeBufferPointer { bytes in
                var points: [(BN254Fp, BN254Fp, BN254Fp2, BN254Fp2)] = []
                for k in 0..<pairCount {
                    guard let p = BN254Curve.decodeG1(bytes, at: 192 * k),
                          let q = BN254Curve.decodeG2(bytes, at: 192 * k + 64) else { return nil }
                    if let p, let q { points.append((p.x, p.y, q.x, q.y)) }
                }
                return points
            }
            guard let points else { return .failure }
            var output = [UInt8](repeating: 0, count: 32)
            if BN254Pairing.productIsOne(points) { output[31] = 1 }
            return .success(gasUsed: gas, output: output)
        }
    }

    static func rightPadded(_ input: [UInt8], to length: Int) -> [UInt8] {
        if input.count >= length { return input }
        return input + [UInt8](repeating: 0, count: length - input.count)
    }

    private static func jacobian(_ p: (x: BN254Fp, y: BN254Fp)?) -> BN254G1 {
        guard let p else { return .infinity }
        return BN254G1(affineX: p.x, y: p.y)
    }
}
