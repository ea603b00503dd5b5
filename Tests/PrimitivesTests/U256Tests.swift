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
