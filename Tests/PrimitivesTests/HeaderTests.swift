import Foundation
import Testing
import TestSupport
@testable import Primitives

struct HeaderTests {
    static let scrollHeader = Header(
        parentHash: Keccak.hash256([1]), beneficiary: try! Address(hex: "0x5300000000000000000000000000000000000005"),
        stateRoot: Keccak.hash256([2]), difficulty: 1, number: 42, gasLimit: 10_000_000,
        timestamp: 1_700_000_000, extraData: [], baseFeePerGas: U256(0x100_0000))

    @Test func roundTripsALondonHeader() throws {
        let header = Self.scrollHeader
        let encoded = header.encoded
        #expect(try Header(encoded: encoded) == header)
        #expect(header.hash == Keccak.hash256(encoded))
        #expect(Self.fieldCount(encoded) == 16)
        var legacy = header
        legacy.baseFeePerGas = nil
        #expect(Self.fieldCount(legacy.encoded) == 15)
        #expect(try Header(encoded: legacy.encoded) == legacy)
    }

    static func fieldCount(_ encoded: [UInt8]) -> Int? {
        guard case .list(let items)? = try? RLP.decode(encoded) else { return nil }
        return items.count
    }

    @Test func leavesExtraDataOutOfTheSignatureDigest() throws {
        var a = Self.scrollHeader, b = Self.scrollHeader
        b.extraData = [UInt8](repeating: 0xab, count: 32)
        #expect(a.hash != b.hash)
        #expect(a.signatureDigest == b.signatureDigest)
        a.number += 1
        #expect(a.signatureDigest != b.signatureDigest)
        #expect(a.signatureDigest != a.hash)
    }

    @Test func rejectsMalformedHeaders() throws {
        let good = Self.scrollHeader.encoded
        #expect(throws: RLPError.trailingBytes(1)) { try Header(encoded: good + [0x80]) }
        var fields = try RLP.decode(good)
        guard case .list(var items) = fields else { Issue.record("not a list"); return }
        func decode(_ items: [RLPItem]) throws { _ = try Header(encoded: RLP.encode(.list(items))) }
        #expect(throws: RLPError.wrongFieldCount(expected: 16, actual: 14)) { try decode(Array(items.prefix(14))) }
        #expect(throws: RLPError.wrongFieldCount(expected: 16, actual: 22)) {
            try decode(items + Array(repeating: .bytes([]), count: 6))
        }
        var shortNonce = items
        shortNonce[14] = .bytes([0, 0, 0, 0, 0, 0, 0])
        #expect(throws: RLPError.wrongLength(expected: 8, actual: 7)) { try decode(shortNonce) }
        var shortBloom = items
        shortBloom[6] = .bytes([UInt8](repeating: 0, count: 255))
        #expect(throws: RLPError.wrongLength(expected: 256, actual: 255)) { try decode(shortBloom) }
        var paddedNumber = items
        paddedNumber[8] = .bytes([0, 42])
        #expect(throws: RLPError.leadingZeroInInteger) { try decode(paddedNumber) }
        items[2] = .bytes([UInt8](repeating: 1, count: 19))
        fields = .list(items)
        #expect(throws: RLPError.wrongLength(expected: 20, actual: 19)) { try Header(encoded: RLP.encode(fields)) }
    }

    /// Our own vectors (Fixtures/own/signature_digest_vectors.json), computed by a Python script
    /// that shares no code with this module.
    @Test func matchesIndependentSignatureDigestVectors() throws {
        let root = try #require(Fixtures.json(at: FixtureLocation.url("own/signature_digest_vectors.json")) as? [String: Any])
        #expect((root["_info"] as? String)?.isEmpty == false)
        let vectors = try #require(root["vectors"] as? [[String: Any]])
        for v in vectors {
            let name = try #require(v["name"] as? String)
            let header = try HeaderJSON.header(from: try #require(v["header"] as? [String: Any]), ethereumTestsNames: false)
            let rlp = try Fixtures.bytes(try #require(v["rlp"] as? String))
            #expect(header.encoded == rlp, "\(name): rlp")
            #expect(try Header(encoded: rlp) == header, "\(name): decodes")
            #expect(header.hash.hex == v["hash"] as? String, "\(name): hash")
            #expect(header.signatureDigest.hex == v["signatureDigest"] as? String, "\(name): signature digest")
            #expect(header.signatureDigest != header.hash, "\(name): digest is not the block hash")
        }
        #expect(vectors.count == 6)
        Fixtures.report(suite: "own/signature_digest_vectors", executed: vectors.count)
    }
}
