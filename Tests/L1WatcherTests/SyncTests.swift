import FakeL1
import Primitives
import Storage
import Testing
@testable import L1Watcher

@Suite struct SyncTests {
    /// Messages 0..<n, contiguous, each stored once, with the rolling hash chain intact.
    func expectContiguous(_ watcher: L1Watcher, count: Int, chain: FakeL1Chain, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let messages = try storedMessages(watcher)
        #expect(messages.count == count, sourceLocation: sourceLocation)
        var previous: Hash32?
        for (i, m) in messages.enumerated() {
            #expect(m.queueIndex == UInt64(i), sourceLocation: sourceLocation)
            let expected = chain.log(queueIndex: UInt64(i))
            #expect(m.l1BlockNumber == expected?.block.number, sourceLocation: sourceLocation)
            #expect(m.l1BlockHash == expected?.block.hash, sourceLocation: sourceLocation)
            #expect(m.transaction.to == expected?.log.message.target, sourceLocation: sourceLocation)
            let hash = SignedTransaction(l1Message: m.transaction).hash
            #expect(m.transactionHash == hash, sourceLocation: sourceLocation)
            #expect(m.rollingHash == L1Message.rollingHash(previous: previous, transactionHash: hash), sourceLocation: sourceLocation)
            previous = m.rollingHash
        }
        #expect(watcher.status.nextQueueIndex == UInt64(count), sourceLocation: sourceLocation)
    }

    @Test func rollingQueueHashFollowsTheProtocol() throws {
        let tx0 = Hash32(Array(repeating: 0xAB, count: 32))
        let tx1 = Hash32(Array(repeating: 0xCD, count: 32))
        var h0 = Keccak.hash256([UInt8](repeating: 0, count: 32) + tx0.bytes).bytes
        for i in 28..<32 { h0[i] = 0 }
        var h1 = Keccak.hash256(h0 + tx1.bytes).bytes
        for i in 28..<32 { h1[i] = 0 }
        let r0 = L1Message.rollingHash(previous: nil, transactionHash: tx0)
        #expect(r0.bytes == h0)
        #expect(L1Message.rollingHash(previous: r0, transactionHash: tx1).bytes == h1)
        #expect(Array(r0.bytes.suffix(4)) == [0, 0, 0, 0])
    }

