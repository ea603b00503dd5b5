import FakeL1
import Primitives
import Testing
@testable import L1Watcher

@Suite struct EligibilityTests {
    @Test func perBlockCountCapStopsAtMax() async throws {
        let h = try Harness(chain: chainWithOneMessagePerBlock(10))
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.watcher.eligibleMessages(startingAt: 0, max: 4, gasLimit: .max).map(\.queueIndex) == [0, 1, 2, 3])
        #expect(h.watcher.eligibleMessages(startingAt: 4, max: 4, gasLimit: .max).map(\.queueIndex) == [4, 5, 6, 7])
        #expect(h.watcher.eligibleMessages(startingAt: 8, max: 4, gasLimit: .max).map(\.queueIndex) == [8, 9])
        #expect(h.watcher.eligibleMessages(startingAt: 0, max: 0, gasLimit: .max).isEmpty)
    }

    @Test func gasCapStopsBeforeTheFirstMessageThatDoesNotFit() async throws {
        let chain = FakeL1Chain()
        chain.mine(messages: [message(0, gasLimit: 100_000), message(1, gasLimit: 100_000), message(2, gasLimit: 100_000),
                              message(3, gasLimit: 1_000_000), message(4, gasLimit: 1)])
        let h = try Harness(chain: chain)
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: 250_000).map(\.queueIndex) == [0, 1])
        #expect(h.watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: 300_000).map(\.queueIndex) == [0, 1, 2])
        // Message 3 alone exceeds the limit: nothing, and message 4 (which would fit) is not taken out of order.
        #expect(h.watcher.eligibleMessages(startingAt: 3, max: 10, gasLimit: 999_999).isEmpty)
        #expect(h.watcher.eligibleMessages(startingAt: 3, max: 10, gasLimit: 1_000_001).map(\.queueIndex) == [3, 4])
        #expect(h.watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: 99_999).isEmpty)
    }

    @Test func consecutiveCallsContinueTheQueueWithoutSkippingOrRepeating() async throws {
        let h = try Harness(chain: chainWithOneMessagePerBlock(37, finalizedDistance: 5), mode: .finalized(0))
        try await syncUntilCaughtUp(h.watcher)
        var next: UInt64 = 0
        var seen: [UInt64] = []
        for l2Block in 1...20 {
            let batch = h.watcher.eligibleMessages(startingAt: next, max: 3, gasLimit: 30_000_000)
            guard !batch.isEmpty else { break }
            seen += batch.map(\.queueIndex)
            try h.watcher.markIncluded(batch, l2Block: UInt64(l2Block))
            next = batch.last!.queueIndex + 1
        }
        // Finalized is 32: messages in blocks 1...32 (indexes 0...31), then inclusion stops.
        #expect(seen == Array(0...31))
        #expect(h.watcher.eligibleMessages(startingAt: 32, max: 3, gasLimit: .max).isEmpty)
        #expect(h.watcher.eligibleMessages(startingAt: 1000, max: 3, gasLimit: .max).isEmpty)
        let status = h.watcher.status
        #expect(status.nextUnincludedQueueIndex == 32)
        #expect(status.pendingMessageCount == 5)
        #expect(status.nextQueueIndex == 37)
        // The L1 moves on: inclusion continues exactly where it stopped.
        h.chain.mine(3)
        try await syncUntilCaughtUp(h.watcher)
        #expect(h.watcher.eligibleMessages(startingAt: 32, max: 10, gasLimit: .max).map(\.queueIndex) == [32, 33, 34])
        #expect(try h.watcher.message(queueIndex: 31)?.includedInL2Block == 11)
        #expect(try h.watcher.message(queueIndex: 32)?.includedInL2Block == nil)
    }

    @Test func withoutAnL1ItIsAlwaysCaughtUpAndHasNoMessages() async throws {
        let database = try TestDatabase()
        let configuration = L1Watcher.Configuration(endpoints: [], chainID: 31337, messageQueue: devQueue, startBlock: 0)
        let watcher = try L1Watcher(configuration: configuration, database: database.db, transport: nil, logger: quietLogger)
        #expect(watcher.isCaughtUp)
        #expect(watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: .max).isEmpty)
        let report = try await watcher.step()
        #expect(report.isDisabled && report.isCaughtUp)
        let status = watcher.status
        #expect(!status.isEnabled && status.isCaughtUp && !status.isLagging && status.endpoints.isEmpty)
        // run() without an L1 waits for cancellation.
        let task = Task { try await watcher.run() }
        task.cancel()
        try await task.value
    }
}
