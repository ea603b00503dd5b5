import JSON
import Primitives
import Testing
@testable import RPC

@Suite struct EthLogsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }
    let emitter = JSONValue.hex(InMemoryChain.logEmitter)
    let contract = JSONValue.hex(InMemoryChain.contract)
    let transfer = JSONValue.hex(InMemoryChain.transferTopic)
    let aliceTopic = JSONValue.hex(Hash32(InMemoryChain.alice.address.bytes.leftPadded))
    let carolTopic = JSONValue.hex(Hash32(InMemoryChain.carol.bytes.leftPadded))

    /// (block, log index) of each log returned.
    func positions(_ filter: JSONValue) async throws -> [String] {
        let logs = try #require(try await rpc.result("eth_getLogs", [filter]).arrayValue)
        return logs.map { "\($0["blockNumber"]!.stringValue!)/\($0["logIndex"]!.stringValue!)" }
    }

    @Test func filtersByRangeAddressAndTopics() async throws {
        // Block 1: log 0 (emitter, Transfer alice->carol), log 1 (contract, Transfer), log 2 (emitter, no topics).
        // Block 2: log 0 (emitter, Transfer alice->carol).
        #expect(try await positions(["fromBlock": "0x0", "toBlock": "latest"]) == ["0x1/0x0", "0x1/0x1", "0x1/0x2", "0x2/0x0"])
        #expect(try await positions([:]) == [], "latest only by default, and the head block is empty")
        #expect(try await positions(["fromBlock": "0x2"]) == ["0x2/0x0"])
        #expect(try await positions(["fromBlock": "earliest", "toBlock": "0x1"]) == ["0x1/0x0", "0x1/0x1", "0x1/0x2"])
        #expect(try await positions(["fromBlock": "0x0", "address": emitter]) == ["0x1/0x0", "0x1/0x2", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "address": [contract, emitter]]) == ["0x1/0x0", "0x1/0x1", "0x1/0x2", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "address": []]) == ["0x1/0x0", "0x1/0x1", "0x1/0x2", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "topics": [transfer]]) == ["0x1/0x0", "0x1/0x1", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "topics": [.null, aliceTopic]]) == ["0x1/0x0", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "topics": [transfer, [carolTopic, aliceTopic]]]) == ["0x1/0x0", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "topics": [transfer, [carolTopic, .null]]]) == ["0x1/0x0", "0x2/0x0"],
                "null inside a list matches any topic, but the log needs one there (as in geth)")
        #expect(try await positions(["fromBlock": "0x0", "topics": [[], [], [carolTopic]]]) == ["0x1/0x0", "0x2/0x0"])
        #expect(try await positions(["fromBlock": "0x0", "topics": [transfer, .null, .null, .null]]) == [], "more positions than topics")
        #expect(try await positions(["fromBlock": "0x0", "address": contract, "topics": [transfer, aliceTopic]]) == [])
    }

    @Test func filtersOneBlockByHash() async throws {
        let block = chain.blocks[1]
        #expect(try await positions(["blockHash": .hex(block.hash)]) == ["0x1/0x0", "0x1/0x1", "0x1/0x2"])
        let logs = try await rpc.result("eth_getLogs", [["blockHash": .hex(block.hash), "address": contract]])
        #expect(logs == [[
            "address": contract, "blockHash": .hex(block.hash), "blockNumber": "0x1", "blockTimestamp": .hex(block.header.timestamp),
            "data": "0x", "logIndex": "0x1", "removed": false, "topics": [transfer],
            "transactionHash": .hex(block.transactions[3].hash), "transactionIndex": "0x3",
        ]])
        #expect(await rpc.error("eth_getLogs", [["blockHash": .hex(Hash32(repeating: 4))]]) == .server("unknown block"))
    }

    @Test func limitsTheNumberOfResultsAndNamesTheRangeThatFits() async throws {
        let three = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(maxLogResults: 3))
        #expect(await three.error("eth_getLogs", [["fromBlock": "0x0"]]) == .server("query exceeds max results 3, retry with the range 0-1"))
        #expect(try await three.result("eth_getLogs", [["fromBlock": "0x0", "toBlock": "0x1"]]).arrayValue?.count == 3)
        let two = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(maxLogResults: 2))
        #expect(await two.error("eth_getLogs", [["fromBlock": "0x0"]]) == .server("query exceeds max results 2, retry with the range 0-0"))
    }

    @Test func clampsAndLimitsRanges() async throws {
        #expect(try await positions(["fromBlock": "0x2", "toBlock": "0x100"]) == ["0x2/0x0"], "clamped to the head")
        #expect(try await positions(["fromBlock": "0x7", "toBlock": "0x9"]) == [], "entirely above the head")
        #expect(await rpc.error("eth_getLogs", [["fromBlock": "0x2", "toBlock": "0x1"]]) == .server("invalid block range params"))
        let narrow = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(maxLogBlockRange: 2))
        #expect(try await narrow.result("eth_getLogs", [["fromBlock": "0x1", "toBlock": "0x2"]]).arrayValue?.count == 4)
        #expect(await narrow.error("eth_getLogs", [["fromBlock": "0x0", "toBlock": "0x2"]]) == .server("exceed maximum block range: 2"))
        #expect(await narrow.error("eth_getLogs", [["fromBlock": "0x0"]]) == .server("exceed maximum block range: 2"))
    }

    @Test func rejectsMalformedFilters() async {
        #expect(await rpc.error("eth_getLogs", [["blockHash": .hex(chain.blocks[1].hash), "fromBlock": "0x1"]])
            == .invalidParams("invalid argument 0: cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other"))
        #expect(await rpc.error("eth_getLogs", [["fromBlock": "0x01"]]) == .invalidParams("invalid argument 0: fromBlock: hex string has leading zero digits"))
        #expect(await rpc.error("eth_getLogs", [["address": [emitter, "0x12"]]]) == .invalidParams("invalid argument 0: address[1]: hex string has 1 bytes, want 20"))
        #expect(await rpc.error("eth_getLogs", [["topics": ["0x12"]]]) == .invalidParams("invalid argument 0: topics[0]: hex string has 1 bytes, want 32"))
        #expect(await rpc.error("eth_getLogs", [["topics": [[transfer, 7]]]]) == .invalidParams("invalid argument 0: topics[0][1]: expected a hex string, got number"))
        #expect(await rpc.error("eth_getLogs", [["topics": transfer]]) == .invalidParams("invalid argument 0: topics: expected an array, got string"))
        #expect(await rpc.error("eth_getLogs", [["topics": [.null, .null, .null, .null, .null]]]) == .server("exceed max topics"))
        let strict = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(maxLogFilterEntries: 1))
        #expect(await strict.error("eth_getLogs", [["address": [emitter, contract]]]) == .server("exceed max addresses or topics per search position"))
        #expect(await rpc.error("eth_getLogs", []) == .invalidParams("missing value for required argument 0"))
        #expect(await rpc.error("eth_getLogs", ["latest"]) == .invalidParams("invalid argument 0: expected an object, got string"))
    }

    @Test func skipsBlocksByBloom() {
        let filter = try! LogFilter(RPCParams.Argument(index: 0, value: ["address": contract]), maxEntries: 10)
        #expect(filter.mayMatch(chain.blocks[1].header.logsBloom))
        #expect(!filter.mayMatch(chain.blocks[2].header.logsBloom))
        #expect(!filter.mayMatch(Bloom.empty))
    }
}
