import FakeL1
import Primitives
import Testing
@testable import L1Watcher
import TestSupport

/// Reorgs in `depth:0` mode, where included messages can be removed. Messages in blocks
/// 1...10 (queue index = block - 1); finalized lags by 20, so every block is unfinalized.
@Suite struct ReorgTests {
    func harness(messages: Int = 10, finalizedDistance: UInt64 = 20) async throws -> Harness {
        let h = try Harness(chain: chainWithOneMessagePerBlock(messages, finalizedDistance: finalizedDistance), mode: .depth(0))
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.watcher.status.nextQueueIndex == UInt64(messages))
        return h
    }

    func include(_ h: Harness, _ range: ClosedRange<UInt64>, l2Block: UInt64) throws {
        let batch = h.watcher.eligibleMessages(startingAt: range.lowerBound, max: range.count, gasLimit: .max)
        #expect(batch.map(\.queueIndex) == Array(range))
        try h.watcher.markIncluded(batch, l2Block: l2Block)
    }

    @Test func reorgAboveTheInclusionsRereadsMessagesWithoutCallback() async throws {
        let h = try await harness()
        try include(h, 0...4, l2Block: 1)
        // Blocks 8...10 (messages 7...9) replaced by a fork with other messages.
        h.chain.reorg(depth: 3, messages: .replace([[message(100)], [message(101)], [message(102)]]))
        let reports = try await syncUntilCaughtUp(h.watcher)
        #expect(reports.first?.reorg == .init(forkBlock: 7))
        let stored = try storedMessages(h.watcher)
        #expect(stored.count == 10)
        #expect(stored[7...].map(\.transaction.sender) == [message(100).sender, message(101).sender, message(102).sender])
        #expect(stored[7...].map(\.l1BlockHash) == [8, 9, 10].map { h.chain.block($0)!.hash })
        #expect(stored[6].l1BlockHash == h.chain.block(7)!.hash)
        // The rolling hash continues from the kept message 6.
        #expect(stored[7].rollingHash == L1Message.rollingHash(previous: stored[6].rollingHash, transactionHash: stored[7].transactionHash))
        for _ in 0..<3 { _ = try await h.watcher.step() }
        #expect(h.handler.received.isEmpty)
        #expect(h.watcher.eligibleMessages(startingAt: 5, max: 10, gasLimit: .max).map(\.queueIndex) == [5, 6, 7, 8, 9])
        #expect(h.watcher.status.reorgCheckFromQueueIndex == nil)
    }

    @Test func reorgBelowAnInclusionReportsTheLowestIncludedIndexAndItsBlock() async throws {
        let h = try await harness()
        try include(h, 0...3, l2Block: 1)
        try include(h, 4...8, l2Block: 2)
        // Blocks 7...10 (messages 6...9) replaced by empty blocks: messages 6, 7, 8 were included.
        h.chain.reorg(depth: 4, messages: .drop)
        let reports = try await syncUntilCaughtUp(h.watcher)
        #expect(reports.first?.reorg == .init(forkBlock: 6))
        #expect(h.handler.received == [L1MessagesRemoved(lowestQueueIndex: 6, l2Block: 2, l1ForkBlock: 6)])
        #expect(try storedMessages(h.watcher).count == 6)
        // Until the node rolls back, nothing above the removed index is handed out.
        h.chain.mine(messages: [message(200)])
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.watcher.eligibleMessages(startingAt: 9, max: 10, gasLimit: .max).isEmpty)
        #expect(h.handler.received.count == 1, "reported once")
        // The node rolls L2 back to block 1 and forgets the inclusions above it.
        #expect(try h.watcher.unmarkIncluded(aboveL2Block: 1) == 5)
        for _ in 0..<2 { _ = try await h.watcher.step() }
        #expect(h.watcher.status.reorgCheckFromQueueIndex == nil)
        #expect(h.watcher.eligibleMessages(startingAt: 4, max: 10, gasLimit: .max).map(\.queueIndex) == [4, 5, 6])
        #expect(try h.watcher.message(queueIndex: 6)?.transaction.sender == message(200).sender)
        #expect(h.handler.received.count == 1)
    }

    @Test func reorgThatKeepsTheSameMessagesReportsNothing() async throws {
        let h = try await harness()
        try include(h, 0...8, l2Block: 2)
        let before = try storedMessages(h.watcher)
        h.chain.reorg(depth: 4, messages: .keep)
        try await syncUntilCaughtUp(h.watcher)
        for _ in 0..<2 { _ = try await h.watcher.step() }
        let after = try storedMessages(h.watcher)
        #expect(after.map(\.transactionHash) == before.map(\.transactionHash))
        #expect(after.map(\.rollingHash) == before.map(\.rollingHash))
        #expect(after[6].l1BlockHash != before[6].l1BlockHash)
        #expect(h.handler.received.isEmpty)
        #expect(after[8].includedInL2Block == 2)
    }

    @Test func shorterForkIsFollowed() async throws {
        let h = try await harness()
        // Blocks 7...10 replaced by a single block: the head moves back below the cursor.
        h.chain.reorg(depth: 4, newBlocks: 1, messages: .drop)
        let reports = try await syncUntilCaughtUp(h.watcher)
        #expect(reports.first?.reorg == .init(forkBlock: 6))
        #expect(try storedMessages(h.watcher).count == 6)
        #expect(h.watcher.status.lastProcessedBlock == 7)
        #expect(h.handler.received.isEmpty)
    }

    @Test func deepReorgBelowTheFinalizedAnchorIsFollowedThroughTheMessagesBlocks() async throws {
        // Finalized lags by 2 only; the fork replaces 8 blocks, some of them "finalized", and
        // the watcher only notices after the L1 moved on (the cursor is then settled).
        let h = try await harness(messages: 20, finalizedDistance: 2)
        try include(h, 0...19, l2Block: 4)
        h.chain.reorg(depth: 8, messages: .replace((0..<8).map { [message(300 + UInt64($0))] }))
        h.chain.mine(10)
        try await syncUntilCaughtUp(h.watcher)
        let stored = try storedMessages(h.watcher)
        #expect(stored.count == 20)
        #expect(stored[11].transaction.sender == message(11).sender)
        #expect(stored[12].transaction.sender == message(300).sender)
        for (i, m) in stored.enumerated() { #expect(m.l1BlockHash == h.chain.block(UInt64(i + 1))!.hash) }
        #expect(h.handler.received == [L1MessagesRemoved(lowestQueueIndex: 12, l2Block: 4, l1ForkBlock: 12)])
    }

    @Test func aMessageHandedOutJustBeforeAReorgIsReportedWhenItsInclusionArrives() async throws {
        let h = try await harness()
        let handedOut = h.watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: .max)
        #expect(handedOut.count == 10)
        // While the node builds its block, L1 drops blocks 9 and 10 and the watcher follows.
        h.chain.reorg(depth: 2, messages: .drop)
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.handler.received.isEmpty)
        // The node commits its block with the stale messages 8 and 9.
        try h.watcher.markIncluded(handedOut, l2Block: 7)
        _ = try await h.watcher.step()
        #expect(h.handler.received == [L1MessagesRemoved(lowestQueueIndex: 8, l2Block: 7, l1ForkBlock: nil)])
    }

    @Test func revertToL1BlockTakesTheReorgPath() async throws {
        let h = try await harness()
        try include(h, 0...9, l2Block: 3)
        let summary = try await h.watcher.revertToL1Block(5)
        #expect(summary == L1RevertSummary(l1Block: 5, removedMessages: 5, lowestRemovedQueueIndex: 5))
        #expect(h.watcher.status.lastProcessedBlock == 5)
        #expect(h.watcher.status.nextQueueIndex == 5)
        #expect(h.watcher.eligibleMessages(startingAt: 6, max: 10, gasLimit: .max).isEmpty)
        h.l1.resetCounters()
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.l1.logRanges.first?.lowerBound == 6)
        // The same messages came back: the L2 blocks stay valid.
        #expect(try storedMessages(h.watcher).count == 10)
        #expect(h.handler.received.isEmpty)
        // Reverting at or above the cursor does nothing.
        #expect(try await h.watcher.revertToL1Block(10).removedMessages == 0)
        // A revert after which L1 has different messages reports them.
        _ = try await h.watcher.revertToL1Block(7)
        h.chain.reorg(depth: 3, messages: .replace([[message(400)], [], []]))
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.handler.received.map(\.lowestQueueIndex) == [7])
        #expect(h.handler.received.map(\.l2Block) == [3])
    }

    @Test func inclusionChecksSurviveARestart() async throws {
        var h = try await harness()
        try include(h, 0...9, l2Block: 5)
        h.chain.reorg(depth: 3, messages: .drop)
        // The reorg is processed but the process "crashes" before the node handled the report.
        _ = try await h.watcher.step()
        try h.restart()
        #expect(h.watcher.status.reorgCheckFromQueueIndex == 7)
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.handler.received.last == L1MessagesRemoved(lowestQueueIndex: 7, l2Block: 5, l1ForkBlock: nil))
    }
}

