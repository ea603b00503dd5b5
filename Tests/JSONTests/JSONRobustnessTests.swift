import Testing
import TestSupport
@testable import JSON

@Suite struct JSONRobustnessTests {
    static let seeds: [String] = [
        #"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x5300000000000000000000000000000000000005","data":"0x70a08231"},"latest"]}"#,
        #"[{"a":[1,2.5e-3,-0,true,false,null,"\u00e9\n"]},{"b":{"c":{"d":[]}}}]"#,
    ]

    @Test func survivesRandomMutations() throws {
        let seed = SplitMix64.seedFromEnvironment(default: 0x5EED_150)
        print("JSONRobustnessTests seed: \(seed) (RN_TEST_SEED=\(seed) replays it)")
        var rng = SplitMix64(seed: seed)
        var accepted = 0
        for round in 0..<20_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0...(rng.next() % 4) {
                let position = Int(rng.next() % UInt64(bytes.count + 1))
                switch rng.next() % 3 {
                case 0 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                default: if position < bytes.count { bytes.remove(at: position) }
                }
            }
            do {
                let value = try JSONValue(parsing: bytes)
                accepted += 1
                // Whatever is accepted must survive a round trip unchanged.
                #expect(try JSONValue(parsing: value.serialized()) == value)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        print("JSONRobustnessTests: 20000 mutated documents, \(accepted) accepted, the rest rejected with offsets")
    }
}
