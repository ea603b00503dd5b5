import Testing
import TestSupport
@testable import Primitives

/// Our own 0x7E vectors (Fixtures/own/l1_message_vectors.json), encoded and hashed by an
/// independent Python script; see its `_info`.
struct L1MessageTransactionTests {
    static func load() throws -> (valid: [[String: String]], invalid: [[String: String]]) {
        let root = try #require(Fixtures.json(at: FixtureLocation.url("own/l1_message_vectors.json")) as? [String: Any])
        return (try #require(root["valid"] as? [[String: String]]), try #require(root["invalid"] as? [[String: String]]))
    }

    static func message(_ v: [String: String]) throws -> L1MessageTransaction {
        func field(_ name: String) throws -> String { try #require(v[name], "missing \(name)") }
        return L1MessageTransaction(
            queueIndex: try #require(UInt64(try field("queueIndex"))),
            gasLimit: try #require(UInt64(try field("gasLimit"))),
            to: try Address(hex: try field("to")),
            value: try #require(U256(decimal: try field("value"))),
            data: try Fixtures.bytes(try field("data")),
            sender: try Address(hex: try field("sender")))
    }

    @Test func matchesIndependentVectors() throws {
        let (valid, _) = try Self.load()
        for v in valid {
            let name = v["name"] ?? "?"
            let message = try Self.message(v)
            let encoded = try Fixtures.bytes(try #require(v["encoded"]))
            let expectedHash = try Hash32(hex: try #require(v["hash"]))

            let built = SignedTransaction(l1Message: message)
            #expect(built.encoded == encoded, "\(name): encoding")
            #expect(built.hash == expectedHash, "\(name): hash")

            let decoded = try SignedTransaction(encoded: encoded)
            #expect(decoded.transaction == .l1Message(message), "\(name): fields")
            #expect(decoded.hash == expectedHash)
            #expect(decoded.signature == nil && decoded.type == .l1Message)
            #expect(try decoded.recoverSender() == message.sender)
        }
        #expect(valid.count == 6)
        Fixtures.report(suite: "own/l1_message_vectors (valid)", executed: valid.count)
    }

    @Test func rejectsEveryInvalidVector() throws {
        let (_, invalid) = try Self.load()
        for v in invalid {
            let bytes = try Fixtures.bytes(try #require(v["encoded"]))
            #expect(throws: TransactionError.self, "\(v["name"] ?? "?")") { try SignedTransaction(encoded: bytes) }
        }
        #expect(invalid.count == 15)
        Fixtures.report(suite: "own/l1_message_vectors (invalid)", executed: invalid.count)
    }

    @Test func rejectsSignatureFieldsAndTrailingBytesPrecisely() throws {
        let (_, invalid) = try Self.load()
        func bytes(_ name: String) throws -> [UInt8] {
            try Fixtures.bytes(try #require(invalid.first { $0["name"] == name }?["encoded"], "\(name)"))
        }
        #expect(throws: TransactionError.wrongFieldCount(type: .l1Message, expected: 6, actual: 9)) {
            try SignedTransaction(encoded: bytes("signature fields appended (y parity, r, s)"))
        }
        #expect(throws: TransactionError.invalidRLP(.trailingBytes(1))) {
            try SignedTransaction(encoded: bytes("trailing byte after the list"))
        }
        #expect(throws: TransactionError.l1MessageContractCreation) {
            try SignedTransaction(encoded: bytes("empty to (contract creation)"))
        }
        #expect(throws: TransactionError.invalidField(.sender, .wrongLength(expected: 20, actual: 0))) {
            try SignedTransaction(encoded: bytes("empty sender"))
        }
    }

    @Test func carriesNoSignatureNonceOrFee() throws {
        let (valid, _) = try Self.load()
        let tx = Transaction.l1Message(try Self.message(valid[1]))
        #expect(tx.signingHash == nil && tx.chainID == nil && tx.nonce == nil)
        #expect(tx.maxFeePerGas == .zero && tx.maxPriorityFeePerGas == .zero && tx.effectiveGasPrice(baseFee: 100) == .zero)
        #expect(!tx.isContractCreation && tx.accessList.isEmpty)
    }

    @Test func validatesOnlyGas() throws {
        let (valid, _) = try Self.load()
        let deposit = SignedTransaction(l1Message: try Self.message(valid[0]))
        // Any chain: the message's chain is L1's business.
        #expect(try deposit.validate(chainID: 534_352) == deposit.validate(chainID: 1))
        let tooLittleGas = SignedTransaction(l1Message: try Self.message(valid[2]))
        #expect(throws: TransactionError.intrinsicGasTooLow(gasLimit: 1, required: 21_004)) {
            try tooLittleGas.validate(chainID: 1)
        }
    }
}
