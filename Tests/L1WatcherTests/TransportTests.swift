import FakeL1
import Foundation
import Primitives
import Testing
@testable import L1Watcher
import TestSupport

/// The real transport path: the HTTPClient module's curl client against fake L1 servers on loopback.
@Suite struct TransportTests {
    func watcher(_ urls: [String], clock: ManualClock, maxAttempts: Int = 4,
                 database: TestDatabase) throws -> L1Watcher {
        var configuration = Harness.configuration(mode: .depth(0), endpoints: urls)
        configuration.initialBackoff = .milliseconds(500)
        configuration.maxBackoff = .seconds(8)
        configuration.maxAttempts = maxAttempts
        return try L1Watcher(configuration: configuration, database: database.db, transport: try curlTransport(),
                             clock: clock, logger: quietLogger)
    }

    @Test func failsOverToTheSecondEndpointAndFailsBack() async throws {
        let chain = chainWithOneMessagePerBlock(20)
        let a = FakeL1(chain: chain), b = FakeL1(chain: chain)
        var serverA = try FakeL1HTTPServer(l1: a)
        let serverB = try FakeL1HTTPServer(l1: b)
        defer { serverA.stop(); serverB.stop() }
        let portA = serverA.port
        let clock = ManualClock(advancingOnSleep: true)
        let database = try TestDatabase()
        let watcher = try watcher([serverA.url, serverB.url], clock: clock, database: database)

        try await syncUntilCaughtUp(watcher)
        #expect(a.requestCount("eth_getLogs") > 0)
        #expect(b.requestCount() == 0)
        #expect(watcher.status.endpoints.map(\.isActive) == [true, false])

        // A goes down: requests move to B within the same step.
        serverA.stop()
        chain.mine(messages: [message(20)])
        let report = try await watcher.step()
        #expect(report.newMessages == 1)
        #expect(b.requestCount("eth_getLogs") == 1)
        var status = watcher.status
        #expect(status.endpoints.map(\.isActive) == [false, true])
        #expect(!status.endpoints[0].isHealthy && status.endpoints[0].consecutiveFailures == 1)
        #expect(status.endpoints[0].lastError?.contains("could not connect") == true)
        #expect(status.endpoints[1].isHealthy)
        #expect(!status.endpoints[0].url.isEmpty && status.isCaughtUp)

        // While A cools down it is not tried at all.
        chain.mine(messages: [message(21)])
        _ = try await watcher.step()
        #expect(watcher.status.endpoints[0].failures == 1)

        // A comes back on the same port; once its cooldown is over requests fail back to it.
        serverA = try FakeL1HTTPServer(l1: a, port: portA)
        clock.advance(by: .seconds(10))
        a.resetCounters()
        chain.mine(messages: [message(22)])
        _ = try await watcher.step()
        #expect(a.requestCount("eth_getLogs") == 1)
        status = watcher.status
        #expect(status.endpoints.map(\.isActive) == [true, false])
        #expect(status.endpoints.map(\.isHealthy) == [true, true])
        let indexes = try storedMessages(watcher).map(\.queueIndex)
        #expect(indexes == Array(0...22))
    }

