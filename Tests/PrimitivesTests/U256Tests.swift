import Testing
import TestSupport
@testable import Primitives

struct U256Tests {
    static func from128(_ v: UInt128) -> U256 { U256(l0: UInt64(truncatingIfNeeded: v), l1: UInt64(truncatingIfNeeded: v >> 64), l2: 0, l3: 0) }

    @Test func arithmeticAgreesWithUInt128OnRandomValues() {
        let seed = SplitMix64.seedFromEnvironment(default: 0x5EED_0001)
        var rng = SplitMix64(seed: seed)
        print("U256Tests seed \(seed)")
        for _ in 0..<20_000 {
            let a = UInt128(rng.next()) << 63 | UInt128(rng.next())
            let b = UInt128(rng.next() >> UInt64.random(in: 0...63, using: &rng))
            #expect(Self.from128(a) + Self.from128(b) == Self.from128(a &+ b) || a.addingReportingOverflow(b).overflow)
            if a >= b { #expect(Self.from128(a) - Self.from128(b) == Self.from128(a - b)) }
            if b != 0 {
                #expect(Self.from128(a) / Self.from128(b) == Self.from128(a / b))
                #expect(Self.from128(a) % Self.from128(b) == Self.from128(a % b))
            }
            let small = UInt128(rng.next() >> 1)
            let (p, o) = Self.from128(a >> 64).multipliedReportingOverflow(by: Self.from128(small))
            #expect(!o)
            #expect(p == Self.from128((a >> 64) * small))
            #expect(Self.from128(a).decimal == String(a))
            #expect(Self.from128(a).quantity == "0x" + String(a, radix: 16))
        }
    }

    @Test func wideDivisionMatchesMultiplication() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let a = U256(l0: rng.next(), l1: rng.next(), l2: rng.next(), l3: rng.next() >> 1)
            let b = U256(l0: rng.next(), l1: rng.next(), l2: rng.next() >> 3, l3: 0)
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            #expect(r < b)
            #expect(q * b + r == a)
        }
    }

    @Test func reportsOverflowAndUnderflow() {
        #expect(U256.max.addingReportingOverflow(.one).overflow)
        #expect(U256.max.addingReportingOverflow(.one).partialValue == .zero)
        #expect(U256.zero.subtractingReportingOverflow(.one).overflow)
        #expect(U256.zero.subtractingReportingOverflow(.one).partialValue == .max)
        #expect((U256.one << 255).multipliedReportingOverflow(by: U256(2)).overflow)
        #expect(!(U256.one << 254).multipliedReportingOverflow(by: U256(2)).overflow)
        #expect(U256(l0: 0, l1: 1, l2: 0, l3: 0).multipliedReportingOverflow(by: U256(l0: 0, l1: 0, l2: 0, l3: 1)).overflow)
    }

    @Test func convertsBytesAndStrings() throws {
        let v = U256(l0: 0x0102, l1: 0, l2: 0, l3: 0x8000_0000_0000_0000)
        #expect(U256(bigEndian: v.bigEndianBytes) == v)
        #expect(v.minimalBytes.count == 32)
        #expect(U256(0x0102).minimalBytes == [0x01, 0x02])
        #expect(U256.zero.minimalBytes.isEmpty)
        #expect(U256(bigEndian: [UInt8](repeating: 1, count: 33)) == nil)
        #expect(try U256(quantity: "0x0") == .zero)
        #expect(try U256(quantity: "0xDE0B6B3A7640000") == U256(1_000_000_000_000_000_000))
        #expect(U256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639935") == .max)
        #expect(U256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(U256.max.decimal == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(throws: HexError.leadingZeros) { try U256(quantity: "0x01") }
        #expect(throws: HexError.emptyQuantity) { try U256(quantity: "0x") }
        #expect(throws: HexError.missingPrefix) { try U256(quantity: "12") }
        #expect(throws: HexError.valueTooLarge(bits: 256)) { try U256(quantity: "0x1" + String(repeating: "0", count: 64)) }
    }

    @Test func shiftsAcrossLimbs() {
        #expect(U256.one << 64 == U256(l0: 0, l1: 1, l2: 0, l3: 0))
        #expect((U256.one << 200) >> 200 == .one)
        #expect(U256.max >> 255 == .one)
        #expect(U256.max << 256 == .zero)
        #expect((U256.one << 130).bitWidth == 131)
    }
}

