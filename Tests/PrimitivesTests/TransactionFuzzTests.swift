import Foundation
import Testing
import TestSupport
@testable import Primitives

/// Feeds random and mutated bytes to the transaction decoder, sender recovery and validation.
/// Every input must produce a value or a `TransactionError` (typed throws make anything else a
/// compile error; a trap would crash the test process). Every accepted input must also
/// re-encode to exactly its own bytes: the decoder accepts canonical encodings only.
///
/// Replay a run with `RN_TEST_SEED=<seed> swift test --filter TransactionFuzzTests`.
struct TransactionFuzzTests {
    static let iterations = 120_000
    static let defaultSeed: UInt64 = 0x7E7E_2718_1559_2930

    /// Valid and invalid transactions from every fixture, plus freshly signed ones.
    static func corpus() throws -> [[UInt8]] {
        var corpus: [[UInt8]] = []
        for c in try TransactionConformanceTests.loadCases() { corpus.append(try Fixtures.bytes(c.txbytes)) }
        let (valid, invalid) = try L1MessageTransactionTests.load()
        for v in valid + invalid { corpus.append(try Fixtures.bytes(v["encoded"]!)) }
        for tx in TransactionTests.samples { corpus.append(try tx.signed(with: TransactionTests.key).encoded) }
        return corpus
    }