    @Test func rateLimitedRequestsBackOffExponentiallyWithJitter() async throws {
        let chain = chainWithOneMessagePerBlock(5)
        let l1 = FakeL1(chain: chain)
        let server = try FakeL1HTTPServer(l1: l1)
        defer { server.stop() }
        let clock = ManualClock(advancingOnSleep: true)
        let database = try TestDatabase()
        let watcher = try watcher([server.url], clock: clock, maxAttempts: 5, database: database)
        try await syncUntilCaughtUp(watcher)
        clock.clearSleeps()

        l1.rateLimit(next: 3)
        chain.mine(messages: [message(5)])
        let report = try await watcher.step()
        #expect(report.newMessages == 1)
        let sleeps = clock.sleeps
        #expect(sleeps.count == 3)
        let bounds: [ClosedRange<Duration>] = [.milliseconds(250)...(.milliseconds(500)), .milliseconds(500)...(.seconds(1)),
                                               .seconds(1)...(.seconds(2))]
        for (sleep, bound) in zip(sleeps, bounds) { #expect(bound.contains(sleep), "\(sleep) outside \(bound)") }
        let endpoint = try #require(watcher.status.endpoints.first)
        #expect(endpoint.failures == 3 && endpoint.consecutiveFailures == 0 && endpoint.isHealthy)

        // More 429s than attempts: the step fails, the watcher says it lags, nothing else waits.
        l1.rateLimit(next: 100)
        chain.mine(messages: [message(6)])
        await #expect(throws: L1WatcherError.self) { try await watcher.step() }
        let status = watcher.status
        #expect(status.isLagging && !status.isCaughtUp)
        #expect(status.lastError?.contains("429") == true)
        #expect(watcher.eligibleMessages(startingAt: 0, max: 100, gasLimit: .max).count == 6)
        l1.rateLimit(next: 0)
        clock.advance(by: .seconds(60))
        try await syncUntilCaughtUp(watcher)
        #expect(watcher.status.nextQueueIndex == 7)
    }

    @Test(arguments: [FakeL1.Outage.status(503), .dropConnection])
    func anOutageMakesTheWatcherLagAndRecovers(_ outage: FakeL1.Outage) async throws {
        let chain = chainWithOneMessagePerBlock(5)
        let l1 = FakeL1(chain: chain)
        let server = try FakeL1HTTPServer(l1: l1)
        defer { server.stop() }
        let clock = ManualClock(advancingOnSleep: true)
        let database = try TestDatabase()
        let watcher = try watcher([server.url], clock: clock, database: database)
        try await syncUntilCaughtUp(watcher)
        l1.setOutage(outage)
        do {
            _ = try await watcher.step()
            Issue.record("step succeeded during an outage")
        } catch {
            #expect(error.code == (outage == .dropConnection ? .transport : .httpStatus))
            #expect(error.isTransient)
            #expect(error.message.contains("gave up after 4 attempts"))
        }
        #expect(watcher.status.isLagging)
        #expect(!watcher.isCaughtUp)
        #expect(watcher.eligibleMessages(startingAt: 0, max: 10, gasLimit: .max).count == 5)
        l1.setOutage(nil)
        clock.advance(by: .seconds(60))
        chain.mine(messages: [message(5)])
        try await syncUntilCaughtUp(watcher)
        #expect(!watcher.status.isLagging && watcher.status.lastError == nil)
    }

    @Test func runLoopFollowsTheL1OverLoopback() async throws {
        let chain = FakeL1Chain(finalizedDistance: 2)
        chain.mineGenerated(blocks: 1000, perBlock: 3, dataBytes: 40)
        let l1 = FakeL1(chain: chain)
        let server = try FakeL1HTTPServer(l1: l1)
        defer { server.stop() }
        let database = try TestDatabase()
        var configuration = Harness.configuration(mode: .finalized(0), endpoints: [server.url])
        configuration.pollInterval = .milliseconds(20)
        configuration.queryRange = 200
        let watcher = try L1Watcher(configuration: configuration, database: database.db, transport: try curlTransport(),
                                    logger: quietLogger)
        let task = Task { try await watcher.run() }
        defer { task.cancel() }

        func waitFor(_ condition: () -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while !condition() {
                guard ContinuousClock.now < deadline else { Issue.record("timed out"); return }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        try await waitFor { watcher.status.nextQueueIndex == 3000 && watcher.isCaughtUp }
        let index = chain.enqueue(message(9999, data: Array(0..<70)))
        chain.mine(3)
        try await waitFor { watcher.eligibleMessages(startingAt: index, max: 1, gasLimit: .max).count == 1 }
        let stored = try #require(try watcher.message(queueIndex: index))
        #expect(stored.transaction.data == Array(0..<70))
        #expect(stored.transaction.sender == message(9999).sender)
        task.cancel()
        try await task.value
        #expect(try storedMessages(watcher).count == 3001)
    }
}