    @Test func readsEveryMessageInBoundedRangesFromTheStartBlock() async throws {
        let chain = FakeL1Chain(finalizedDistance: 10)
        chain.mineGenerated(blocks: 1200, perBlock: 2, dataBytes: 3)
        let h = try Harness(chain: chain, queryRange: 500)
        let reports = try await syncUntilCaughtUp(h.watcher)
        try expectContiguous(h.watcher, count: 2400, chain: chain)
        let ranges = h.l1.logRanges
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.allSatisfy { $0.count <= 500 })
        // Settled blocks in wide ranges; the last 10 (unfinalized) block by block with their headers.
        #expect(ranges.prefix(3).map(\.count) == [500, 500, 191])
        #expect(reports.last?.isCaughtUp == true)
        #expect(h.watcher.status.lastProcessedBlock == 1200)
        #expect(h.watcher.isCaughtUp)
    }

    @Test func gapIsDetectedAndReadAgain() async throws {
        let chain = chainWithOneMessagePerBlock(40, finalizedDistance: 2)
        let h = try Harness(chain: chain, queryRange: 16)
        h.l1.omitLog(queueIndex: 21, times: 1)
        let reports = try await syncUntilCaughtUp(h.watcher)
        #expect(reports.contains { $0.gapAt == 21 })
        try expectContiguous(h.watcher, count: 40, chain: chain)
        // After the gap the range that should hold it was read again, starting at the block of
        // the last contiguous message (index 20, block 21).
        let ranges = h.l1.logRanges
        let gapRange = try #require(ranges.firstIndex { $0.contains(22) })
        #expect(ranges[gapRange + 1].lowerBound == 21)
    }

    @Test func aMissingFirstMessageIsAGapToo() async throws {
        let chain = chainWithOneMessagePerBlock(5)
        let h = try Harness(chain: chain)
        h.l1.omitLog(queueIndex: 0, times: 2)
        let first = try await h.watcher.step()
        #expect(first.gapAt == 0 && first.newMessages == 0)
        #expect(h.watcher.status.lastProcessedBlock == nil)
        try await syncUntilCaughtUp(h.watcher)
        try expectContiguous(h.watcher, count: 5, chain: chain)
    }

    @Test func duplicateLogsAreIdempotent() async throws {
        let chain = FakeL1Chain(finalizedDistance: 3)
        for i in 0..<30 { chain.mine(messages: [message(UInt64(2 * i)), message(UInt64(2 * i + 1))]) }
        let h = try Harness(chain: chain, queryRange: 7)
        h.l1.setDuplicateLogs(true)
        try await syncUntilCaughtUp(h.watcher)
        try expectContiguous(h.watcher, count: 60, chain: chain)
        // Reading everything again (after a revert to the start) changes nothing.
        let before = try storedMessages(h.watcher)
        _ = try await h.watcher.revertToL1Block(0)
        try await syncUntilCaughtUp(h.watcher)
        #expect(try storedMessages(h.watcher) == before)
        #expect(h.handler.received.isEmpty)
    }

    @Test func restartResumesFromThePersistedCursor() async throws {
        let chain = FakeL1Chain(finalizedDistance: 2)
        chain.mineGenerated(blocks: 3000, perBlock: 1)
        var h = try Harness(chain: chain, queryRange: 500)
        for _ in 0..<3 { _ = try await h.watcher.step() }
        let cursor = try #require(h.watcher.status.lastProcessedBlock)
        #expect(cursor == 1499)
        try h.restart()
        #expect(h.watcher.status.lastProcessedBlock == cursor)
        #expect(h.watcher.status.nextQueueIndex == 1499)
        h.l1.resetCounters()
        chain.mineGenerated(blocks: 10, perBlock: 1)
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.l1.logRanges.first?.lowerBound == cursor + 1)
        #expect(!h.l1.logRanges.contains { $0.lowerBound <= cursor })
        try expectContiguous(h.watcher, count: 3010, chain: chain)
    }

    @Test(arguments: [
        FakeL1.RangeRefusal.jsonRPC(code: -32005, message: "block range too large: at most 100 blocks"),
        .jsonRPC(code: -32602, message: "query exceeds the range limit: block range is too large"),
        .jsonRPC(code: -32000, message: "exceed maximum block range: 100"),
        .http413,
    ])
    func providerRangeRefusalHalvesTheRange(_ refusal: FakeL1.RangeRefusal) async throws {
        let chain = FakeL1Chain(finalizedDistance: 2)
        chain.mineGenerated(blocks: 2000, perBlock: 1)
        let h = try Harness(chain: chain, queryRange: 500)
        h.l1.setMaxBlockRange(100, refusal: refusal)
        try await syncUntilCaughtUp(h.watcher)
        try expectContiguous(h.watcher, count: 2000, chain: chain)
        let ranges = h.l1.logRanges
        // 500 -> 250 -> 125 -> 62 was accepted first; then the range grows back slowly and is
        // halved again whenever it passes the limit.
        #expect(ranges.first == 0...61)
        #expect(h.l1.refusedRanges >= 3)
        #expect(ranges.allSatisfy { $0.count <= 100 })
        #expect(ranges.dropFirst().prefix(3).map(\.count) == [68, 74, 81])
        #expect(h.watcher.status.queryRange <= 100)
    }

    @Test func tooManyResultsHalvesTheRange() async throws {
        let chain = FakeL1Chain(finalizedDistance: 2)
        chain.mineGenerated(blocks: 100, perBlock: 60)
        let h = try Harness(chain: chain, queryRange: 500)
        h.l1.setMaxResults(1000)  // "query returned more than 1000 results"
        try await syncUntilCaughtUp(h.watcher)
        try expectContiguous(h.watcher, count: 6000, chain: chain)
        #expect(h.l1.refusedRanges >= 1)
    }

    @Test func chainIDMismatchIsAClearError() async throws {
        let h = try Harness(chain: FakeL1Chain(chainID: 1))
        await #expect(throws: L1WatcherError.self) { try await h.watcher.step() }
        do {
            _ = try await h.watcher.step()
        } catch {
            #expect(error.code == .chainIDMismatch)
            #expect(!error.isTransient)
            #expect(error.message.contains("chain id 1,") && error.message.contains("l1.chainId is 31337") && error.message.contains("--l1.url"))
        }
        await #expect(throws: L1WatcherError.self) { try await h.watcher.checkChainIDs() }
        // run() stops with it rather than retrying forever.
        await #expect(throws: L1WatcherError.self) { try await h.watcher.run() }
    }

    @Test func datadirReadFromAnotherL1IsRefused() async throws {
        let h = try Harness(chain: chainWithOneMessagePerBlock(3))
        try await syncUntilCaughtUp(h.watcher)
        var other = Harness.configuration(mode: .depth(0))
        other.messageQueue = address(0x2000)
        do {
            _ = try L1Watcher(configuration: other, database: h.database.db, transport: InProcessTransport(endpoints: [:]), logger: quietLogger)
            Issue.record("opened a datadir of another L1")
        } catch {
            #expect(error.code == .datadirMismatch)
            #expect(error.message.contains("fresh datadir"))
        }
    }

    @Test func parsesTheCommaSeparatedURLList() throws {
        #expect(try L1Watcher.Configuration.parseEndpoints("http://127.0.0.1:8546") == ["http://127.0.0.1:8546"])
        #expect(try L1Watcher.Configuration.parseEndpoints(" http://a:1 , https://b.example/v3/KEY ") == ["http://a:1", "https://b.example/v3/KEY"])
        #expect(try L1Watcher.Configuration.parseEndpoints("") == [])
        for bad in ["ftp://a", "http://a,,http://b", "http://a,http://a", "http://", "localhost:8545"] {
            #expect(throws: L1WatcherError.self, "\(bad)") { try L1Watcher.Configuration.parseEndpoints(bad) }
        }
        #expect(L1RPCClient.redacted("https://user:pw@mainnet.example.io/v3/SECRET?x=1") == "https://mainnet.example.io")
        #expect(L1RPCClient.redacted("http://127.0.0.1:8546") == "http://127.0.0.1:8546")
    }

    @Test func malformedLogDataIsRejected() throws {
        let good = FakeL1Chain.encodeLogData(value: 1, queueIndex: 2, gasLimit: 3, data: [1, 2, 3])
        _ = try QueueTransactionLog.decodeData(good, context: "t")
        var badOffset = good
        badOffset[127] = 0xA0 + 0x40
        #expect(throws: L1WatcherError.self) { try QueueTransactionLog.decodeData(badOffset, context: "t") }
        var badLength = good
        badLength[159] = 200
        #expect(throws: L1WatcherError.self) { try QueueTransactionLog.decodeData(badLength, context: "t") }
        var hugeIndex = good
        hugeIndex[32] = 1
        #expect(throws: L1WatcherError.self) { try QueueTransactionLog.decodeData(hugeIndex, context: "t") }
        #expect(throws: L1WatcherError.self) { try QueueTransactionLog.decodeData(Array(good.prefix(100)), context: "t") }
    }
}
