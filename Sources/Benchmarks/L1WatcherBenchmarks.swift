import FakeL1
import Foundation
import HTTPClient
import L1Watcher
import Logging
import Primitives
import Storage

/// The L1 watcher against the fake L1 over loopback, through the curl client the node uses:
/// the time to sync 100,000 L1 messages from scratch, and the per-block cost of selecting 100
/// eligible messages (and of recording their inclusion). The fake server runs in this process
/// on the same cores, so its JSON work is included in the sync figure.
enum L1WatcherBenchmarks {
    static let quiet = Logger(label: "watcher", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run() async throws {
        let messages = 100_000, perBlock = 10, dataBytes = 100
        let chain = FakeL1Chain(finalizedDistance: 64)
        chain.mineGenerated(blocks: messages / perBlock, perBlock: perBlock, dataBytes: dataBytes)
        let l1 = FakeL1(chain: chain)
        let server = try FakeL1HTTPServer(l1: l1)
        defer { server.stop() }

        let directory = NSTemporaryDirectory() + "rollup-bench-l1-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = try RocksDatabase.open(path: directory, columnFamilies: L1Watcher.columnFamilies)
        defer { db.close() }
        let configuration = L1Watcher.Configuration(
            endpoints: [server.url], chainID: chain.chainID, messageQueue: chain.messageQueue, startBlock: 0,
            inclusionMode: .finalized(0), queryRange: 500)
        let client = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(30), maxResponseBytes: 64 << 20), label: "l1-bench")
        let watcher = try L1Watcher(configuration: configuration, database: db, transport: HTTPClientL1Transport(client: client), logger: quiet)

        let clock = ContinuousClock()
        let start = clock.now
        var steps = 0
        while true {
            steps += 1
            if try await watcher.step().isCaughtUp { break }
        }
        let elapsed = seconds(start.duration(to: clock.now))
        let status = watcher.status
        precondition(status.nextQueueIndex == UInt64(messages), "synced \(status.nextQueueIndex) of \(messages)")
        print("l1: \(messages) messages in \(messages / perBlock) L1 blocks (\(dataBytes)-byte data), query range 500, finalized = latest - 64")
        report("l1 sync 100,000 messages over loopback (curl + fake L1)", elapsed, unit: "s", decimals: 2)
        report("l1 sync throughput", Double(messages) / elapsed, unit: "messages/s", decimals: 0)
        report("l1 sync requests (\(steps) steps)", Double(l1.requestCount()), unit: "requests", decimals: 0)

        // Selecting 100 eligible messages for a block, walking the queue as the sequencer does.
        var next: UInt64 = 0
        let selection = measure(seconds: 2) {
            let batch = watcher.eligibleMessages(startingAt: next, max: 100, gasLimit: 30_000_000)
            precondition(batch.count == 100)
            next = next + 100 >= 90_000 ? 0 : next + 100  // below the finalized boundary (head - 64)
            blackHole(batch)
        }
        report("l1 eligibleMessages(max: 100) per block", 1e6 / selection.perSecond, unit: "µs", decimals: 1)

        // Recording the inclusion of 100 messages per block (the watcher's own synced write).
        var l2Block: UInt64 = 1
        next = 0
        let blocks = 300
        let t0 = clock.now
        for _ in 0..<blocks {
            let batch = watcher.eligibleMessages(startingAt: next, max: 100, gasLimit: 30_000_000)
            try watcher.markIncluded(batch, l2Block: l2Block)
            next += 100
            l2Block += 1
        }
        let perBlock100 = seconds(t0.duration(to: clock.now)) / Double(blocks)
        report("l1 select + markIncluded(100 messages) per block, fsync", perBlock100 * 1e6, unit: "µs", decimals: 0)
        var batch = WriteBatch()
        let t1 = clock.now
        for _ in 0..<blocks {
            let messages = watcher.eligibleMessages(startingAt: next, max: 100, gasLimit: 30_000_000)
            try watcher.markIncluded(messages, l2Block: l2Block, in: &batch)
            next += 100
            l2Block += 1
        }
        let staged = seconds(t1.duration(to: clock.now)) / Double(blocks)
        report("l1 select + markIncluded(100, in: node batch) per block", staged * 1e6, unit: "µs", decimals: 0)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
