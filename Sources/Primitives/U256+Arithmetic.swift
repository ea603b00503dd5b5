// Addition, subtraction, multiplication, comparison, bitwise operations and shifts on the four
// limbs, written out without arrays so that nothing allocates.

extension U256 {
    // MARK: limb helpers

    /// `acc + a * b + carry`: the low word into `acc`, the high word into `carry`. The sum is at
    /// most (2^64 - 1) + (2^64 - 1)^2 + (2^64 - 1) = 2^128 - 1, so it never overflows.
    @inlinable @inline(__always)
    static func multiplyAccumulate(_ acc: inout UInt64, _ a: UInt64, _ b: UInt64, _ carry: inout UInt64) {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        let (s1, c1) = acc.addingReportingOverflow(lo)
        let (s2, c2) = s1.addingReportingOverflow(carry)
        acc = s2
        carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
    }

    /// `a + b + carry` with the carry out (`carry` is 0 or 1).
    @inlinable @inline(__always)
    static func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (s1, c1) = a.addingReportingOverflow(b)
        let (s2, c2) = s1.addingReportingOverflow(carry)
        carry = (c1 || c2) ? 1 : 0
        return s2
    }

    /// `a - b - borrow` with the borrow out (`borrow` is 0 or 1).
    @inlinable @inline(__always)
    static func subtractWithBorrow(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
        let (d1, b1) = a.subtractingReportingOverflow(b)
        let (d2, b2) = d1.subtractingReportingOverflow(borrow)
        borrow = (b1 || b2) ? 1 : 0
        return d2
    }

    // MARK: addition and subtraction

    @inlinable
    public func addingReportingOverflow(_ o: U256) -> (partialValue: U256, overflow: Bool) {
        var c: UInt64 = 0
        let r0 = U256.addWithCarry(l0, o.l0, &c)
        let r1 = U256.addWithCarry(l1, o.l1, &c)
        let r2 = U256.addWithCarry(l2, o.l2, &c)
        let r3 = U256.addWithCarry(l3, o.l3, &c)
        return (U256(l0: r0, l1: r1, l2: r2, l3: r3), c != 0)
    }

    @inlinable
    public func subtractingReportingOverflow(_ o: U256) -> (partialValue: U256, overflow: Bool) {
        var b: UInt64 = 0
        let r0 = U256.subtractWithBorrow(l0, o.l0, &b)
        let r1 = U256.subtractWithBorrow(l1, o.l1, &b)
        let r2 = U256.subtractWithBorrow(l2, o.l2, &b)
        let r3 = U256.subtractWithBorrow(l3, o.l3, &b)
        return (U256(l0: r0, l1: r1, l2: r2, l3: r3), b != 0)
    }

    // MARK: multiplication

    /// The product modulo 2^256 (EVM MUL): only the ten partial products below 2^256.
    @inlinable
    public func multipliedWrapping(by o: U256) -> U256 {
        var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0
        var c: UInt64 = 0
        U256.multiplyAccumulate(&r0, l0, o.l0, &c)
        U256.multiplyAccumulate(&r1, l0, o.l1, &c)
        U256.multiplyAccumulate(&r2, l0, o.l2, &c)
        r3 = l0 &* o.l3 &+ c
        c = 0
        U256.multiplyAccumulate(&r1, l1, o.l0, &c)
        U256.multiplyAccumulate(&r2, l1, o.l1, &c)
        r3 = r3 &+ l1 &* o.l2 &+ c
        c = 0
        U256.multiplyAccumulate(&r2, l2, o.l0, &c)
        r3 = r3 &+ l2 &* o.l1 &+ c
        r3 = r3 &+ l3 &* o.l0
        return U256(l0: r0, l1: r1, l2: r2, l3: r3)
    }

    /// The full 512-bit product: `high` holds bits 256..<512, `low` bits 0..<256. Schoolbook,
    /// one row per limb of `self`, written out so that everything stays in registers.
    @inlinable
    public func multipliedFullWidth(by o: U256) -> (high: U256, low: U256) {
        let b0 = o.l0, b1 = o.l1, b2 = o.l2, b3 = o.l3
        var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0
        var r4: UInt64 = 0, r5: UInt64 = 0, r6: UInt64 = 0, r7: UInt64 = 0
        var c: UInt64 = 0
        U256.multiplyAccumulate(&r0, l0, b0, &c)
        U256.multiplyAccumulate(&r1, l0, b1, &c)
        U256.multiplyAccumulate(&r2, l0, b2, &c)
        U256.multiplyAccumulate(&r3, l0, b3, &c)
        r4 = c; c = 0
        U256.multiplyAccumulate(&r1, l1, b0, &c)
        U256.multiplyAccumulate(&r2, l1, b1, &c)
        U256.multiplyAccumulate(&r3, l1, b2, &c)
        U256.multiplyAccumulate(&r4, l1, b3, &c)
        r5 = c; c = 0
        U256.multiplyAccumulate(&r2, l2, b0, &c)
        U256.multiplyAccumulate(&r3, l2, b1, &c)
        U256.multiplyAccumulate(&r4, l2, b2, &c)
        U256.multiplyAccumulate(&r5, l2, b3, &c)
        r6 = c; c = 0
        U256.multiplyAccumulate(&r3, l3, b0, &c)
        U256.multiplyAccumulate(&r4, l3, b1, &c)
        U256.multiplyAccumulate(&r5, l3, b2, &c)
        U256.multiplyAccumulate(&r6, l3, b3, &c)
        r7 = c
        return (U256(l0: r4, l1: r5, l2: r6, l3: r7), U256(l0: r0, l1: r1, l2: r2, l3: r3))
    }

    @inlinable
    public func multipliedReportingOverflow(by o: U256) -> (partialValue: U256, overflow: Bool) {
        let (high, low) = multipliedFullWidth(by: o)
        return (low, !high.isZero)
    }

    // MARK: operators

    public static func + (a: U256, b: U256) -> U256 {
        let (v, o) = a.addingReportingOverflow(b); precondition(!o, "U256 addition overflow"); return v
    }
    public static func - (a: U256, b: U256) -> U256 {
        let (v, o) = a.subtractingReportingOverflow(b); precondition(!o, "U256 subtraction underflow"); return v
    }
    public static func * (a: U256, b: U256) -> U256 {
        let (v, o) = a.multipliedReportingOverflow(by: b); precondition(!o, "U256 multiplication overflow"); return v
    }
    public static func / (a: U256, b: U256) -> U256 { a.quotientAndRemainder(dividingBy: b).quotient }
    public static func % (a: U256, b: U256) -> U256 { a.quotientAndRemainder(dividingBy: b).remainder }
    public static func += (a: inout U256, b: U256) { a = a + b }
    public static func -= (a: inout U256, b: U256) { a = a - b }

    /// Wrapping (modulo 2^256) addition, subtraction and multiplication, as the EVM computes.
    @inlinable public static func &+ (a: U256, b: U256) -> U256 { a.addingReportingOverflow(b).partialValue }
    @inlinable public static func &- (a: U256, b: U256) -> U256 { a.subtractingReportingOverflow(b).partialValue }
    @inlinable public static func &* (a: U256, b: U256) -> U256 { a.multipliedWrapping(by: b) }

    // MARK: comparison and bitwise

    @inlinable
    public static func < (a: U256, b: U256) -> Bool {
        if a.l3 != b.l3 { return a.l3 < b.l3 }
        if a.l2 != b.l2 { return a.l2 < b.l2 }
        if a.l1 != b.l1 { return a.l1 < b.l1 }
        return a.l0 < b.l0
    }

    @inlinable
    public static func == (a: U256, b: U256) -> Bool {
        ((a.l0 ^ b.l0) | (a.l1 ^ b.l1) | (a.l2 ^ b.l2) | (a.l3 ^ b.l3)) == 0
    }

    public static func min(_ a: U256, _ b: U256) -> U256 { a < b ? a : b }

    @inlinable public static func | (a: U256, b: U256) -> U256 {
        U256(l0: a.l0 | b.l0, l1: a.l1 | b.l1, l2: a.l2 | b.l2, l3: a.l3 | b.l3)
    }
    @inlinable public static func & (a: U256, b: U256) -> U256 {
        U256(l0: a.l0 & b.l0, l1: a.l1 & b.l1, l2: a.l2 & b.l2, l3: a.l3 & b.l3)
    }
    @inlinable public static func ^ (a: U256, b: U256) -> U256 {
        U256(l0: a.l0 ^ b.l0, l1: a.l1 ^ b.l1, l2: a.l2 ^ b.l2, l3: a.l3 ^ b.l3)
    }
    @inlinable public static prefix func ~ (a: U256) -> U256 {
        U256(l0: ~a.l0, l1: ~a.l1, l2: ~a.l2, l3: ~a.l3)
    }

    // MARK: shifts

    /// `self << n` for `n` in 0..<256.
    @inlinable
    func shiftedLeftUnchecked(_ n: Int) -> U256 {
        var a0 = l0, a1 = l1, a2 = l2, a3 = l3
        switch n &>> 6 {
        case 0: break
        case 1: (a0, a1, a2, a3) = (0, l0, l1, l2)
        case 2: (a0, a1, a2, a3) = (0, 0, l0, l1)
        default: (a0, a1, a2, a3) = (0, 0, 0, l0)
        }
        let b = UInt64(n & 63)
        if b != 0 {
            a3 = (a3 &<< b) | (a2 &>> (64 &- b))
            a2 = (a2 &<< b) | (a1 &>> (64 &- b))
            a1 = (a1 &<< b) | (a0 &>> (64 &- b))
            a0 = a0 &<< b
        }
        return U256(l0: a0, l1: a1, l2: a2, l3: a3)
    }

    /// `self >> n` (logical) for `n` in 0..<256.
    @inlinable
    func shiftedRightUnchecked(_ n: Int) -> U256 {
        var a0 = l0, a1 = l1, a2 = l2, a3 = l3
        switch n &>> 6 {
        case 0: break
        case 1: (a0, a1, a2, a3) = (l1, l2, l3, 0)
        case 2: (a0, a1, a2, a3) = (l2, l3, 0, 0)
        default: (a0, a1, a2, a3) = (l3, 0, 0, 0)
        }
        let b = UInt64(n & 63)
        if b != 0 {
            a0 = (a0 &>> b) | (a1 &<< (64 &- b))
            a1 = (a1 &>> b) | (a2 &<< (64 &- b))
            a2 = (a2 &>> b) | (a3 &<< (64 &- b))
            a3 = a3 &>> b
        }
        return U256(l0: a0, l1: a1, l2: a2, l3: a3)
    }

    public static func << (a: U256, n: Int) -> U256 {
        if n < 0 { return a >> -n }
        if n >= 256 { return .zero }
        return a.shiftedLeftUnchecked(n)
    }

    public static func >> (a: U256, n: Int) -> U256 {
        if n < 0 { return a << -n }
        if n >= 256 { return .zero }
        return a.shiftedRightUnchecked(n)
    }

    // MARK: bits

    @inlinable func bit(_ i: Int) -> Bool { (limb(i &>> 6) &>> UInt64(i & 63)) & 1 == 1 }
    @inlinable mutating func setBit(_ i: Int) { setLimb(i &>> 6, limb(i &>> 6) | (1 &<< UInt64(i & 63))) }
}
