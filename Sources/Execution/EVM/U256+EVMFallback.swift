import Primitives

// FALLBACK: simple, correct versions of the EVM operations that the `evm-math` branch adds to
// Primitives' U256 (same names and meanings). Delete this file when merging `evm-math`.

extension U256 {
    var isNegative: Bool { l3 >> 63 == 1 }

    func signedLessThan(_ b: U256) -> Bool {
        let an = isNegative, bn = b.isNegative
        if an != bn { return an }
        return self < b
    }

    func dividedOrZero(by d: U256) -> U256 { d.isZero ? .zero : divMod(d).0 }
    func remainderOrZero(dividingBy d: U256) -> U256 { d.isZero ? .zero : divMod(d).1 }

    /// Shift-subtract division without allocation (d != 0).
    func divMod(_ d: U256) -> (U256, U256) {
        if self < d { return (.zero, self) }
        if let small = d.uint64, (l1 | l2 | l3) == 0 { return (U256(l0 / small), U256(l0 % small)) }
        var q = U256.zero, r = U256.zero
        var i = bitWidth - 1
        while i >= 0 {
            // r = r << 1 | bit i
            r = U256(l0: r.l0 << 1 | bitAt(i), l1: r.l1 << 1 | r.l0 >> 63, l2: r.l2 << 1 | r.l1 >> 63, l3: r.l3 << 1 | r.l2 >> 63)
            if r >= d {
                r = r.evmSub(d)
                switch i >> 6 {
                case 0: q.l0 |= 1 << UInt64(i & 63)
                case 1: q.l1 |= 1 << UInt64(i & 63)
                case 2: q.l2 |= 1 << UInt64(i & 63)
                default: q.l3 |= 1 << UInt64(i & 63)
                }
            }
            i -= 1
        }
        return (q, r)
    }

    @inline(__always) func bitAt(_ i: Int) -> UInt64 {
        let limb: UInt64
        switch i >> 6 {
        case 0: limb = l0
        case 1: limb = l1
        case 2: limb = l2
        default: limb = l3
        }
        return (limb >> UInt64(i & 63)) & 1
    }

    func signedDivide(by d: U256) -> U256 {
        if d.isZero { return .zero }
        let a = isNegative ? evmNegated : self
        let b = d.isNegative ? d.evmNegated : d
        let q = a.divMod(b).0
        return isNegative != d.isNegative ? q.evmNegated : q
    }

    func signedRemainder(dividingBy d: U256) -> U256 {
        if d.isZero { return .zero }
        let a = isNegative ? evmNegated : self
        let b = d.isNegative ? d.evmNegated : d
        let r = a.divMod(b).1
        return isNegative ? r.evmNegated : r
    }

    func addMod(_ b: U256, _ m: U256) -> U256 {
        if m.isZero { return .zero }
        return divMod(m).1.addModReduced(b.divMod(m).1, m)
    }

    /// (self + b) mod m for self, b < m.
    @inline(__always) func addModReduced(_ b: U256, _ m: U256) -> U256 {
        let (s, o) = addingReportingOverflow(b)
        if o || s >= m { return s.evmSub(m) }
        return s
    }

    func mulMod(_ b: U256, _ m: U256) -> U256 {
        if m.isZero { return .zero }
        let a = divMod(m).1
        let bb = b.divMod(m).1
        var r = U256.zero
        var i = bb.bitWidth - 1
        while i >= 0 {
            r = r.addModReduced(r, m)
            if bb.bitAt(i) == 1 { r = r.addModReduced(a, m) }
            i -= 1
        }
        return r
    }

    func power(_ e: U256) -> U256 {
        var result = U256.one, base = self, e = e
        while !e.isZero {
            if e.l0 & 1 == 1 { result = result.evmMul(base) }
            e = U256(l0: e.l0 >> 1 | e.l1 << 63, l1: e.l1 >> 1 | e.l2 << 63, l2: e.l2 >> 1 | e.l3 << 63, l3: e.l3 >> 1)
            if !e.isZero { base = base.evmMul(base) }
        }
        return result
    }

    func signExtend(fromByte b: U256) -> U256 {
        guard let k = b.uint64, k < 31 else { return self }
        let bit = Int(k) * 8 + 7
        let mask = U256.one.shl(bit + 1).evmSub(.one)
        if bitAt(bit) == 1 { return self | ~mask }
        return self & mask
    }

    func byte(at i: U256) -> U256 {
        guard let k = i.uint64, k < 32 else { return .zero }
        return U256(shr(8 * (31 - Int(k))).l0 & 0xff)
    }

    func shiftedLeft(by n: U256) -> U256 {
        guard let k = n.uint64, k < 256 else { return .zero }
        return shl(Int(k))
    }

    func shiftedRight(by n: U256) -> U256 {
        guard let k = n.uint64, k < 256 else { return .zero }
        return shr(Int(k))
    }

    func arithmeticShiftRight(by n: U256) -> U256 {
        guard isNegative else { return shiftedRight(by: n) }
        guard let k = n.uint64, k < 256 else { return .max }
        return ~((~self).shr(Int(k)))
    }

    /// Shift left by 0..<256 bits without allocating.
    func shl(_ n: Int) -> U256 {
        if n >= 256 { return .zero }
        var w = (l0, l1, l2, l3)
        var k = n
        while k >= 64 { w = (0, w.0, w.1, w.2); k -= 64 }
        if k == 0 { return U256(l0: w.0, l1: w.1, l2: w.2, l3: w.3) }
        let s = UInt64(k), r = UInt64(64 - k)
        return U256(l0: w.0 << s, l1: w.1 << s | w.0 >> r, l2: w.2 << s | w.1 >> r, l3: w.3 << s | w.2 >> r)
    }

    /// Logical shift right by 0..<256 bits without allocating.
    func shr(_ n: Int) -> U256 {
        if n >= 256 { return .zero }
        var w = (l0, l1, l2, l3)
        var k = n
        while k >= 64 { w = (w.1, w.2, w.3, 0); k -= 64 }
        if k == 0 { return U256(l0: w.0, l1: w.1, l2: w.2, l3: w.3) }
        let s = UInt64(k), l = UInt64(64 - k)
        return U256(l0: w.0 >> s | w.1 << l, l1: w.1 >> s | w.2 << l, l2: w.2 >> s | w.3 << l, l3: w.3 >> s)
    }

    var countLeadingZeroBits: Int { 256 - bitWidth }
    var byteLength: Int { (bitWidth + 7) / 8 }

    static prefix func ~ (a: U256) -> U256 { U256(l0: ~a.l0, l1: ~a.l1, l2: ~a.l2, l3: ~a.l3) }
    static func ^ (a: U256, b: U256) -> U256 { U256(l0: a.l0 ^ b.l0, l1: a.l1 ^ b.l1, l2: a.l2 ^ b.l2, l3: a.l3 ^ b.l3) }
}
