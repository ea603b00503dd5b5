import Primitives

/// The modexp precompile (0x05): EIP-198 semantics, EIP-2565 gas.
///
/// Input: baseLength, exponentLength, modulusLength (32-byte big-endian words), then base,
/// exponent and modulus (big-endian, each that many bytes; input missing at the end reads as
/// zeros). Output: base^exponent mod modulus as `modulusLength` bytes (zeros for modulus 0).
/// The gas function is separate so that a chain's own limits (Scroll's 32-byte lengths before
/// Galileo, EIP-7823/7883 after) can wrap it: see `lengths(input:)`.
public enum ModExp {
    /// The three declared lengths, as 256-bit numbers (they can be anything).
    public static func lengths(input: [UInt8]) -> (base: U256, exponent: U256, modulus: U256) {
        (word(input, at: 0), word(input, at: 32), word(input, at: 64))
    }

    /// EIP-2565: max(200, multComplexity * iterationCount / 3), saturating at `UInt64.max` for
    /// lengths no gas limit could pay for (never overflows, whatever the declared lengths).
    public static func gas(input: [UInt8]) -> UInt64 {
        let (bl, el, ml) = lengths(input: input)
        let b = bl.uint64 ?? .max, e = el.uint64 ?? .max, m = ml.uint64 ?? .max
        let maxLength = Swift.max(b, m)
        // Exact in 128 bits: words < 2^61, so complexity < 2^122; iterations < 2^68 (a length
        // beyond 2^64 - 1 saturates there, which already prices the call above any gas limit).
        let words = UInt128(maxLength / 8 + (maxLength % 8 == 0 ? 0 : 1))
        let complexity = words * words

        // The exponent's first (up to) 32 bytes decide the bit-length term.
        let head = exponentHead(input, baseLength: b, exponentLength: e)
        let headBits = UInt128(head.bitWidth)
        var iterations: UInt128
        if e <= 32 {
            iterations = headBits == 0 ? 0 : headBits - 1
        } else {
            iterations = 8 * (UInt128(e) - 32) + (headBits == 0 ? 0 : headBits - 1)
        }
        iterations = Swift.max(iterations, 1)
        let (product, overflow) = complexity.multipliedReportingOverflow(by: iterations)
        let gas = product / 3
        if overflow || gas > UInt128(UInt64.max) { return .max }
        return Swift.max(200, UInt64(gas))
    }

    /// The result, or nil for lengths too large to compute (no gas limit reaches them).
    public static func run(_ input: [UInt8]) -> [UInt8]? {
        let (bl, el, ml) = lengths(input: input)
        guard let m = ml.uint64 else { return nil }
        if m == 0 { return [] }
        let limit: UInt64 = 1 << 30
        guard m <= limit, let b = bl.uint64, b <= limit, let e = el.uint64, e <= 1 << 40 else { return nil }
        let base = slice(input, from: 96, count: b)
        let modulus = slice(input, from: 96 + b + e, count: m)
        let modulusLimbs = BigLimbs.fromBigEndian(modulus)
        if modulusLimbs.isEmpty { return [UInt8](repeating: 0, count: Int(m)) }
        // The exponent: the bytes present in the input, then zero bytes (the input ended early).
        let exponentStart = 96 + b
        let present = exponentStart >= UInt64(input.count) ? 0 : Swift.min(e, UInt64(input.count) - exponentStart)
        let exponent = slice(input, from: exponentStart, count: present)
        let missingZeroBytes = e - present

        var ctx = BigLimbs.Modulus(modulusLimbs)
        var result = ctx.power(base: BigLimbs.fromBigEndian(base), exponent: exponent, trailingZeroBytes: missingZeroBytes)
        return BigLimbs.toBigEndian(&result, length: Int(m))
    }

    static func word(_ input: [UInt8], at offset: Int) -> U256 {
        if offset + 32 <= input.count { return U256(bigEndianBytes: input[offset..<(offset + 32)]) }
        var padded = [UInt8](repeating: 0, count: 32)
        if offset < input.count { padded.replaceSubrange(0..<(input.count - offset), with: input[offset...]) }
        return U256(bigEndianBytes: padded)
    }

    /// `count` bytes from `offset`, zeros past the end of the input.
    static func slice(_ input: [UInt8], from offset: UInt64, count: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(count))
        if offset < UInt64(input.count) {
            let available = Int(Swift.min(count, UInt64(input.count) - offset))
            out.replaceSubrange(0..<available, with: input[Int(offset)..<(Int(offset) + available)])
        }
        return out
    }

    /// The exponent's first min(length, 32) bytes as a number.
    static func exponentHead(_ input: [UInt8], baseLength: UInt64, exponentLength: UInt64) -> U256 {
        let (start, o) = baseLength.addingReportingOverflow(96)
        if o || start >= UInt64(input.count) || exponentLength == 0 { return .zero }
        return U256(bigEndianBytes: slice(input, from: start, count: Swift.min(exponentLength, 32)))
    }
}