    @Test func survivesRandomAndMutatedInputs() async throws {
        let seed = SplitMix64.seedFromEnvironment(default: Self.defaultSeed)
        print("fuzz: TransactionFuzzTests seed \(seed) (replay with RN_TEST_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let corpus = try Self.corpus()
        var accepted = 0, validated = 0, rejected = 0
        var errorKinds: [String: Int] = [:]
        let start = ContinuousClock.now
        for i in 0..<Self.iterations {
            // Share the cooperative threads with the async tests that run alongside.
            if i % 1_000 == 0 { await Task.yield() }
            let input = Self.input(number: i, corpus: corpus, rng: &rng)
            do {
                let tx = try SignedTransaction(encoded: input)
                accepted += 1
                let rebuilt = tx.signature.map { try? SignedTransaction(tx.transaction, signature: $0) }
                    ?? { if case .l1Message(let m) = tx.transaction { SignedTransaction(l1Message: m) } else { nil } }()
                if rebuilt?.encoded != input {
                    Issue.record("seed \(seed) input \(i): accepted non-canonical bytes \(Hex.encode(input))")
                }
                _ = tx.transaction.intrinsicGas
                _ = try? tx.recoverSender()
                do { _ = try tx.validate(chainID: 1); validated += 1 } catch { errorKinds[Self.kind(error), default: 0] += 1 }
            } catch {
                rejected += 1
                errorKinds[Self.kind(error), default: 0] += 1
            }
        }
        let elapsed = ContinuousClock.now - start
        print("fuzz: \(Self.iterations) inputs in \(elapsed): \(accepted) decoded (\(validated) valid on chain 1), \(rejected) rejected")
        print("fuzz: errors by kind: \(errorKinds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        #expect(accepted + rejected == Self.iterations)
        // The mutations must reach past the envelope, or the test proves little.
        #expect(accepted > Self.iterations / 50)
        #expect(validated > 0)
    }

    static func kind(_ error: TransactionError) -> String {
        switch error {
        case .emptyInput: "emptyInput"
        case .invalidHex: "invalidHex"
        case .unsupportedType: "unsupportedType"
        case .invalidRLP: "invalidRLP"
        case .wrongFieldCount: "wrongFieldCount"
        case .invalidField(let field, _): "invalidField.\(field)"
        case .invalidSignatureValues: "invalidSignatureValues"
        case .l1MessageContractCreation: "l1MessageContractCreation"
        case .signatureNotAllowed: "signatureNotAllowed"
        case .signingFailed: "signingFailed"
        case .invalidChainID: "invalidChainID"
        case .invalidSender: "invalidSender"
        case .intrinsicGasTooLow: "intrinsicGasTooLow"
        case .initCodeTooLarge: "initCodeTooLarge"
        case .nonceMax: "nonceMax"
        case .gasFeeOverflow: "gasFeeOverflow"
        case .tipAboveFeeCap: "tipAboveFeeCap"
        }
    }

    static func input(number: Int, corpus: [[UInt8]], rng: inout SplitMix64) -> [UInt8] {
        // One in sixteen inputs is pure noise; the rest mutate a corpus entry one to three times.
        if number % 16 == 0 {
            let length = Int.random(in: 0...300, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty, Bool.random(using: &rng) {
                bytes[0] = [0x01, 0x02, 0x7E, 0x03, 0xf8, 0xf9, 0xc0][Int.random(in: 0..<7, using: &rng)]
            }
            return bytes
        }
        var bytes = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
        for _ in 0..<Int.random(in: 1...3, using: &rng) { mutate(&bytes, corpus: corpus, rng: &rng) }
        return bytes
    }

    static func mutate(_ bytes: inout [UInt8], corpus: [[UInt8]], rng: inout SplitMix64) {
        func position() -> Int { Int.random(in: 0..<max(bytes.count, 1), using: &rng) }
        switch Int.random(in: 0..<13, using: &rng) {
        case 0 where !bytes.isEmpty: // flip bits in one byte
            bytes[position()] ^= UInt8.random(in: 1...255, using: &rng)
        case 1 where !bytes.isEmpty: // set a byte to an interesting value
            bytes[position()] = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xbf, 0xc0, 0xf7, 0xf8, 0xff][Int.random(in: 0..<12, using: &rng)]
        case 2: // truncate
            bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
        case 3: // extend
            bytes += (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 4: // insert a byte
            bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
        case 5 where !bytes.isEmpty: // delete a range
            let from = position()
            bytes.removeSubrange(from..<min(bytes.count, from + Int.random(in: 1...4, using: &rng)))
        case 6: // nudge an RLP header (a length or a length-of-length)
            let headers = bytes.indices.filter { bytes[$0] >= 0x80 }
            if let at = headers.randomElement(using: &rng) {
                bytes[at] = bytes[at] &+ UInt8(bitPattern: Int8.random(in: -3...3, using: &rng))
            }
        case 7 where !bytes.isEmpty: // duplicate a slice
            let from = position()
            let slice = bytes[from..<min(bytes.count, from + Int.random(in: 1...40, using: &rng))]
            bytes.insert(contentsOf: slice, at: Int.random(in: 0...bytes.count, using: &rng))
        case 8: // splice with another corpus entry
            let other = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
            let cut = Int.random(in: 0...bytes.count, using: &rng)
            bytes = Array(bytes[..<cut]) + other[Int.random(in: 0...other.count, using: &rng)...]
        case 9: // change, add or strip the type byte
            let type: UInt8 = [0x01, 0x02, 0x7E, 0x03, 0x00][Int.random(in: 0..<5, using: &rng)]
            if let first = bytes.first, first < 0x80 {
                if Bool.random(using: &rng) { bytes[0] = type } else { bytes.removeFirst() }
            } else {
                bytes.insert(type, at: 0)
            }
        case 10, 11: // replace one field with a well-formed but arbitrary item, keeping the envelope valid
            let typed = bytes.first.map { $0 < 0x80 } ?? false
            guard case .list(var items)? = try? RLP.decode(Array(bytes.dropFirst(typed ? 1 : 0))), !items.isEmpty else { return }
            let field = Int.random(in: 0..<items.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: items[field] = .bytes((0..<Int.random(in: 0...34, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            case 1: items[field] = .bytes(([U256.zero, .one, U256(27), U256(28), U256(35), U256(37), .max, Secp256k1.curveOrder,
                                            Secp256k1.halfCurveOrder, U256(UInt64.max), U256(21_000)].randomElement(using: &rng)!).minimalBytes)
            case 2: items[field] = .list([])
            default: items.remove(at: field)
            }
            bytes = (typed ? [bytes[0]] : []) + RLP.encode(.list(items))
        default: // overwrite a 32-byte window (r, s, a storage key) with random bytes
            let from = position()
            for j in from..<min(bytes.count, from + 32) { bytes[j] = UInt8.random(in: 0...255, using: &rng) }
        }
    }
}
