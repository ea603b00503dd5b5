// The EVM's arithmetic on 256-bit words (yellow paper, appendix H): division by zero gives
// zero, signed operations read words as two's complement, shifts take a 256-bit amount.

extension U256 {
    // MARK: signs

    /// The top bit: the word is negative as a two's-complement number.
    @inlinable public var isNegative: Bool { l3 &>> 63 != 0 }

    /// The two's-complement negation (`0 - self` modulo 2^256).
    @inlinable public var negated: U256 { U256.zero &- self }

    /// Signed comparison (EVM SLT).
    @inlinable
    public func signedLessThan(_ o: U256) -> Bool {
        let a = isNegative, b = o.isNegative
        if a != b { return a }
        return self < o
    }

    /// Leading zero bits: 256 for zero (EVM CLZ).
    @inlinable
    public var countLeadingZeroBits: Int {
        if l3 != 0 { return l3.leadingZeroBitCount }
        if l2 != 0 { return 64 + l2.leadingZeroBitCount }
        if l1 != 0 { return 128 + l1.leadingZeroBitCount }
        return 192 + l0.leadingZeroBitCount
    }

    /// The number of significant bytes: 0 for zero, 32 when the top byte is nonzero.
    @inlinable public var byteLength: Int { (bitWidth + 7) &>> 3 }

    // MARK: division

    /// EVM DIV: the quotient, or 0 when the divisor is 0.
    @inlinable
    public func dividedOrZero(by d: U256) -> U256 {
        if d.isZero { return .zero }
        if (d.l1 | d.l2 | d.l3 | l1 | l2 | l3) == 0 { return U256(l0 / d.l0) }
        return quotientAndRemainder(dividingBy: d).quotient
    }

    /// EVM MOD: the remainder, or 0 when the divisor is 0.
    @inlinable
    public func remainderOrZero(dividingBy d: U256) -> U256 {
        if d.isZero { return .zero }
        if (d.l1 | d.l2 | d.l3 | l1 | l2 | l3) == 0 { return U256(l0 % d.l0) }
        return quotientAndRemainder(dividingBy: d).remainder
    }

    /// EVM SDIV: the quotient rounded toward zero; 0 for a zero divisor; -2^255 / -1 = -2^255.
    @inlinable
    public func signedDivide(by d: U256) -> U256 {
        if d.isZero { return .zero }
        let an = isNegative, dn = d.isNegative
        let q = (an ? negated : self).quotientAndRemainder(dividingBy: dn ? d.negated : d).quotient
        return an != dn ? q.negated : q
    }

    /// EVM SMOD: the remainder with the sign of the dividend; 0 for a zero divisor.
    @inlinable
    public func signedRemainder(dividingBy d: U256) -> U256 {
        if d.isZero { return .zero }
        let an = isNegative
        let r = (an ? negated : self).quotientAndRemainder(dividingBy: d.isNegative ? d.negated : d).remainder
        return an ? r.negated : r
    }

    /// EVM ADDMOD: `(self + b) mod m` over a 257-bit sum; 0 when `m` is 0.
    @inlinable
    public func addMod(_ b: U256, _ m: U256) -> U256 {
        if m.isZero { return .zero }
        // Reduce the operands first; then the sum is below 2m and one conditional subtraction
        // finishes (the wrapping subtraction is exact when the sum carried past 2^256).
        let x = self < m ? self : quotientAndRemainder(dividingBy: m).remainder
        let y = b < m ? b : b.quotientAndRemainder(dividingBy: m).remainder
        let (s, carry) = x.addingReportingOverflow(y)
        return (carry || s >= m) ? s &- m : s
    }

    /// EVM MULMOD: `(self * b) mod m` over the 512-bit product; 0 when `m` is 0.
    @inlinable
    public func mulMod(_ b: U256, _ m: U256) -> U256 {
        if m.isZero { return .zero }
        let (high, low) = multipliedFullWidth(by: b)
        return U256.remainder(high: high, low: low, modulo: m)
    }

    /// EVM EXP: `self ^ e` modulo 2^256, by square-and-multiply from the top exponent bit.
    @inlinable
    public func power(_ e: U256) -> U256 {
        if e.isZero { return .one }
        if (l1 | l2 | l3) == 0 && l0 <= 1 { return self }  // 0^e = 0, 1^e = 1 for e > 0
        if self == U256(2) {
            return e < U256(256) ? U256.one.shiftedLeftUnchecked(Int(e.l0)) : .zero
        }
        var result = U256.one
        var i = e.bitWidth - 1
        while i >= 0 {
            result = result.multipliedWrapping(by: result)
            if e.bit(i) { result = result.multipliedWrapping(by: self) }
            i -= 1
        }
        return result
    }

    // MARK: bytes and bits

    /// EVM SIGNEXTEND: `self` read as a signed integer of `b + 1` bytes; `b >= 31` gives `self`.
    @inlinable
    public func signExtend(fromByte b: U256) -> U256 {
        guard (b.l1 | b.l2 | b.l3) == 0, b.l0 < 31 else { return self }
        let signBit = Int(b.l0) &* 8 &+ 7
        let mask = U256.max.shiftedLeftUnchecked(signBit &+ 1)  // the bits above the sign bit
        return bit(signBit) ? (self | mask) : (self & ~mask)
    }

    /// EVM BYTE: byte `i` counting from the most significant; 0 for `i >= 32`.
    @inlinable
    public func byte(at i: U256) -> U256 {
        guard (i.l1 | i.l2 | i.l3) == 0, i.l0 < 32 else { return .zero }
        let fromLow = 31 &- Int(i.l0)
        return U256((limb(fromLow &>> 3) &>> UInt64((fromLow & 7) &* 8)) & 0xff)
    }

    /// EVM SHL: `self << n`; 0 for `n >= 256`.
    @inlinable
    public func shiftedLeft(by n: U256) -> U256 {
        guard (n.l1 | n.l2 | n.l3) == 0, n.l0 < 256 else { return .zero }
        return shiftedLeftUnchecked(Int(n.l0))
    }

    /// EVM SHR: `self >> n` (logical); 0 for `n >= 256`.
    @inlinable
    public func shiftedRight(by n: U256) -> U256 {
        guard (n.l1 | n.l2 | n.l3) == 0, n.l0 < 256 else { return .zero }
        return shiftedRightUnchecked(Int(n.l0))
    }

    /// EVM SAR: arithmetic shift right; for `n >= 256`, 0 or all ones by the sign.
    @inlinable
    public func arithmeticShiftRight(by n: U256) -> U256 {
        let negative = isNegative
        guard (n.l1 | n.l2 | n.l3) == 0, n.l0 < 256 else { return negative ? .max : .zero }
        if !negative { return shiftedRightUnchecked(Int(n.l0)) }
        return ~((~self).shiftedRightUnchecked(Int(n.l0)))
    }
}
