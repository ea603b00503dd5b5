import JSON
import Primitives
import Testing
import TestSupport
@testable import RPC

@Suite struct FilterTests {
    let chain = InMemoryChain()
    let hub = RPCEventHub()
    let clock = ManualClock()

    func dispatcher(maxFilters: Int = 1024) -> RPCDispatcher {
        var table = RPCMethodTable()
        table.registerEthMethods(backend: chain)
        table.registerFilterMethods(hub: hub, backend: chain, clock: clock, maxFilters: maxFilters)
        // No request timeout: on a loaded 2-core machine the suite's CPU-heavy tests can hold
        // the cooperative pool for longer than the default 30 s, and that is not this test's subject.
        return RPCDispatcher(methods: table, configuration: .init(requestTimeout: nil))
    }

    @Test func aBlockFilterReturnsEachNewHashOnce() async throws {
        let rpc = dispatcher()
        let id = try await rpc.result("eth_newBlockFilter")
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        let a = chain.mine(), b = chain.mine()
        hub.publish(.newHead(a))
        hub.publish(.newHead(b))
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [.string(a.hash.hex), .string(b.hash.hex)])
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        hub.publish(.rolledBack(removed: [b], head: a))
        let c = chain.mine()
        hub.publish(.newHead(c))
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [.string(c.hash.hex)])
        #expect(try await rpc.result("eth_uninstallFilter", [id]) == true)
        #expect(try await rpc.result("eth_uninstallFilter", [id]) == false)
        #expect(await rpc.error("eth_getFilterChanges", [id]) == .server("filter not found"))
    }

    @Test func aLogFilterCollectsMatchingLogsAndRemovedOnes() async throws {
        let rpc = dispatcher()
        let blocks = chain.blocks
        let id = try await rpc.result("eth_newFilter", [["address": .hex(InMemoryChain.logEmitter), "fromBlock": "0x2"]])
        hub.publish(.newHead(blocks[1]))  // below fromBlock
        hub.publish(.newHead(blocks[2]))
        hub.publish(.rolledBack(removed: [blocks[1], blocks[2]], head: blocks[0]))
        let changes = try #require(try await rpc.result("eth_getFilterChanges", [id]).arrayValue)
        #expect(changes.map { "\($0["blockNumber"]!.stringValue!)/\($0["removed"]!.boolValue!)" } == ["0x2/false", "0x2/true"])
        // eth_getFilterLogs answers as eth_getLogs over the filter's range.
        let logs = try #require(try await rpc.result("eth_getFilterLogs", [id]).arrayValue)
        #expect(logs.map { $0["blockNumber"]!.stringValue! } == ["0x2"])
        let blockFilter = try await rpc.result("eth_newBlockFilter")
        #expect(await rpc.error("eth_getFilterLogs", [blockFilter]) == .server("filter not found"))
        #expect(await rpc.error("eth_newFilter", [["blockHash": .hex(blocks[1].hash)]])?.code == -32602)
    }

    @Test func aPendingTransactionFilterReturnsHashes() async throws {
        let rpc = dispatcher()
        let block = chain.blocks[1]
        let id = try await rpc.result("eth_newPendingTransactionFilter")
        hub.publish(.pendingTransaction(RPCPoolTransaction(transaction: block.transactions[1], sender: block.senders[1])))
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [.string(block.transactions[1].hash.hex)])
    }

    @Test func filtersExpireFiveMinutesAfterTheirLastPoll() async throws {
        let rpc = dispatcher()
        let polled = try await rpc.result("eth_newBlockFilter")
        let idle = try await rpc.result("eth_newBlockFilter")
        clock.advance(by: .seconds(299))
        #expect(try await rpc.result("eth_getFilterChanges", [polled]) == [])
        clock.advance(by: .seconds(2))
        #expect(await rpc.error("eth_getFilterChanges", [idle]) == .server("filter not found"))
        #expect(try await rpc.result("eth_getFilterChanges", [polled]) == [], "its last poll was 2 s ago")
        clock.advance(by: .seconds(301))
        hub.publish(.newHead(chain.mine()))
        #expect(await rpc.error("eth_getFilterChanges", [polled]) == .server("filter not found"))
    }

    @Test func theNumberOfFiltersIsBounded() async throws {
        let rpc = dispatcher(maxFilters: 2)
        let first = try await rpc.result("eth_newBlockFilter")
        _ = try await rpc.result("eth_newPendingTransactionFilter")
        let error = await rpc.error("eth_newBlockFilter")
        #expect(error?.code == -32000)
        #expect(error?.message.hasPrefix("too many filters (limit 2)") == true)
        _ = try await rpc.result("eth_uninstallFilter", [first])
        _ = try await rpc.result("eth_newBlockFilter")
    }
}
