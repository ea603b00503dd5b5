import FakeL1
import Logging
import Testing
@testable import L1Watcher
import TestSupport

@Suite struct LoggingTests {
    @Test func failoverGapsAndReorgsAreWarningsAndRangesAreInfo() async throws {
        let chain = chainWithOneMessagePerBlock(12, finalizedDistance: 20)
        let a = FakeL1(chain: chain), b = FakeL1(chain: chain)
        let capture = LogCapture()
        let database = try TestDatabase()
        let urls = ["https://a.example/v3/SECRETKEY", "http://b.example:8545"]
        let watcher = try L1Watcher(configuration: Harness.configuration(mode: .depth(0), endpoints: urls), database: database.db,
                                    transport: InProcessTransport(endpoints: [urls[0]: a, urls[1]: b]),
                                    clock: ManualClock(advancingOnSleep: true), logger: capture.logger)
        a.omitLog(queueIndex: 3)
        try await syncUntilCaughtUp(watcher)
        a.setOutage(.status(503))
        chain.reorg(depth: 2, messages: .drop)
        try await syncUntilCaughtUp(watcher)

        let info = capture.messages(.info), warnings = capture.messages(.warning)
        #expect(info.contains { $0.hasPrefix("L1 watcher: 2 endpoint(s)") })
        #expect(info.contains { $0.contains("synced: ") && $0.contains("message(s), queue") })
        #expect(warnings.contains { $0.contains("queue gap: expected index 3") })
        #expect(warnings.contains { $0.contains("failing over to http://b.example:8545") })
        #expect(warnings.contains { $0.hasPrefix("L1 reorg: fork point block 10") })
        // Provider URLs are logged without their path (API keys live there).
        #expect(!capture.all.contains { $0.message.contains("SECRETKEY") })
        #expect(!watcher.status.endpoints.contains { $0.url.contains("SECRETKEY") })
    }
}
