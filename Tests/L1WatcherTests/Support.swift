import FakeL1
import Foundation
import HTTPClient
import Logging
import Primitives
import Storage
import Synchronization
import Testing
@testable import L1Watcher
import TestSupport

/// Calls the fakes' handlers directly (no HTTP): fast tests of the watcher's logic.
struct InProcessTransport: L1Transport {
    struct Dropped: Error {}
    let endpoints: [String: FakeL1]

    func post(url: String, body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8]) {
        guard let l1 = endpoints[url] else { throw Dropped() }
        let response = l1.handle(body)
        if response.dropConnection { throw Dropped() }
        return (response.status, response.body)
    }
}

/// The real transport path: the HTTPClient module's curl client, as the node plugs it in.
func curlTransport(timeout: Duration = .seconds(5)) throws -> HTTPClientL1Transport {
    HTTPClientL1Transport(client: try CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: timeout), label: "l1-test"))
}

/// Records what the watcher reports.
final class RecordingReorgHandler: L1ReorgHandler {
    private let events = Mutex<[L1MessagesRemoved]>([])
    var received: [L1MessagesRemoved] { events.withLock { $0 } }
    func includedL1MessagesRemoved(_ event: L1MessagesRemoved) async { events.withLock { $0.append(event) } }
}

let quietLogger = Logger(label: "watcher", factory: { _ in SwiftLogNoOpLogHandler() })

let devQueue = try! Address(hex: "0x0000000000000000000000000000000000001000")

/// A temporary datadir with the watcher's column families; reopened to simulate restarts.
final class TestDatabase {
    let path: String
    private(set) var db: RocksDatabase

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("l1watcher-\(UUID().uuidString)").path
        db = try Self.open(path)
    }

    static func open(_ path: String) throws -> RocksDatabase {
        try RocksDatabase.open(path: path, columnFamilies: L1Watcher.columnFamilies,
                               options: StorageConfiguration(blockCacheSize: 1 << 20, writeBufferSize: 1 << 20, maxOpenFiles: 64,
                                                             minimumFreeSpace: 0))
    }

    func reopen() throws {
        db.close()
        db = try Self.open(path)
    }

    deinit {
        db.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A watcher over fakes reached in-process, with a virtual clock.
struct Harness {
    let database: TestDatabase
    let chain: FakeL1Chain
    let l1: FakeL1
    let clock = ManualClock(advancingOnSleep: true)
    let handler = RecordingReorgHandler()
    var watcher: L1Watcher

    static let url = "http://fake-l1.test:8545"

    init(chain: FakeL1Chain = FakeL1Chain(), mode: L1InclusionMode = .depth(0), queryRange: UInt64 = 500,
         configure: (inout L1Watcher.Configuration) -> Void = { _ in }) throws {
        database = try TestDatabase()
        self.chain = chain
        l1 = FakeL1(chain: chain)
        var configuration = Self.configuration(mode: mode, queryRange: queryRange)
        configure(&configuration)
        watcher = try L1Watcher(configuration: configuration, database: database.db,
                                transport: InProcessTransport(endpoints: [Self.url: l1]), reorgHandler: handler,
                                clock: clock, logger: quietLogger)
    }

    static func configuration(mode: L1InclusionMode, queryRange: UInt64 = 500, endpoints: [String] = [url]) -> L1Watcher.Configuration {
        L1Watcher.Configuration(endpoints: endpoints, chainID: 31337, messageQueue: devQueue, startBlock: 0,
                                inclusionMode: mode, queryRange: queryRange)
    }

    /// Closes the database and opens a new watcher on it (a node restart).
    mutating func restart(mode: L1InclusionMode = .depth(0), queryRange: UInt64 = 500) throws {
        try database.reopen()
        watcher = try L1Watcher(configuration: Self.configuration(mode: mode, queryRange: queryRange), database: database.db,
                                transport: InProcessTransport(endpoints: [Self.url: l1]), reorgHandler: handler,
                                clock: clock, logger: quietLogger)
    }
}

/// Steps until caught up (at most `limit` steps); returns the reports.
@discardableResult
func syncUntilCaughtUp(_ watcher: L1Watcher, limit: Int = 1000) async throws -> [L1StepReport] {
    var reports: [L1StepReport] = []
    for _ in 0..<limit {
        let report = try await watcher.step()
        reports.append(report)
        if report.isCaughtUp { return reports }
    }
    Issue.record("not caught up after \(limit) steps")
    return reports
}

/// Every stored message, in key order.
func storedMessages(_ watcher: L1Watcher) throws -> [L1Message] {
    var out: [L1Message] = []
    var index: UInt64 = 0
    while let m = try watcher.message(queueIndex: index) { out.append(m); index += 1 }
    return out
}

func address(_ n: UInt64) -> Address {
    Address([UInt8](repeating: 0, count: 12) + withUnsafeBytes(of: n.bigEndian) { Array($0) })
}

func message(_ n: UInt64, gasLimit: UInt64 = 100_000, data: [UInt8] = []) -> FakeL1Chain.Message {
    FakeL1Chain.Message(sender: address(0xA000 + n), target: address(0xB000 + n), value: U256(n), gasLimit: gasLimit, data: data)
}

/// A chain with one message per block in blocks 1...count (queue index = block - 1).
func chainWithOneMessagePerBlock(_ count: Int, finalizedDistance: UInt64 = 2, gasLimit: UInt64 = 100_000) -> FakeL1Chain {
    let chain = FakeL1Chain(finalizedDistance: finalizedDistance)
    for i in 0..<count { chain.mine(messages: [message(UInt64(i), gasLimit: gasLimit)]) }
    return chain
}

/// Keeps every log record, to check what operators would see.
final class LogCapture: Sendable {
    struct Record: Sendable { var level: Logger.Level; var message: String }
    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }
    func messages(_ level: Logger.Level) -> [String] { all.filter { $0.level == level }.map(\.message) }
    func append(_ r: Record) { records.withLock { $0.append(r) } }

    var logger: Logger {
        Logger(label: "watcher", factory: { _ in Handler(capture: self) })
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.append(Record(level: event.level, message: event.message.description))
        }
    }
}
