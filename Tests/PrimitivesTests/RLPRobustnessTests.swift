import Testing
import TestSupport
@testable import Primitives

/// Random and mutated inputs to the strict RLP decoder: each gives an item or a typed error,
/// never a trap; and because the decoder only accepts canonical encodings, whatever it accepts
/// must re-encode to exactly the input.
struct RLPRobustnessTests {
    @Test func survivesRandomAndMutatedInputs() throws {
        let seed = SplitMix64.seedFromEnvironment(default: 0x5EED_0002)
        print("RLPRobustnessTests seed \(seed) (replay with RN_TEST_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let corpus: [[UInt8]] = [
            [0xc7, 0xc0, 0xc1, 0xc0, 0xc3, 0xc0, 0xc1, 0xc0],
            [0xcc, 0x83, 0x64, 0x6f, 0x67, 0x83, 0x67, 0x6f, 0x64, 0x83, 0x63, 0x61, 0x74],
            RLP.encode(.bytes([UInt8](repeating: 0x41, count: 60))),
            RLP.encode(.list((0..<20).map { .bytes([UInt8]($0..<($0 + 3))) })),
            RLP.encode(.list([.bytes([]), .list([.bytes([0x80]), .bytes([UInt8](repeating: 7, count: 300))])])),
        ]
        var accepted = 0, rejected = 0
        let total = 100_000
        for i in 0..<total {
            var input: [UInt8]
            if i % 2 == 0 {
                input = rng.bytes(Int.random(in: 0...48, using: &rng))
            } else {
                input = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...3, using: &rng) { Self.mutate(&input, using: &rng) }
            }
            do {
                let item = try RLP.decode(input)
                #expect(RLP.encode(item) == input, "accepted a non-canonical encoding: \(Hex.encode(input))")
                accepted += 1
            } catch {
                rejected += 1
            }
        }
        print("RLPRobustnessTests: \(total) inputs, \(accepted) accepted, \(rejected) rejected with typed errors")
        #expect(accepted + rejected == total)
        #expect(accepted > 1000 && rejected > 1000, "the generator should exercise both paths")
    }

    static func mutate(_ b: inout [UInt8], using rng: inout SplitMix64) {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
        case 1 where !b.isEmpty: b.removeLast(Int.random(in: 1...b.count, using: &rng))
        case 2: b.append(contentsOf: rng.bytes(Int.random(in: 1...4, using: &rng)))
        case 3 where !b.isEmpty: b[0] = [0xb8, 0xb9, 0xbf, 0xf8, 0xf9, 0xff, 0x81][Int.random(in: 0..<7, using: &rng)]
        default: b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
        }
    }

    @Test(arguments: [
        ([0x81, 0x05] as [UInt8], RLPError.nonCanonicalSingleByte),
        ([0xb8, 0x05, 1, 2, 3, 4, 5], RLPError.nonCanonicalLength),
        ([0xb9, 0x00, 0x40] + [UInt8](repeating: 0, count: 64), RLPError.nonCanonicalLength),
        ([0x83, 1, 2], RLPError.unexpectedEnd),
        ([0x80, 0x80], RLPError.trailingBytes(1)),
        ([0xbf, 1, 1, 1, 1, 1, 1, 1, 1], RLPError.unexpectedEnd),
        ([0xc2, 0x83, 0x01], RLPError.unexpectedEnd),
    ])
    func rejectsNonCanonicalForms(_ input: [UInt8], _ expected: RLPError) {
        #expect(throws: expected) { try RLP.decode(input) }
    }

    @Test func readsIntegersStrictly() throws {
        var r = RLPReader([0x82, 0x00, 0x01])
        #expect(throws: RLPError.leadingZeroInInteger) { try r.readUInt64() }
        var big = RLPReader([0x89] + [UInt8](repeating: 1, count: 9))
        #expect(throws: RLPError.integerTooLarge(bits: 64)) { try big.readUInt64() }
        var w = RLPWriter()
        w.write(UInt64(1024))
        w.write(U256.max)
        var ok = RLPReader(w.bytes)
        #expect(try ok.readUInt64() == 1024)
        #expect(try ok.readU256() == .max)
        try ok.finish()
    }
}
