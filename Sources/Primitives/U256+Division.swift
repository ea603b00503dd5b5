// Division: a 64-bit-divisor fast path and Knuth's algorithm D (TAOCP vol. 2, 4.3.1) on 64-bit
// limbs for wider divisors, both estimating quotient limbs with a precomputed reciprocal
// instead of 128-bit divisions. Working storage lives in tuples on the stack: nothing allocates.

extension U256 {
    /// Quotient and remainder by a 64-bit divisor: the divisor normalised, one reciprocal, then
    /// two multiplications per limb instead of a 128-bit division.
    @inlinable
    public func quotientAndRemainder(dividingBy d: UInt64) -> (quotient: U256, remainder: UInt64) {
        precondition(d != 0, "division by zero")
        let s = UInt64(d.leadingZeroBitCount)
        let dn = d &<< s
        let reciprocal = U256.reciprocal(dn)
        // The dividend shifted by s over five limbs; the top one is below 2^s <= dn.
        var r: UInt64 = s == 0 ? 0 : l3 &>> (64 &- s)
        let u3 = s == 0 ? l3 : (l3 &<< s) | (l2 &>> (64 &- s))
        let u2 = s == 0 ? l2 : (l2 &<< s) | (l1 &>> (64 &- s))
        let u1 = s == 0 ? l1 : (l1 &<< s) | (l0 &>> (64 &- s))
        let u0 = l0 &<< s
        let q3: UInt64, q2: UInt64, q1: UInt64, q0: UInt64
        (q3, r) = U256.divide2by1(r, u3, dn, reciprocal)
        (q2, r) = U256.divide2by1(r, u2, dn, reciprocal)
        (q1, r) = U256.divide2by1(r, u1, dn, reciprocal)
        (q0, r) = U256.divide2by1(r, u0, dn, reciprocal)
        return (U256(l0: q0, l1: q1, l2: q2, l3: q3), r &>> s)
    }

    /// floor((2^128 - 1) / d) - 2^64 for a normalised `d` (top bit set): the reciprocal that
    /// `divide2by1` multiplies by (Moller and Granlund, "Improved division by invariant
    /// integers", IEEE Trans. Computers 2011).
    @inlinable @inline(__always)
    static func reciprocal(_ d: UInt64) -> UInt64 {
        d.dividingFullWidth((high: ~d, low: .max)).quotient
    }

    /// (u1 * 2^64 + u0) divided by a normalised `d` with its reciprocal `v`, for u1 < d:
    /// algorithm 4 of Moller and Granlund (two multiplications, at most two corrections).
    @inlinable @inline(__always)
    static func divide2by1(_ u1: UInt64, _ u0: UInt64, _ d: UInt64, _ v: UInt64) -> (quotient: UInt64, remainder: UInt64) {
        let (ph, pl) = v.multipliedFullWidth(by: u1)
        let (q0, carry) = pl.addingReportingOverflow(u0)
        var q1 = ph &+ u1 &+ (carry ? 1 : 0) &+ 1
        var r = u0 &- q1 &* d
        if r > q0 {
            q1 &-= 1
            r &+= d
        }
        if r >= d {
            q1 &+= 1
            r &-= d
        }
        return (q1, r)
    }

