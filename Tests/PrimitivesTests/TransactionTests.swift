import Testing
import TestSupport
@testable import Primitives

struct TransactionTests {
    static let key = DevelopmentKeys.privateKey(0)
    static let recipient = try! Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let accessList = [
        AccessListEntry(address: recipient, storageKeys: [.zero, Keccak.hash256([1])]),
        AccessListEntry(address: .zero),
    ]

    static let samples: [Transaction] = [
        .legacy(LegacyTransaction(chainID: nil, nonce: 0, gasPrice: 1_000_000_000, gasLimit: 21_000, to: recipient, value: 1)),
        .legacy(LegacyTransaction(chainID: 534_352, nonce: 7, gasPrice: 2, gasLimit: 60_000, to: nil, value: 0, data: [0x60, 0x00, 0x60, 0x00])),
        .legacy(LegacyTransaction(chainID: .max, nonce: 1, gasPrice: 1, gasLimit: 21_000, to: recipient, value: 0)),
        .accessList(AccessListTransaction(chainID: 1, nonce: 3, gasPrice: 5, gasLimit: 30_000, to: recipient, value: 9,
                                          data: [0, 1, 2], accessList: accessList)),
        .dynamicFee(DynamicFeeTransaction(chainID: 1, nonce: 4, maxPriorityFeePerGas: 1, maxFeePerGas: 100, gasLimit: 100_000,
                                          to: nil, value: .max, data: [UInt8](repeating: 0xfe, count: 100), accessList: accessList)),
    ]