@Suite struct LaggingProviderTests {
    @Test func aProviderBehindTheProcessedBlockIsNotAReorg() async throws {
        // Two providers of the same chain; the second has seen 4 blocks fewer.
        let ahead = chainWithOneMessagePerBlock(10, finalizedDistance: 20)
        let behind = chainWithOneMessagePerBlock(6, finalizedDistance: 20)
        #expect(ahead.block(6)!.hash == behind.block(6)!.hash)
        let a = FakeL1(chain: ahead), b = FakeL1(chain: behind)
        let database = try TestDatabase()
        let handler = RecordingReorgHandler()
        let urls = ["http://a.test", "http://b.test"]
        let watcher = try L1Watcher(configuration: Harness.configuration(mode: .depth(0), endpoints: urls), database: database.db,
                                    transport: InProcessTransport(endpoints: [urls[0]: a, urls[1]: b]), reorgHandler: handler,
                                    clock: ManualClock(advancingOnSleep: true), logger: quietLogger)
        try await syncUntilCaughtUp(watcher)
        let batch = watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: .max)
        try watcher.markIncluded(batch, l2Block: 1)
        a.setOutage(.status(503))
        for _ in 0..<3 { _ = try await watcher.step() }
        #expect(watcher.status.endpoints.map(\.isActive) == [false, true])
        #expect(try storedMessages(watcher).count == 10)
        #expect(watcher.status.lastProcessedBlock == 10)
        #expect(handler.received.isEmpty)
    }
}