    /// Quotient and remainder by a 256-bit divisor (traps on zero; see `dividedOrZero(by:)`).
    public func quotientAndRemainder(dividingBy d: U256) -> (quotient: U256, remainder: U256) {
        precondition(!d.isZero, "division by zero")
        if (d.l1 | d.l2 | d.l3) == 0 {
            let (q, r) = quotientAndRemainder(dividingBy: d.l0)
            return (q, U256(r))
        }
        if self < d { return (.zero, self) }
        if (l2 | l3) == 0 {
            // Both fit in 128 bits (d > 2^64 here): one 128-bit division.
            let a = UInt128(l1) << 64 | UInt128(l0), b = UInt128(d.l1) << 64 | UInt128(d.l0)
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            return (U256(l0: UInt64(truncatingIfNeeded: q), l1: 0, l2: 0, l3: 0),
                    U256(l0: UInt64(truncatingIfNeeded: r), l1: UInt64(truncatingIfNeeded: r >> 64), l2: 0, l3: 0))
        }
        var u: (UInt64, UInt64, UInt64, UInt64, UInt64) = (l0, l1, l2, l3, 0)
        var v = d.limbs
        var q: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let m = U256.significantLimbs(self), n = U256.significantLimbs(d)
        withUnsafeMutableBytes(of: &u) { ur in
            withUnsafeMutableBytes(of: &v) { vr in
                withUnsafeMutableBytes(of: &q) { qr in
                    U256.divideLimbs(
                        ur.baseAddress!.assumingMemoryBound(to: UInt64.self), m,
                        vr.baseAddress!.assumingMemoryBound(to: UInt64.self), n,
                        qr.baseAddress!.assumingMemoryBound(to: UInt64.self))
                }
            }
        }
        // divideLimbs leaves the remainder in u's low n limbs.
        return (U256(limbs: q), U256(l0: u.0, l1: n > 1 ? u.1 : 0, l2: n > 2 ? u.2 : 0, l3: n > 3 ? u.3 : 0))
    }

    @inlinable
    static func significantLimbs(_ v: U256) -> Int {
        v.l3 != 0 ? 4 : v.l2 != 0 ? 3 : v.l1 != 0 ? 2 : v.l0 != 0 ? 1 : 0
    }

    /// Knuth's algorithm D on little-endian 64-bit limb buffers of any length (U256 division,
    /// MULMOD's 512-bit reduction, and the modexp precompile's bignums). `u` holds `m` limbs with
    /// room for one more; `v` holds `n >= 2` limbs, its top limb nonzero; `m >= n`. Writes the
    /// `m - n + 1` quotient limbs to `q` and leaves the remainder in `u[0..<n]`; `v` is normalised
    /// in place (clobbered), `u[n...m]` too.
    public static func divideLimbs(
        _ u: UnsafeMutablePointer<UInt64>, _ m: Int,
        _ v: UnsafeMutablePointer<UInt64>, _ n: Int,
        _ q: UnsafeMutablePointer<UInt64>
    ) {
        // The word-sized divisors get their own copies with the inner loops unrolled.
        switch n {
        case 2: divideLimbsBody(u, m, v, 2, q)
        case 3: divideLimbsBody(u, m, v, 3, q)
        case 4: divideLimbsBody(u, m, v, 4, q)
        default: divideLimbsBody(u, m, v, n, q)
        }
    }

