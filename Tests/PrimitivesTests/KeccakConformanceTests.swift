import Testing
import TestSupport
@testable import Primitives

struct KeccakConformanceTests {
    @Test func matchesEveryVector() throws {
        let root = try #require(Fixtures.json(at: FixtureLocation.url("keccak256_vectors.json")) as? [String: Any])
        let vectors = try #require(root["vectors"] as? [[String: Any]])
        var executed = 0
        for v in vectors {
            let input = try Fixtures.bytes(try #require(v["in"] as? String))
            let expected = try #require(v["out"] as? String)
            #expect(Keccak.hash256(input).hex == "0x" + expected, "keccak of \(input.count) bytes")
            executed += 1
        }
        #expect(executed == 310)
        Fixtures.report(suite: "keccak256_vectors", executed: executed)
    }

    @Test func hashesSlicesWithoutCopyingTheirOffset() {
        let bytes: [UInt8] = Array("xxabcxx".utf8)
        #expect(Keccak.hash256(bytes[2..<5]).hex == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }

    @Test func knowsTheEmptyCodeHash() {
        #expect(Hash32.emptyKeccak.hex == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
}
