import Foundation
import Testing
import TestSupport
@testable import Primitives

/// ethereum/tests RLPTests: encode `in` and compare with `out`; `INVALID` must fail to decode;
/// `VALID` must decode and re-encode to the same bytes.
struct RLPConformanceTests {
    static let files = ["rlptest.json", "invalidRLPTest.json", "RandomRLPTests/example.json"]

    @Test func passesEveryCase() throws {
        var executed = 0
        for file in Self.files {
            let url = FixtureLocation.url("ethereum-tests/RLPTests/\(file)")
            let cases = try #require(Fixtures.json(at: url) as? [String: [String: Any]])
            for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
                let out = try Fixtures.bytes(try #require(body["out"] as? String))
                let input = try #require(body["in"])
                if let marker = input as? String, marker == "INVALID" {
                    #expect(throws: RLPError.self, "\(file)/\(name) must be rejected") { _ = try RLP.decode(out) }
                } else if let marker = input as? String, marker == "VALID" {
                    let item = try RLP.decode(out)
                    #expect(RLP.encode(item) == out, "\(file)/\(name)")
                } else {
                    let item = try Self.item(from: input)
                    #expect(RLP.encode(item) == out, "\(file)/\(name) encodes")
                    #expect(try RLP.decode(out) == item, "\(file)/\(name) decodes")
                }
                executed += 1
            }
        }
        #expect(executed == 28 + 26 + 1)
        Fixtures.report(suite: "RLPTests", executed: executed)
    }

    /// JSON test input -> RLP item: strings are UTF-8, integers and `#decimal` big integers are
    /// minimal big-endian bytes, arrays are lists.
    static func item(from json: Any) throws -> RLPItem {
        if let list = json as? [Any] { return .list(try list.map(item(from:))) }
        if let s = json as? String {
            if s.hasPrefix("#") { return .bytes(try bigEndian(decimal: String(s.dropFirst()))) }
            return .bytes(Array(s.utf8))
        }
        if let n = json as? NSNumber { return .bytes(U256(n.uint64Value).minimalBytes) }
        throw FixtureError.malformed("\(json)")
    }

    /// Arbitrary-precision decimal -> minimal big-endian bytes (the vectors go past 2^256).
    static func bigEndian(decimal: String) throws -> [UInt8] {
        var digits = try decimal.map { c -> Int in
            guard let d = c.wholeNumberValue else { throw FixtureError.malformed(decimal) }
            return d
        }
        var out: [UInt8] = []
        while !digits.isEmpty {
            var remainder = 0
            var next: [Int] = []
            for d in digits {
                let cur = remainder * 10 + d
                let q = cur / 256
                remainder = cur % 256
                if !(next.isEmpty && q == 0) { next.append(q) }
            }
            out.append(UInt8(remainder))
            digits = next
        }
        return out.reversed()
    }
}