    @inline(__always)
    static func divideLimbsBody(
        _ u: UnsafeMutablePointer<UInt64>, _ m: Int,
        _ v: UnsafeMutablePointer<UInt64>, _ n: Int,
        _ q: UnsafeMutablePointer<UInt64>
    ) {
        // D1: normalise so that the divisor's top bit is set.
        let s = UInt64(v[n - 1].leadingZeroBitCount)
        if s != 0 {
            for i in stride(from: n - 1, to: 0, by: -1) { v[i] = (v[i] &<< s) | (v[i - 1] &>> (64 &- s)) }
            v[0] = v[0] &<< s
            u[m] = u[m - 1] &>> (64 &- s)
            for i in stride(from: m - 1, to: 0, by: -1) { u[i] = (u[i] &<< s) | (u[i - 1] &>> (64 &- s)) }
            u[0] = u[0] &<< s
        } else {
            u[m] = 0
        }
        let vTop = v[n - 1], vNext = v[n - 2]
        let reciprocal = reciprocal(vTop)
        // D2..D7: one quotient limb per step, most significant first.
        for j in stride(from: m - n, through: 0, by: -1) {
            // D3: estimate from the top two limbs, then correct with the next one.
            var qhat: UInt64, rhat: UInt64
            var rhatOverflowed = false
            if u[j + n] >= vTop {
                // Only equality is possible here; the estimate b - 1 is then at most 2 too big.
                qhat = .max
                let (r, o) = u[j + n - 1].addingReportingOverflow(vTop)
                rhat = r; rhatOverflowed = o
            } else {
                (qhat, rhat) = divide2by1(u[j + n], u[j + n - 1], vTop, reciprocal)
            }
            while !rhatOverflowed {
                let (ph, pl) = qhat.multipliedFullWidth(by: vNext)
                if ph > rhat || (ph == rhat && pl > u[j + n - 2]) {
                    qhat &-= 1
                    let (r, o) = rhat.addingReportingOverflow(vTop)
                    rhat = r; rhatOverflowed = o
                } else {
                    break
                }
            }
            // D4: subtract qhat * v from u[j ... j+n].
            var borrow: UInt64 = 0
            for i in 0..<n {
                let (ph, pl) = qhat.multipliedFullWidth(by: v[i])
                let (pl2, c) = pl.addingReportingOverflow(borrow)
                let (t, b) = u[i + j].subtractingReportingOverflow(pl2)
                u[i + j] = t
                borrow = ph &+ (c ? 1 : 0) &+ (b ? 1 : 0)
            }
            let (top, negative) = u[j + n].subtractingReportingOverflow(borrow)
            u[j + n] = top
            // D5/D6: rarely (probability about 2/2^64) qhat was still one too big: add v back.
            if negative {
                qhat &-= 1
                var carry: UInt64 = 0
                for i in 0..<n { u[i + j] = addWithCarry(u[i + j], v[i], &carry) }
                u[j + n] &+= carry
            }
            q[j] = qhat
        }
        // D8: unnormalise the remainder.
        if s != 0 {
            for i in 0..<(n - 1) { u[i] = (u[i] &>> s) | (u[i + 1] &<< (64 &- s)) }
            u[n - 1] = u[n - 1] &>> s
        }
    }

    /// `(high * 2^256 + low) mod m` for a nonzero `m`: the 512-bit reduction behind MULMOD.
    @usableFromInline
    static func remainder(high: U256, low: U256, modulo m: U256) -> U256 {
        if high.isZero { return low.quotientAndRemainder(dividingBy: m).remainder }
        if (m.l1 | m.l2 | m.l3) == 0 {
            let d = m.l0
            // high * 2^256 + low = (high mod d) * 2^256 + low, and 2^256 mod d is folded in by
            // dividing (high mod d, low) limb by limb: nine limbs through the reciprocal.
            let s = UInt64(d.leadingZeroBitCount)
            let dn = d &<< s
            let v = reciprocal(dn)
            let limbs = (high.l3, high.l2, high.l1, high.l0, low.l3, low.l2, low.l1, low.l0)
            var r: UInt64 = s == 0 ? 0 : limbs.0 &>> (64 &- s)
            @inline(__always) func step(_ hi: UInt64, _ lo: UInt64) {
                let word = s == 0 ? hi : (hi &<< s) | (lo &>> (64 &- s))
                r = divide2by1(r, word, dn, v).remainder
            }
            step(limbs.0, limbs.1); step(limbs.1, limbs.2); step(limbs.2, limbs.3); step(limbs.3, limbs.4)
            step(limbs.4, limbs.5); step(limbs.5, limbs.6); step(limbs.6, limbs.7); step(limbs.7, 0)
            return U256(r &>> s)
        }
        var u: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (low.l0, low.l1, low.l2, low.l3, high.l0, high.l1, high.l2, high.l3, 0)
        var v = m.limbs
        var q: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let mCount = 4 + significantLimbs(high), n = significantLimbs(m)
        withUnsafeMutableBytes(of: &u) { ur in
            withUnsafeMutableBytes(of: &v) { vr in
                withUnsafeMutableBytes(of: &q) { qr in
                    divideLimbs(
                        ur.baseAddress!.assumingMemoryBound(to: UInt64.self), mCount,
                        vr.baseAddress!.assumingMemoryBound(to: UInt64.self), n,
                        qr.baseAddress!.assumingMemoryBound(to: UInt64.self))
                }
            }
        }
        return U256(l0: u.0, l1: n > 1 ? u.1 : 0, l2: n > 2 ? u.2 : 0, l3: n > 3 ? u.3 : 0)
    }
}
