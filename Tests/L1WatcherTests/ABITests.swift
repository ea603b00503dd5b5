import FakeL1
import JSON
import Primitives
import Testing
@testable import L1Watcher

@Suite struct ABITests {
    static func word(_ hex: String) -> String { String(repeating: "0", count: 64 - hex.count) + hex }

    @Test func fakeLogDataMatchesAHandComputedVector() {
        // QueueTransaction(value = 1, queueIndex = 2, gasLimit = 100000, data = 0x1234): three
        // words, the offset of data (0x80 = 4 words), its length (2), the bytes padded to 32.
        let expected = "0x" + Self.word("1") + Self.word("2") + Self.word("186a0") + Self.word("80") + Self.word("2")
            + "1234" + String(repeating: "0", count: 60)
        let data = FakeL1Chain.encodeLogData(value: 1, queueIndex: 2, gasLimit: 100_000, data: [0x12, 0x34])
        #expect(Hex.encode(data) == expected)
        #expect(data.count == 6 * 32)
        // Empty data: offset and a zero length, no padding word.
        #expect(FakeL1Chain.encodeLogData(value: 0, queueIndex: 0, gasLimit: 0, data: []).count == 5 * 32)
        // 33 bytes: two padded words.
        let long = FakeL1Chain.encodeLogData(value: 0, queueIndex: 0, gasLimit: 0, data: Array(repeating: 0xEE, count: 33))
        #expect(long.count == 7 * 32)
        #expect(Hex.encode(long[128..<160]) == "0x" + Self.word("21"))
    }

    @Test func queueTransactionTopicIsTheProtocolsTopic0() {
        let topic0 = "0x69cfcb8e6d4192b8aba9902243912587f37e550d75c1fa801491fce26717f37e"
        #expect(FakeL1Chain.queueTransactionTopic.hex == topic0)
        #expect(QueueTransactionLog.topic0.hex == topic0)
    }

    @Test func fakeLogsCarryTheFieldsProvidersReturn() throws {
        let chain = FakeL1Chain()
        let m = FakeL1Chain.Message(sender: address(0xAA), target: address(0xBB), value: U256.max, gasLimit: 7, data: Array(0..<70))
        let block = chain.mine(messages: [m])
        let json = try JSONValue(parsing: Array(block.logs[0].json.utf8))
        #expect(json["address"]?.stringValue == "0x0000000000000000000000000000000000001000")
        #expect(json["topics"]?.arrayValue?.compactMap(\.stringValue) == [QueueTransactionLog.topic0.hex,
                                                                "0x" + Self.word("aa"), "0x" + Self.word("bb")])
        #expect(json["blockNumber"]?.stringValue == "0x1")
        #expect(json["blockHash"]?.stringValue == block.hash.hex)
        #expect(json["logIndex"]?.stringValue == "0x0")
        #expect(json["transactionHash"]?.stringValue?.count == 66)
        #expect(json["removed"] == .bool(false))
        let decoded = try #require(try QueueTransactionLog.decode(json, queue: devQueue))
        #expect(decoded.message == L1MessageTransaction(queueIndex: 0, gasLimit: 7, to: address(0xBB), value: .max,
                                                        data: Array(0..<70), sender: address(0xAA)))
        #expect(decoded.blockNumber == 1 && decoded.blockHash == block.hash && decoded.logIndex == 0)
    }

    @Test func logsThatAreNotQueueTransactionsOfTheQueueAreRejected() throws {
        let chain = FakeL1Chain()
        let block = chain.mine(messages: [message(1)])
        let text = block.logs[0].json
        let json = try JSONValue(parsing: Array(text.utf8))
        #expect(throws: L1WatcherError.self) { try QueueTransactionLog.decode(json, queue: address(0x1001)) }
        let badTopic = text.replacingOccurrences(of: "0x000000000000000000000000000000000000000000000000000000000000a001",
                                                 with: "0x0100000000000000000000000000000000000000000000000000000000000a001")
        #expect(throws: L1WatcherError.self) { try QueueTransactionLog.decode(try JSONValue(parsing: Array(badTopic.utf8)), queue: devQueue) }
        let removed = text.replacingOccurrences(of: "\"removed\":false", with: "\"removed\":true")
        #expect(try QueueTransactionLog.decode(try JSONValue(parsing: Array(removed.utf8)), queue: devQueue) == nil)
    }
}