/// Little-endian 64-bit limb arithmetic for modexp (arbitrary lengths; Knuth division from
/// `U256.divideLimbs`).
enum BigLimbs {
    /// Limbs without high zero limbs (empty for zero).
    static func fromBigEndian(_ bytes: [UInt8]) -> [UInt64] {
        var limbs = [UInt64](repeating: 0, count: (bytes.count + 7) / 8)
        for (i, byte) in bytes.reversed().enumerated() { limbs[i / 8] |= UInt64(byte) << (8 * UInt64(i % 8)) }
        while limbs.last == 0 { limbs.removeLast() }
        return limbs
    }

    static func toBigEndian(_ limbs: inout [UInt64], length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        for i in 0..<Swift.min(length, limbs.count * 8) {
            out[length - 1 - i] = UInt8(truncatingIfNeeded: limbs[i / 8] >> (8 * UInt64(i % 8)))
        }
        return out
    }

    /// Arithmetic modulo a fixed nonzero modulus, with scratch buffers reused across steps.
    struct Modulus {
        let m: [UInt64]          // significant limbs, top limb nonzero
        var product: [UInt64]    // 2n + 1 limbs: a product, then the division's working dividend
        var divisor: [UInt64]    // a copy of m that the division clobbers
        var quotient: [UInt64]

        init(_ m: [UInt64]) {
            self.m = m
            product = [UInt64](repeating: 0, count: 2 * m.count + 1)
            divisor = m
            quotient = [UInt64](repeating: 0, count: 2 * m.count + 1)
        }

        var n: Int { m.count }

        /// `x mod m` for any `x`, as exactly n limbs.
        mutating func reduce(_ x: [UInt64]) -> [UInt64] {
            var x = x
            while x.last == 0 { x.removeLast() }
            if x.count < n { return x + [UInt64](repeating: 0, count: n - x.count) }
            var u = x + [0]
            return divide(&u, x.count)
        }

        /// The remainder of u[0..<count] (u has count+1 limbs) as n limbs.
        private mutating func divide(_ u: inout [UInt64], _ count: Int) -> [UInt64] {
            var significant = count
            while significant > 0 && u[significant - 1] == 0 { significant -= 1 }
            if significant < n { return Array(u[0..<n]) }
            if n == 1 {
                let d = m[0]
                var r: UInt64 = 0
                for i in stride(from: significant - 1, through: 0, by: -1) {
                    r = d.dividingFullWidth((high: r, low: u[i])).remainder
                }
                return [r]
            }
            // Moved out of self for the call (no copy: self's arrays are left empty meanwhile).
            var v = divisor, q = quotient
            divisor = []; quotient = []
            for i in 0..<n { v[i] = m[i] }
            if q.count < significant { q = [UInt64](repeating: 0, count: significant) }
            u.withUnsafeMutableBufferPointer { up in
                v.withUnsafeMutableBufferPointer { vp in
                    q.withUnsafeMutableBufferPointer { qp in
                        U256.divideLimbs(up.baseAddress!, significant, vp.baseAddress!, n, qp.baseAddress!)
                    }
                }
            }
            divisor = v; quotient = q
            return Array(u[0..<n])
        }

        /// `a * b mod m` for a, b of n limbs each, below m.
        mutating func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            for i in 0..<product.count { product[i] = 0 }
            for i in 0..<n where a[i] != 0 {
                var carry: UInt64 = 0
                let ai = a[i]
                for j in 0..<n {
                    let (hi, lo) = ai.multipliedFullWidth(by: b[j])
                    let (s1, c1) = product[i + j].addingReportingOverflow(lo)
                    let (s2, c2) = s1.addingReportingOverflow(carry)
                    product[i + j] = s2
                    carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
                }
                product[i + n] = carry
            }
            var u = product
            return divide(&u, 2 * n)
        }

        /// base^(exponent bytes, then `trailingZeroBytes` zero bytes) mod m.
        mutating func power(base: [UInt64], exponent: [UInt8], trailingZeroBytes: UInt64) -> [UInt64] {
            let one = reduce([1])
            if m == [1] { return [0] }
            let b = reduce(base)
            var result = one
            var started = false
            for byte in exponent {
                for bit in stride(from: 7, through: 0, by: -1) {
                    if started { result = multiply(result, result) }
                    if (byte >> UInt8(bit)) & 1 == 1 {
                        result = started ? multiply(result, b) : b
                        started = true
                    }
                }
            }
            if !started { return one }  // exponent 0: 1 mod m (0^0 = 1 as in EIP-198)
            var squarings = trailingZeroBytes * 8
            while squarings > 0 {
                if result.allSatisfy({ $0 == 0 }) || result == one { break }
                result = multiply(result, result)
                squarings -= 1
            }
            return result
        }
    }
}