    @Test func signsAndDecodesEveryTypeRoundTrip() throws {
        for tx in Self.samples {
            let signed = try tx.signed(with: Self.key)
            let decoded = try SignedTransaction(encoded: signed.encoded)
            #expect(decoded.transaction == tx)
            #expect(decoded.signature == signed.signature)
            #expect(decoded.encoded == signed.encoded)
            #expect(decoded.hash == Keccak.hash256(signed.encoded))
            #expect(try decoded.recoverSender() == Self.key.address)
            #expect(decoded.type == tx.type)
            if tx.type == .legacy { #expect(signed.encoded.first! >= 0xc0) } else { #expect(signed.encoded.first == tx.type.rawValue) }
            #expect(try SignedTransaction(hex: Hex.encode(signed.encoded)) == decoded)
        }
    }

    @Test func encodesLegacyVByEIP155() throws {
        let unprotected = try Self.samples[0].signed(with: Self.key)
        let protected = try Transaction.legacy(LegacyTransaction(chainID: 1, nonce: 0, gasPrice: 1, gasLimit: 21_000,
                                                                 to: Self.recipient, value: 0)).signed(with: Self.key)
        #expect(try Self.legacyV(unprotected.encoded) == U256(27 + UInt64(unprotected.signature!.v)))
        #expect(try Self.legacyV(protected.encoded) == U256(37 + UInt64(protected.signature!.v)))
        // chainID 2^64-1: v = 2 * (2^64 - 1) + 35 + parity = 2^65 + 33 + parity, past 64 bits.
        let huge = try Self.samples[2].signed(with: Self.key)
        #expect(try Self.legacyV(huge.encoded) == (U256.one << 65) + U256(33 + UInt64(huge.signature!.v)))
        #expect(try SignedTransaction(encoded: huge.encoded).transaction.chainID == .max)
    }

    static func legacyV(_ encoded: [UInt8]) throws -> U256 {
        var outer = RLPReader(encoded)
        var list = try outer.readList()
        for _ in 0..<6 { _ = try list.readEncoded() }
        return try list.readU256()
    }

    /// Replaces field `index` of a legacy transaction's list with `value`'s encoding.
    static func legacy(_ encoded: [UInt8], replacing index: Int, with value: RLPItem) throws -> [UInt8] {
        guard case .list(var items) = try RLP.decode(encoded) else { throw FixtureError.malformed("not a list") }
        items[index] = value
        return RLP.encode(.list(items))
    }

    @Test func rejectsLegacyVOutsideTheAllowedValues() throws {
        let signed = try Self.samples[0].signed(with: Self.key)
        for v: UInt64 in [0, 1, 26, 29, 30, 33, 34] {
            let bytes = try Self.legacy(signed.encoded, replacing: 6, with: .bytes(U256(v).minimalBytes))
            #expect(throws: TransactionError.invalidSignatureValues) { try SignedTransaction(encoded: bytes) }
        }
        for v: UInt64 in [27, 28, 35, 36, 1000] {
            let bytes = try Self.legacy(signed.encoded, replacing: 6, with: .bytes(U256(v).minimalBytes))
            #expect((try? SignedTransaction(encoded: bytes)) != nil, "v = \(v)")
        }
        // A chain ID that does not fit 64 bits.
        let wide = try Self.legacy(signed.encoded, replacing: 6, with: .bytes((U256.one << 70).minimalBytes))
        #expect(throws: TransactionError.invalidField(.chainID, .integerTooLarge(bits: 64))) { try SignedTransaction(encoded: wide) }
    }

    @Test func rejectsROrSOutOfRange() throws {
        let signed = try Self.samples[0].signed(with: Self.key)
        let n = Secp256k1.curveOrder
        for (index, bad) in [(7, U256.zero), (7, n), (8, U256.zero), (8, n), (8, U256.max)] {
            let bytes = try Self.legacy(signed.encoded, replacing: index, with: .bytes(bad.minimalBytes))
            #expect(throws: TransactionError.invalidSignatureValues) { try SignedTransaction(encoded: bytes) }
        }
        let tooWide = try Self.legacy(signed.encoded, replacing: 7, with: .bytes([1] + [UInt8](repeating: 0, count: 32)))
        #expect(throws: TransactionError.invalidField(.r, .integerTooLarge(bits: 256))) { try SignedTransaction(encoded: tooWide) }
    }

    @Test func rejectsTypedYParityOtherThanZeroOrOne() throws {
        let signed = try Self.samples[4].signed(with: Self.key)
        guard case .list(var items) = try RLP.decode(Array(signed.encoded.dropFirst())) else { Issue.record(); return }
        items[9] = .bytes([2])
        #expect(throws: TransactionError.invalidSignatureValues) {
            try SignedTransaction(encoded: [0x02] + RLP.encode(.list(items)))
        }
        items[9] = .bytes([27])
        #expect(throws: TransactionError.invalidSignatureValues) {
            try SignedTransaction(encoded: [0x02] + RLP.encode(.list(items)))
        }
    }

    @Test func rejectsMalformedEnvelopes() throws {
        let legacy = try Self.samples[0].signed(with: Self.key).encoded
        let typed = try Self.samples[3].signed(with: Self.key).encoded
        #expect(throws: TransactionError.emptyInput) { try SignedTransaction(encoded: []) }
        for type: UInt8 in [0x00, 0x03, 0x05, 0x7d, 0x7f] {
            #expect(throws: TransactionError.unsupportedType(type)) { try SignedTransaction(encoded: [type] + typed.dropFirst()) }
        }
        #expect(throws: TransactionError.invalidRLP(.trailingBytes(1))) { try SignedTransaction(encoded: legacy + [0]) }
        #expect(throws: TransactionError.invalidRLP(.trailingBytes(1))) { try SignedTransaction(encoded: typed + [0]) }
        #expect(throws: TransactionError.invalidRLP(.unexpectedEnd)) { try SignedTransaction(encoded: Array(legacy.dropLast())) }
        #expect(throws: TransactionError.invalidRLP(.expectedList)) { try SignedTransaction(encoded: [0x01, 0x80]) }
        #expect(throws: TransactionError.invalidRLP(.expectedList)) { try SignedTransaction(encoded: [0x83, 1, 2, 3]) }
        #expect(throws: TransactionError.invalidRLP(.unexpectedEnd)) { try SignedTransaction(encoded: [0x02]) }
        // Legacy transactions wrapped as an RLP string (the block-body form) are not raw envelopes.
        #expect(throws: TransactionError.self) { try SignedTransaction(encoded: RLP.encode(.bytes(typed))) }
        #expect(throws: TransactionError.invalidHex(.missingPrefix)) { try SignedTransaction(hex: "f86b") }
    }

    @Test func rejectsWrongFieldCounts() throws {
        let legacy = try Self.samples[0].signed(with: Self.key).encoded
        guard case .list(let items) = try RLP.decode(legacy) else { Issue.record(); return }
        #expect(throws: TransactionError.wrongFieldCount(type: .legacy, expected: 9, actual: 8)) {
            try SignedTransaction(encoded: RLP.encode(.list(Array(items.dropLast()))))
        }
        #expect(throws: TransactionError.wrongFieldCount(type: .legacy, expected: 9, actual: 10)) {
            try SignedTransaction(encoded: RLP.encode(.list(items + [.bytes([])])))
        }
        let typed = try Self.samples[4].signed(with: Self.key).encoded
        guard case .list(let fields) = try RLP.decode(Array(typed.dropFirst())) else { Issue.record(); return }
        #expect(throws: TransactionError.wrongFieldCount(type: .dynamicFee, expected: 12, actual: 11)) {
            try SignedTransaction(encoded: [0x02] + RLP.encode(.list(Array(fields.dropLast()))))
        }
        // A 2930 payload under the 1559 type byte.
        let accessList = try Self.samples[3].signed(with: Self.key).encoded
        #expect(throws: TransactionError.wrongFieldCount(type: .dynamicFee, expected: 12, actual: 11)) {
            try SignedTransaction(encoded: [0x02] + accessList.dropFirst())
        }
    }

    @Test func rejectsOverwideNonceAndGasLimit() throws {
        let legacy = try Self.samples[0].signed(with: Self.key).encoded
        let wide = RLPItem.bytes([1] + [UInt8](repeating: 0, count: 8))
        #expect(throws: TransactionError.invalidField(.nonce, .integerTooLarge(bits: 64))) {
            try SignedTransaction(encoded: Self.legacy(legacy, replacing: 0, with: wide))
        }
        #expect(throws: TransactionError.invalidField(.gasLimit, .integerTooLarge(bits: 64))) {
            try SignedTransaction(encoded: Self.legacy(legacy, replacing: 2, with: wide))
        }
        #expect(throws: TransactionError.invalidField(.nonce, .leadingZeroInInteger)) {
            try SignedTransaction(encoded: Self.legacy(legacy, replacing: 0, with: .bytes([0, 1])))
        }
    }

    @Test func rejectsMalformedAccessLists() throws {
        let tx = AccessListTransaction(chainID: 1, nonce: 0, gasPrice: 1, gasLimit: 50_000, to: Self.recipient, value: 0)
        let signature = try Self.key.sign(digest: tx.signingHash)
        func encode(_ accessList: RLPItem) -> [UInt8] {
            [0x01] + RLP.encode(.list([.bytes([1]), .bytes([]), .bytes([1]), .bytes(U256(50_000).minimalBytes),
                                       .bytes(Self.recipient.bytes), .bytes([]), .bytes([]), accessList,
                                       .bytes(signature.v == 0 ? [] : [1]), .bytes(signature.r.minimalBytes),
                                       .bytes(signature.s.minimalBytes)]))
        }
        #expect((try? SignedTransaction(encoded: encode(.list([])))) != nil)
        let address = RLPItem.bytes(Self.recipient.bytes)
        let bad: [RLPItem] = [
            .list([.list([address])]),                                     // entry without keys
            .list([.list([address, .list([]), .list([])])]),               // entry with three items
            .list([.list([.bytes(Array(Self.recipient.bytes.dropLast())), .list([])])]),
            .list([.list([address, .list([.bytes([1, 2])])])]),             // short storage key
            .list([.list([address, .bytes([])])]),                          // keys as a string
            .bytes([]),                                                     // list as a string
        ]
        for item in bad {
            #expect(throws: TransactionError.self) { try SignedTransaction(encoded: encode(item)) }
        }
    }

    @Test func computesIntrinsicGasUnderCancunRules() {
        let transfer = Transaction.legacy(LegacyTransaction(chainID: 1, nonce: 0, gasPrice: 1, gasLimit: 0, to: Self.recipient, value: 0))
        #expect(transfer.intrinsicGas == 21_000)
        let call = Transaction.legacy(LegacyTransaction(chainID: 1, nonce: 0, gasPrice: 1, gasLimit: 0, to: Self.recipient, value: 0,
                                                        data: [0, 0, 1, 0xff]))
        #expect(call.intrinsicGas == 21_000 + 2 * 4 + 2 * 16)
        // 33 bytes of initcode: two words.
        let create = Transaction.dynamicFee(DynamicFeeTransaction(chainID: 1, nonce: 0, maxPriorityFeePerGas: 0, maxFeePerGas: 0,
                                                                  gasLimit: 0, to: nil, value: 0, data: [UInt8](repeating: 1, count: 33)))
        #expect(create.intrinsicGas == 53_000 + 33 * 16 + 2 * 2)
        let withList = Transaction.accessList(AccessListTransaction(chainID: 1, nonce: 0, gasPrice: 1, gasLimit: 0, to: Self.recipient,
                                                                    value: 0, accessList: Self.accessList))
        #expect(withList.intrinsicGas == 21_000 + 2 * 2_400 + 2 * 1_900)
    }

    static func dynamic(tip: U256 = 1, feeCap: U256 = 10, gasLimit: UInt64 = 21_000, to: Address? = recipient,
                        data: [UInt8] = [], chainID: UInt64 = 1, nonce: UInt64 = 0) -> Transaction {
        .dynamicFee(DynamicFeeTransaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: feeCap,
                                          gasLimit: gasLimit, to: to, value: 0, data: data))
    }

    @Test func validatesStatelessRules() throws {
        #expect(try Self.dynamic().signed(with: Self.key).validate(chainID: 1) == Self.key.address)
        #expect(throws: TransactionError.invalidChainID(expected: 2, actual: 1)) {
            try Self.dynamic().signed(with: Self.key).validate(chainID: 2)
        }
        #expect(throws: TransactionError.tipAboveFeeCap(maxPriorityFeePerGas: 11, maxFeePerGas: 10)) {
            try Self.dynamic(tip: 11).signed(with: Self.key).validate(chainID: 1)
        }
        #expect(throws: TransactionError.intrinsicGasTooLow(gasLimit: 20_999, required: 21_000)) {
            try Self.dynamic(gasLimit: 20_999).signed(with: Self.key).validate(chainID: 1)
        }
        #expect(throws: TransactionError.nonceMax) {
            try Self.dynamic(nonce: .max).signed(with: Self.key).validate(chainID: 1)
        }
        #expect(throws: TransactionError.gasFeeOverflow) {
            try Self.dynamic(tip: 0, feeCap: .max).signed(with: Self.key).validate(chainID: 1)
        }
        let limit = Transaction.maxInitCodeSize
        _ = try Self.dynamic(gasLimit: 10_000_000, to: nil, data: [UInt8](repeating: 0, count: limit))
            .signed(with: Self.key).validate(chainID: 1)
        #expect(throws: TransactionError.initCodeTooLarge(size: limit + 1, limit: limit)) {
            try Self.dynamic(gasLimit: 10_000_000, to: nil, data: [UInt8](repeating: 0, count: limit + 1))
                .signed(with: Self.key).validate(chainID: 1)
        }
        // Calls may carry more data than initcode may.
        _ = try Self.dynamic(gasLimit: 10_000_000, data: [UInt8](repeating: 0, count: limit + 1)).signed(with: Self.key).validate(chainID: 1)
        // Unprotected legacy transactions are valid on any chain.
        _ = try Self.samples[0].signed(with: Self.key).validate(chainID: 534_352)
    }

    @Test func rejectsHighSSenders() throws {
        let signed = try Self.dynamic().signed(with: Self.key)
        let low = try #require(signed.signature)
        let high = try Signature(r: low.r, s: Secp256k1.curveOrder - low.s, v: low.v ^ 1)
        let twin = try SignedTransaction(signed.transaction, signature: high)
        // Decodes (it is well-formed) but fails EIP-2.
        let decoded = try SignedTransaction(encoded: twin.encoded)
        #expect(decoded.hash != signed.hash)
        #expect(throws: TransactionError.invalidSender) { try decoded.recoverSender() }
        #expect(throws: TransactionError.invalidSender) { try decoded.validate(chainID: 1) }
    }

    @Test func refusesToSignL1Messages() throws {
        let message = L1MessageTransaction(queueIndex: 0, gasLimit: 21_000, to: Self.recipient, value: 0, sender: Self.recipient)
        #expect(throws: TransactionError.signatureNotAllowed) { try Transaction.l1Message(message).signed(with: Self.key) }
        let signature = try Self.key.sign(digest: .zero)
        #expect(throws: TransactionError.signatureNotAllowed) { try SignedTransaction(.l1Message(message), signature: signature) }
        #expect(Transaction.l1Message(message).signingHash == nil)
    }

    @Test func exposesCommonFields() throws {
        let tx = Self.dynamic(tip: 2, feeCap: 50, data: [1, 2])
        #expect(tx.chainID == 1 && tx.nonce == 0 && tx.gasLimit == 21_000 && tx.to == Self.recipient)
        #expect(tx.maxFeePerGas == 50 && tx.maxPriorityFeePerGas == 2 && tx.data == [1, 2] && !tx.isContractCreation)
        #expect(tx.effectiveGasPrice(baseFee: 10) == 12)
        #expect(tx.effectiveGasPrice(baseFee: 49) == 50)
        let legacy = Self.samples[0]
        #expect(legacy.chainID == nil && legacy.maxFeePerGas == 1_000_000_000 && legacy.maxPriorityFeePerGas == 1_000_000_000)
        #expect(legacy.effectiveGasPrice(baseFee: 7) == 1_000_000_000)
    }

    @Test func describesErrorsInGethWording() {
        #expect(TransactionError.intrinsicGasTooLow(gasLimit: 1, required: 2).description.hasPrefix("intrinsic gas too low"))
        #expect(TransactionError.tipAboveFeeCap(maxPriorityFeePerGas: 2, maxFeePerGas: 1).description
            .hasPrefix("max priority fee per gas higher than max fee per gas"))
        #expect(TransactionError.invalidSender.description == "invalid sender")
        #expect(TransactionError.invalidChainID(expected: 1, actual: 2).description.hasPrefix("invalid chain id"))
        #expect(TransactionError.unsupportedType(3).description.hasPrefix("transaction type not supported"))
        #expect(TransactionError.unsupportedType(3).description.contains("blob transactions (type 0x03) are not accepted"))
        #expect(TransactionError.unsupportedType(5).description == "transaction type not supported: 0x05")
        #expect(TransactionError.nonceMax.description == "nonce has max value")
        #expect(TransactionError.initCodeTooLarge(size: 2, limit: 1).description.hasPrefix("max initcode size exceeded"))
    }
}
