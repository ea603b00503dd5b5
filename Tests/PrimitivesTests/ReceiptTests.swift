import Testing
import TestSupport
@testable import Primitives

struct ReceiptTests {
    static let logs = [
        Log(address: try! Address(hex: "0x5300000000000000000000000000000000000005"),
            topics: [Keccak.hash256(Array("Transfer(address,address,uint256)".utf8)), .zero], data: [1, 2, 3]),
        Log(address: .zero, topics: [], data: []),
    ]

    @Test func roundTripsEveryType() throws {
        for type: UInt8 in [0x00, 0x01, 0x02, 0x03, 0x04, 0x7E] {
            for status in [Receipt.Status.succeeded, .failed] {
                for logs in [[], Self.logs] {
                    let receipt = Receipt(type: type, status: status, cumulativeGasUsed: 21_000 * UInt64(type) + 1, logs: logs)
                    let encoded = receipt.encoded
                    #expect(try Receipt(encoded: encoded) == receipt)
                    if type == 0 {
                        #expect(encoded[0] >= 0xc0, "legacy receipts are a plain list")
                    } else {
                        #expect(encoded[0] == type)
                        var legacy = receipt
                        legacy.type = 0
                        #expect(Array(encoded.dropFirst()) == legacy.encoded, "type || the legacy list")
                    }
                }
            }
        }
    }

    @Test func encodesTheStatusAsEmptyOrOne() throws {
        let failed = Receipt(type: 0, status: .failed, cumulativeGasUsed: 0, logs: []).encoded
        let succeeded = Receipt(type: 0, status: .succeeded, cumulativeGasUsed: 0, logs: []).encoded
        // list header (f9 01 0c), status, gas 0 (80), bloom (b9 01 00 + 256 bytes), logs (c0)
        #expect(failed.count == 3 + 1 + 1 + 259 + 1)
        #expect(Array(failed[3...4]) == [0x80, 0x80])
        #expect(Array(succeeded[3...4]) == [0x01, 0x80])
        #expect(failed.last == 0xc0)
    }

    @Test func rejectsNonCanonicalReceipts() throws {
        let good = Receipt(type: 2, status: .succeeded, cumulativeGasUsed: 0x5208, logs: Self.logs).encoded
        #expect(throws: ReceiptError.empty) { try Receipt(encoded: []) }
        #expect(throws: ReceiptError.unknownType(0x05)) { try Receipt(encoded: [0x05] + good.dropFirst()) }
        #expect(throws: ReceiptError.unknownType(0x00)) { try Receipt(encoded: [0x00] + good.dropFirst()) }
        #expect(throws: ReceiptError.rlp(.trailingBytes(1))) { try Receipt(encoded: good + [0]) }

        func receipt(_ fields: [RLPItem], type: UInt8 = 2) -> [UInt8] { [type] + RLP.encode(.list(fields)) }
        let bloom = RLPItem.bytes([UInt8](repeating: 0, count: 256))
        #expect(try Receipt(encoded: receipt([.bytes([1]), .bytes([0x52, 0x08]), bloom, .list([])])).status == .succeeded)
        #expect(throws: ReceiptError.invalidStatus) {
            try Receipt(encoded: receipt([.bytes([0]), .bytes([0x52, 0x08]), bloom, .list([])]))
        }
        #expect(throws: ReceiptError.invalidStatus, "a pre-Byzantium state root") {
            try Receipt(encoded: receipt([.bytes(Hash32.emptyTrieRoot.bytes), .bytes([0x52, 0x08]), bloom, .list([])]))
        }
        #expect(throws: ReceiptError.rlp(.leadingZeroInInteger)) {
            try Receipt(encoded: receipt([.bytes([1]), .bytes([0, 0x52, 0x08]), bloom, .list([])]))
        }
        #expect(throws: ReceiptError.rlp(.wrongLength(expected: 256, actual: 255))) {
            try Receipt(encoded: receipt([.bytes([1]), .bytes([1]), .bytes([UInt8](repeating: 0, count: 255)), .list([])]))
        }
        #expect(throws: ReceiptError.rlp(.wrongFieldCount(expected: 4, actual: 5))) {
            try Receipt(encoded: receipt([.bytes([1]), .bytes([1]), bloom, .list([]), .bytes([])]))
        }
        #expect(throws: ReceiptError.rlp(.wrongLength(expected: 32, actual: 31))) {
            try Receipt(encoded: receipt([.bytes([1]), .bytes([1]), bloom,
                                          .list([.list([.bytes([UInt8](repeating: 1, count: 20)), .list([.bytes([UInt8](repeating: 2, count: 31))]), .bytes([])])])]))
        }
        #expect(throws: ReceiptError.rlp(.trailingBytes(1)), "a log with an extra field") {
            try Receipt(encoded: receipt([.bytes([1]), .bytes([1]), bloom,
                                          .list([.list([.bytes([UInt8](repeating: 1, count: 20)), .list([]), .bytes([]), .bytes([])])])]))
        }
    }

    @Test func bloomSetsThreeBitsPerItemAndFindsThem() {
        var bloom = Bloom()
        #expect(bloom.isEmpty && bloom == .empty && bloom.bytes.count == 256)
        let item = Address.zero.bytes
        bloom.insert(item)
        let setBits = bloom.bytes.reduce(0) { $0 + $1.nonzeroBitCount }
        #expect((1...3).contains(setBits))
        #expect(bloom.contains(item))
        let logBloom = Bloom(logs: Self.logs)
        for log in Self.logs {
            #expect(logBloom.contains(log.address.bytes))
            for topic in log.topics { #expect(logBloom.contains(topic.bytes)) }
        }
        #expect(logBloom.contains(bloom), "the second log's address is the zero address")
        #expect(!Bloom().contains(item))
        let union = bloom.union(Bloom(logs: [Self.logs[0]]))
        #expect(union == logBloom)
        #expect(union.contains(bloom) && !bloom.contains(union))
    }
}