/// EVM edge cases written out, and properties checked on many seeded random values.
struct U256EVMEdgeTests {
    static let minSigned = U256.one << 255          // -2^255
    static let minusOne = U256.max                  // -1

    @Test func signedDivisionAtTheEdges() {
        #expect(Self.minSigned.signedDivide(by: Self.minusOne) == Self.minSigned)
        #expect(Self.minSigned.signedRemainder(dividingBy: Self.minusOne) == .zero)
        #expect(U256(7).signedDivide(by: .zero) == .zero)
        #expect(U256(7).signedRemainder(dividingBy: .zero) == .zero)
        #expect(U256(7).negated.signedDivide(by: U256(2)) == U256(3).negated)   // toward zero
        #expect(U256(7).negated.signedRemainder(dividingBy: U256(2)) == Self.minusOne)
        #expect(U256(7).signedRemainder(dividingBy: U256(2).negated) == .one)  // dividend's sign
        #expect(U256.max.dividedOrZero(by: .zero) == .zero)
        #expect(U256.max.remainderOrZero(dividingBy: .zero) == .zero)
        #expect(U256.max.dividedOrZero(by: .max) == .one)
        #expect(Self.minusOne.signedLessThan(.zero))
        #expect(!U256.zero.signedLessThan(Self.minusOne))
        #expect(Self.minSigned.signedLessThan(Self.minSigned - .one))
        #expect(Self.minSigned.negated == Self.minSigned)
        #expect(U256.zero.negated == .zero)
    }

    @Test func modularArithmeticAtTheEdges() {
        #expect(U256.max.addMod(.max, .zero) == .zero)
        #expect(U256.max.mulMod(.max, .zero) == .zero)
        #expect(U256.max.addMod(U256(2), U256(3)) == U256(2))            // (2^256 + 1) mod 3 = 2
        #expect(U256.max.addMod(.max, .max) == .zero)
        #expect(U256.max.mulMod(.max, .max) == .zero)
        #expect(U256.max.mulMod(.max, U256(12)) == U256(9))               // (2^256-1)^2 mod 12
        #expect(U256.max.power(.max) == .max)                             // odd power of -1
        #expect(U256(2).power(U256(255)) == Self.minSigned)
        #expect(U256(2).power(U256(256)) == .zero)
        #expect(U256.zero.power(.zero) == .one)
        #expect(U256(3).power(U256(5)) == U256(243))
    }

