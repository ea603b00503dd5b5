import Foundation
import Testing
import TestSupport
@testable import Primitives

/// ethereum/tests TransactionTests: every case of every file, against the `Cancun` result.
///
/// A result with `hash`, `sender` and `intrinsicGas` must decode, validate on chain 1 and give
/// exactly those values, and re-encoding the decoded model must give the same bytes. A result
/// with `exception` must be rejected by decoding or validation.
struct TransactionConformanceTests {
    static let chainID: UInt64 = 1
    static let directory = "ethereum-tests/TransactionTests"

    /// Forks from oldest to newest. 61 cases (ttWrongRLP and two ttSignature files) stop at
    /// Shanghai or London because they were last filled before Cancun existed; every one of them
    /// expects an exception in every fork, so the newest result present stands in for Cancun.
    static let forks = ["Frontier", "Homestead", "EIP150", "EIP158", "Byzantium", "Constantinople",
                        "ConstantinopleFix", "Istanbul", "Berlin", "London", "Paris", "Shanghai", "Cancun"]

    /// Cases we do not pass, by "folder/file/name", with the reason. Keep empty.
    static let excluded: [String: String] = [:]

    struct Case {
        var id: String
        var txbytes: String
        var fork: String
        var result: [String: String]
    }

    static func loadCases() throws -> [Case] {
        var cases: [Case] = []
        let root = FixtureLocation.url(directory)
        for url in Fixtures.jsonFiles(under: root) {
            let file = url.path.replacingOccurrences(of: root.path + "/", with: "")
            guard let tests = try Fixtures.json(at: url) as? [String: [String: Any]] else {
                throw FixtureError.malformed(file)
            }
            for (name, body) in tests.sorted(by: { $0.key < $1.key }) {
                guard let txbytes = body["txbytes"] as? String, let results = body["result"] as? [String: Any],
                      let fork = forks.last(where: { results[$0] != nil }),
                      let result = results[fork] as? [String: String]
                else { throw FixtureError.malformed("\(file)/\(name)") }
                cases.append(Case(id: "\(file)/\(name)", txbytes: txbytes, fork: fork, result: result))
            }
        }
        return cases
    }

    @Test func passesEveryCase() throws {
        let cases = try Self.loadCases()
        var executed = 0, excluded = 0, valid = 0, invalid = 0
        for c in cases {
            if Self.excluded[c.id] != nil { excluded += 1; continue }
            executed += 1
            let bytes = try Fixtures.bytes(c.txbytes)
            if c.result["exception"] != nil {
                invalid += 1
                let accepted: SignedTransaction? = try? {
                    let tx = try SignedTransaction(encoded: bytes)
                    try tx.validate(chainID: Self.chainID)
                    return tx
                }()
                #expect(accepted == nil, "\(c.id) [\(c.fork)] must be rejected: \(c.result["exception"]!)")
                continue
            }
            valid += 1
            let expectedHash = try #require(c.result["hash"], "\(c.id)")
            let expectedSender = try #require(c.result["sender"], "\(c.id)")
            let expectedGas = try #require(c.result["intrinsicGas"].flatMap { UInt64($0.dropFirst(2), radix: 16) }, "\(c.id)")
            do {
                let tx = try SignedTransaction(encoded: bytes)
                let sender = try tx.validate(chainID: Self.chainID)
                #expect(tx.hash == (try Hash32(hex: expectedHash)), "\(c.id) hash")
                #expect(sender == (try Address(hex: expectedSender.lowercased())), "\(c.id) sender")
                #expect(tx.transaction.intrinsicGas == expectedGas, "\(c.id) intrinsic gas")
                #expect(tx.encoded == bytes, "\(c.id) keeps its bytes")
                let rebuilt = try SignedTransaction(tx.transaction, signature: try #require(tx.signature))
                #expect(rebuilt.encoded == bytes, "\(c.id) re-encodes byte for byte")
                #expect(rebuilt.hash == tx.hash)
            } catch {
                Issue.record("\(c.id) [\(c.fork)] must be accepted, got \(error)")
            }
        }
        #expect(executed + excluded == 210)
        print("TransactionTests: \(valid) expected valid, \(invalid) expected rejected")
        Fixtures.report(suite: "TransactionTests", executed: executed, excluded: excluded)
    }
}
