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

    func dividedOrZero(by d: U256) -> U256 { d.isZero ? .zero : self / d }
    func remainderOrZero(dividingBy d: U256) -> U256 { d.isZero ? .zero : self % d }

    func signedDivide(by d: U256) -> U256 {
        if d.isZero { return .zero }
        let a = isNegative ? evmNegated : self
        let b = d.isNegative ? d.evmNegated : d
        let q = a / b
        return isNegative != d.isNegative ? q.evmNegated : q
    }

    func signedRemainder(dividingBy d: U256) -> U256 {
        if d.isZero { return .zero }
        let a = isNegative ? evmNegated : self
        let b = d.isNegative ? d.evmNegated : d
        let r = a % b
        return isNegative ? r.evmNegated : r
    }

    func addMod(_ b: U256, _ m: U256) -> U256 {
        if m.isZero { return .zero }
        let x = self % m, y = b % m
        let (s, o) = x.addingReportingOverflow(y)
        if o || s >= m { return s.subtractingReportingOverflow(m).partialValue }
        return s
    }

    func mulMod(_ b: U256, _ m: U256) -> U256 {
        if m.isZero { return .zero }
        let a = self % m
        let bb = b % m
        var r = U256.zero
        var i = bb.bitWidth - 1
        while i >= 0 {
            r = r.addMod(r, m)
            if (bb >> i).l0 & 1 == 1 { r = r.addMod(a, m) }
            i -= 1
        }
        return r
    }

    func power(_ e: U256) -> U256 {
        var result = U256.one, base = self, e = e
        while !e.isZero {
            if e.l0 & 1 == 1 { result = result.evmMul(base) }
            e = e >> 1
            if !e.isZero { base = base.evmMul(base) }
        }
        return result
    }

    func signExtend(fromByte b: U256) -> U256 {
        guard let k = b.uint64, k < 31 else { return self }
        let bit = Int(k) * 8 + 7
        let mask = (U256.one << (bit + 1)).evmSub(.one)
        if (self >> bit).l0 & 1 == 1 { return self | ~mask }
        return self & mask
    }

    func byte(at i: U256) -> U256 {
        guard let k = i.uint64, k < 32 else { return .zero }
        return U256((self >> (8 * (31 - Int(k)))).l0 & 0xff)
    }

    func shiftedLeft(by n: U256) -> U256 {
        guard let k = n.uint64, k < 256 else { return .zero }
        return self << Int(k)
    }

    func shiftedRight(by n: U256) -> U256 {
        guard let k = n.uint64, k < 256 else { return .zero }
        return self >> Int(k)
    }

    func arithmeticShiftRight(by n: U256) -> U256 {
        guard isNegative else { return shiftedRight(by: n) }
        guard let k = n.uint64, k < 256 else { return .max }
        return ~((~self) >> Int(k))
    }

    var countLeadingZeroBits: Int { 256 - bitWidth }
    var byteLength: Int { (bitWidth + 7) / 8 }

    static prefix func ~ (a: U256) -> U256 { U256(l0: ~a.l0, l1: ~a.l1, l2: ~a.l2, l3: ~a.l3) }
    static func ^ (a: U256, b: U256) -> U256 { U256(l0: a.l0 ^ b.l0, l1: a.l1 ^ b.l1, l2: a.l2 ^ b.l2, l3: a.l3 ^ b.l3) }
}
