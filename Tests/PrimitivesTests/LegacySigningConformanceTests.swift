import Foundation
import Testing
import TestSupport
@testable import Primitives

/// ethereum/tests BasicTests/txtest.json: unprotected (pre-EIP-155) legacy transactions with
/// their unsigned and signed encodings, signed by a known key.
struct LegacySigningConformanceTests {
    @Test func passesEveryTxtestCase() throws {
        let url = FixtureLocation.url("ethereum-tests/BasicTests/txtest.json")
        let cases = try #require(Fixtures.json(at: url) as? [[String: Any]])
        for (i, c) in cases.enumerated() {
            let keyHex = try #require(c["key"] as? String)
            let toHex = try #require(c["to"] as? String), dataHex = try #require(c["data"] as? String)
            let unsigned = try Fixtures.bytes(try #require(c["unsigned"] as? String))
            let signed = try Fixtures.bytes(try #require(c["signed"] as? String))
            let key = try PrivateKey(hex: keyHex)
            let tx = LegacyTransaction(
                chainID: nil,
                nonce: try #require((c["nonce"] as? NSNumber)?.uint64Value),
                gasPrice: U256(try #require((c["gasprice"] as? NSNumber)?.uint64Value)),
                gasLimit: try #require((c["startgas"] as? NSNumber)?.uint64Value),
                to: toHex.isEmpty ? nil : try Address(hex: "0x" + toHex),
                value: U256(try #require((c["value"] as? NSNumber)?.uint64Value)),
                data: try Fixtures.bytes(dataHex))

            // `unsigned` is the nine-field list with empty v, r, s; the signing hash covers the
            // first six fields.
            guard case .list(let items) = try RLP.decode(unsigned) else { Issue.record("case \(i): not a list"); continue }
            #expect(items.count == 9 && items[6...].allSatisfy { $0 == .bytes([]) }, "case \(i)")
            #expect(tx.signingHash == Keccak.hash256(RLP.encode(.list(Array(items[..<6])))), "case \(i) signing hash")

            // `signed` decodes to the same fields, and its signature recovers the key's address.
            let decoded = try SignedTransaction(encoded: signed)
            #expect(decoded.transaction == .legacy(tx), "case \(i) fields")
            let recorded = try #require(decoded.signature)
            #expect(try Secp256k1.recoverAddress(digest: tx.signingHash, signature: recorded) == key.address, "case \(i)")

            // The vectors were signed with an RFC 6979 nonce but without low-s normalisation:
            // ours has the same r and the low-s form of their s. A high-s original is
            // rejected as a sender under EIP-2.
            let ours = try Transaction.legacy(tx).signed(with: key)
            #expect(ours.signature == recorded.normalized(), "case \(i) signature")
            if recorded.isLowS {
                #expect(ours.encoded == signed, "case \(i) signed bytes")
                #expect(try decoded.recoverSender() == key.address)
            } else {
                #expect(throws: TransactionError.invalidSender) { try decoded.recoverSender() }
                #expect(try ours.recoverSender() == key.address)
            }
        }
        #expect(cases.count == 2)
        Fixtures.report(suite: "BasicTests/txtest", executed: cases.count)
    }
}