    @Test func bytesBitsAndShifts() {
        let v = U256(l0: 0x0000_0000_0000_80ff, l1: 0, l2: 0, l3: 0x1200_0000_0000_0000)
        #expect(v.byte(at: .zero) == U256(0x12))
        #expect(v.byte(at: U256(31)) == U256(0xff))
        #expect(v.byte(at: U256(30)) == U256(0x80))
        #expect(v.byte(at: U256(32)) == .zero)
        #expect(v.byte(at: U256.max) == .zero)
        #expect(U256(0x80).signExtend(fromByte: .zero) == U256.max - U256(0x7f))
        #expect(U256(0x7f).signExtend(fromByte: .zero) == U256(0x7f))
        #expect(U256(0x1_7f).signExtend(fromByte: .zero) == U256(0x7f))
        #expect(v.signExtend(fromByte: U256(31)) == v)
        #expect(v.signExtend(fromByte: U256.max) == v)
        #expect(U256.one.shiftedLeft(by: U256(255)) == Self.minSigned)
        #expect(U256.one.shiftedLeft(by: U256(256)) == .zero)
        #expect(U256.max.shiftedRight(by: U256(l0: 1, l1: 1, l2: 0, l3: 0)) == .zero)
        #expect(Self.minSigned.arithmeticShiftRight(by: U256(255)) == .max)
        #expect(Self.minSigned.arithmeticShiftRight(by: U256(1000)) == .max)
        #expect(U256(5).arithmeticShiftRight(by: U256(1000)) == .zero)
        #expect(U256.zero.countLeadingZeroBits == 256)
        #expect(U256.one.countLeadingZeroBits == 255)
        #expect(U256.max.countLeadingZeroBits == 0)
        #expect(U256.zero.byteLength == 0)
        #expect(U256(0x100).byteLength == 2)
        #expect(U256.max.byteLength == 32)
        #expect(U256.max.isNegative && !U256(5).isNegative)
    }

    @Test func bigEndianBuffersRoundTripWithoutArrays() {
        var rng = SplitMix64(seed: 0xB17E5)
        for _ in 0..<2_000 {
            let v = U256(l0: rng.next(), l1: rng.next(), l2: rng.next(), l3: rng.next())
            var buf = [UInt8](repeating: 0xEE, count: 40)
            buf.withUnsafeMutableBytes { v.storeBigEndian(into: $0.baseAddress! + 3) }
            #expect(Array(buf[3..<35]) == v.bigEndianBytes)
            #expect(buf[0..<3].allSatisfy { $0 == 0xEE } && buf[35...].allSatisfy { $0 == 0xEE })
            #expect(U256(bigEndianBytes: buf[3..<35]) == v)
            let n = Int(rng.next() % 33)
            let tail = Array(v.bigEndianBytes.suffix(n))
            let expected = n == 0 ? U256.zero : v & (U256.max >> (256 - 8 * n))
            #expect(tail.withUnsafeBytes { U256(bigEndianBytes: $0) } == expected)
            #expect(U256(bigEndian: tail) == expected)
            #expect(U256(limbs: v.limbs) == v)
        }
        // More than 32 bytes: the last 32.
        #expect(U256(bigEndianBytes: [UInt8](repeating: 1, count: 33) + [2]) == U256(bigEndian: [UInt8](repeating: 1, count: 31) + [2]))
        #expect(U256(bigEndianBytes: []) == .zero)
    }

    @Test func divisionAndProductsHoldTheirIdentitiesOnRandomValues() {
        let seed = SplitMix64.seedFromEnvironment(default: 0xD1F_0256)
        var rng = SplitMix64(seed: seed)
        print("U256EVMEdgeTests seed \(seed)")
        func random() -> U256 {
            let v = U256(l0: rng.next(), l1: rng.next(), l2: rng.next(), l3: rng.next())
            return v >> Int(rng.next() % 256)
        }
        for _ in 0..<20_000 {
            let a = random(), b = random()
            if !b.isZero {
                let (q, r) = a.quotientAndRemainder(dividingBy: b)
                #expect(r < b)
                let (hi, lo) = q.multipliedFullWidth(by: b)
                #expect(hi.isZero && lo &+ r == a && !lo.addingReportingOverflow(r).overflow)
            }
            // Full-width product against the schoolbook on halves: (a*b) mod 2^256 agrees.
            #expect(a.multipliedFullWidth(by: b).low == a &* b)
            #expect(a &* b == b &* a)
            // mulMod by a modulus above both operands of a product that fits agrees with %.
            let m = random() | .one
            let (hi, lo) = a.multipliedFullWidth(by: b)
            if hi.isZero { #expect(a.mulMod(b, m) == lo % m) }
            let (s, carry) = a.addingReportingOverflow(b)
            if !carry { #expect(a.addMod(b, m) == s % m) }
        }
    }
}
