import Foundation
import Testing
import TestSupport
@testable import Primitives

/// U256 against Python's integers: Fixtures/own/u256_vectors.txt, made by make_u256_vectors.py
/// beside it (seeded; edges, limb boundaries, signed cases and Knuth's rare division paths).
struct U256VectorTests {
    struct Vector: CustomStringConvertible {
        let line: Int, op: String, a: U256, b: U256, c: U256?, expected: U256
        var description: String { "line \(line): \(op)" }
    }

    static func loadVectors() throws -> [Vector] {
        let text = try String(contentsOf: FixtureLocation.url("own/u256_vectors.txt"), encoding: .utf8)
        var out: [Vector] = []
        for (i, raw) in text.split(separator: "\n").enumerated() where !raw.hasPrefix("#") {
            let f = raw.split(separator: " ")
            guard f.count == 6, f[4] == "=" else { throw FixtureError.malformed(String(raw)) }
            func v(_ s: Substring) throws -> U256 { try U256(quantity: "0x" + s) }
            out.append(Vector(line: i + 1, op: String(f[0]), a: try v(f[1]), b: try v(f[2]),
                              c: f[3] == "-" ? nil : try v(f[3]), expected: try v(f[5])))
        }
        return out
    }

    static func evaluate(_ t: Vector) -> U256? {
        let a = t.a, b = t.b
        switch t.op {
        case "add": return a &+ b
        case "sub": return a &- b
        case "mul": return a &* b
        case "mulhi": return a.multipliedFullWidth(by: b).high
        case "div": return a.dividedOrZero(by: b)
        case "mod": return a.remainderOrZero(dividingBy: b)
        case "sdiv": return a.signedDivide(by: b)
        case "smod": return a.signedRemainder(dividingBy: b)
        case "exp": return a.power(b)
        case "signextend": return a.signExtend(fromByte: b)
        case "byte": return a.byte(at: b)
        case "shl": return a.shiftedLeft(by: b)
        case "shr": return a.shiftedRight(by: b)
        case "sar": return a.arithmeticShiftRight(by: b)
        case "lt": return a < b ? .one : .zero
        case "slt": return a.signedLessThan(b) ? .one : .zero
        case "neg": return a.negated
        case "clz": return U256(UInt64(a.countLeadingZeroBits))
        case "bytelen": return U256(UInt64(a.byteLength))
        case "addmod": return a.addMod(b, t.c!)
        case "mulmod": return a.mulMod(b, t.c!)
        default: return nil
        }
    }

    @Test func everyOperationAgreesWithPythonIntegers() throws {
        let vectors = try Self.loadVectors()
        #expect(vectors.count > 6_000)
        var perOp: [String: Int] = [:]
        for t in vectors {
            let got = Self.evaluate(t)
            #expect(got != nil, "unknown op \(t.op)")
            #expect(got == t.expected, "\(t): \(t.a.quantity) \(t.b.quantity) \(t.c?.quantity ?? "-") gave \(got?.quantity ?? "nil"), want \(t.expected.quantity)")
            perOp[t.op, default: 0] += 1
            // The checked division agrees with DIV/MOD for nonzero divisors.
            if t.op == "div" && !t.b.isZero {
                let (q, r) = t.a.quotientAndRemainder(dividingBy: t.b)
                #expect(q == t.expected && r < t.b && q.multipliedWrapping(by: t.b) &+ r == t.a, "\(t)")
            }
        }
        #expect(perOp.count == 21)
        Fixtures.report(suite: "U256 vs Python integers", executed: vectors.count)
    }
}
