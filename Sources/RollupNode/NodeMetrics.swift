import CoreMetrics
import Engine
import Foundation
import L1Watcher
import Prometheus
import RPC
import Storage
import Synchronization

/// The node's Prometheus metrics: bootstraps swift-metrics with swift-prometheus (so the
/// engine's and the RPC layer's metrics land in one registry), counts blocks as the chain
/// commits them, and samples the rest (head, mempool, L1, connections, process) when scraped.
/// Names and meanings: docs/metrics.md.
final class NodeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private struct Sources: Sendable {
        var mempool: Mempool?
        var watcher: L1Watcher?
        var http: RPCServer?
        var ws: WebSocketServer?
        var sequencer: Sequencer<Mempool, ContinuousClock>?
        var database: RocksDatabase?
    }

    private let sources = Mutex(Sources())
    private let lastBlock = Mutex<(number: UInt64, at: ContinuousClock.Instant)?>(nil)
    private let l1Failures = Mutex<[String: Int]>([:])

    // Event-driven.
    private let blocks: CoreMetrics.Counter
    private let transactions: CoreMetrics.Counter
    private let l1MessagesIncluded: CoreMetrics.Counter
    private let rollbacks: CoreMetrics.Counter
    private let blockTransactions: CoreMetrics.Recorder
    private let blockGas: CoreMetrics.Recorder
    // Sampled at scrape.
    private let headNumber: CoreMetrics.Gauge
    private let sinceLastBlock: CoreMetrics.Gauge
    private let mempoolPending: CoreMetrics.Gauge
    private let mempoolQueued: CoreMetrics.Gauge
    private let l1Latest: CoreMetrics.Gauge
    private let l1Finalized: CoreMetrics.Gauge
    private let l1Processed: CoreMetrics.Gauge
    private let l1Pending: CoreMetrics.Gauge
    private let l1Lag: CoreMetrics.Gauge
    private let httpConnections: CoreMetrics.Gauge
    private let wsConnections: CoreMetrics.Gauge
    private let wsSubscriptions: CoreMetrics.Gauge
    private let residentMemory: CoreMetrics.Gauge
    private let openFDs: CoreMetrics.Gauge
    private let sequencingEnabled: CoreMetrics.Gauge
    private let databaseLiveData: CoreMetrics.Gauge
    private let databasePendingCompaction: CoreMetrics.Gauge
    private let databaseFiles: CoreMetrics.Gauge

    /// Bootstraps the process-wide metrics system; call once, before the components start.
    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets = [
            "rollup_node_block_transactions": [0, 1, 5, 10, 50, 100, 500, 1000, 2500, 5000, 10000],
            "rollup_node_block_gas_used": [0, 21_000, 100_000, 1e6, 5e6, 1e7, 3e7, 1e8, 2e8],
        ]
        MetricsSystem.bootstrap(factory)
        blocks = Counter(label: "rollup_node_blocks_total")
        transactions = Counter(label: "rollup_node_transactions_total")
        l1MessagesIncluded = Counter(label: "rollup_node_l1_messages_included_total")
        rollbacks = Counter(label: "rollup_node_rollbacks_total")
        blockTransactions = Recorder(label: "rollup_node_block_transactions", aggregate: true)
        blockGas = Recorder(label: "rollup_node_block_gas_used", aggregate: true)
        headNumber = Gauge(label: "rollup_node_head_block_number")
        sinceLastBlock = Gauge(label: "rollup_node_seconds_since_last_block")
        mempoolPending = Gauge(label: "rollup_node_mempool_pending_transactions")
        mempoolQueued = Gauge(label: "rollup_node_mempool_queued_transactions")
        l1Latest = Gauge(label: "rollup_node_l1_latest_block_number")
        l1Finalized = Gauge(label: "rollup_node_l1_finalized_block_number")
        l1Processed = Gauge(label: "rollup_node_l1_processed_block_number")
        l1Pending = Gauge(label: "rollup_node_l1_messages_pending")
        l1Lag = Gauge(label: "rollup_node_l1_lag_blocks")
        httpConnections = Gauge(label: "rollup_node_rpc_open_connections", dimensions: [("transport", "http")])
        wsConnections = Gauge(label: "rollup_node_rpc_open_connections", dimensions: [("transport", "ws")])
        wsSubscriptions = Gauge(label: "rollup_node_ws_subscriptions")
        residentMemory = Gauge(label: "rollup_node_process_resident_memory_bytes")
        openFDs = Gauge(label: "rollup_node_process_open_fds")
        sequencingEnabled = Gauge(label: "rollup_node_sequencing_enabled")
        databaseLiveData = Gauge(label: "rollup_node_rocksdb_live_data_bytes")
        databasePendingCompaction = Gauge(label: "rollup_node_rocksdb_pending_compaction_bytes")
        databaseFiles = Gauge(label: "rollup_node_rocksdb_sst_files_bytes")
    }

    /// Counts each committed block (and notices rollbacks).
    func observe(_ chain: Chain) {
        let head = chain.headBlock
        lastBlock.withLock { $0 = (head.number, .now) }
        chain.onNewHead { [self] block in
            let rolledBack = lastBlock.withLock { last -> Bool in
                defer { last = (block.number, .now) }
                return last.map { block.number <= $0.number } ?? false
            }
            if rolledBack { rollbacks.increment(); return }
            blocks.increment()
            transactions.increment(by: block.transactions.count)
            l1MessagesIncluded.increment(by: block.l1MessageCount)
            blockTransactions.record(block.transactions.count)
            blockGas.record(block.header.gasUsed)
        }
        headNumber.record(head.number)
    }

    func watch(mempool: Mempool, watcher: L1Watcher?, sequencer: Sequencer<Mempool, ContinuousClock>?) {
        sources.withLock { $0.mempool = mempool; $0.watcher = watcher; $0.sequencer = sequencer }
    }

    func watch(database: RocksDatabase) {
        sources.withLock { $0.database = database }
    }

    func watch(http: RPCServer?, ws: WebSocketServer?) {
        sources.withLock { $0.http = http; $0.ws = ws }
    }

    /// Samples the gauges and renders the exposition.
    func render() -> [UInt8] {
        let s = sources.withLock { $0 }
        if let last = lastBlock.withLock({ $0 }) {
            headNumber.record(last.number)
            let elapsed = last.at.duration(to: .now)
            sinceLastBlock.record(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        if let mempool = s.mempool {
            let status = mempool.status
            mempoolPending.record(status.pending)
            mempoolQueued.record(status.queued)
        }
        if let watcher = s.watcher {
            let status = watcher.status
            if let v = status.latestBlock { l1Latest.record(v) }
            if let v = status.finalizedBlock { l1Finalized.record(v) }
            if let v = status.lastProcessedBlock { l1Processed.record(v) }
            if let latest = status.latestBlock, let processed = status.lastProcessedBlock {
                l1Lag.record(latest >= processed ? latest - processed : 0)
            }
            l1Pending.record(status.pendingMessageCount)
            for endpoint in status.endpoints {
                let delta = l1Failures.withLock { seen -> Int in
                    defer { seen[endpoint.url] = endpoint.failures }
                    return endpoint.failures - (seen[endpoint.url] ?? 0)
                }
                Counter(label: "rollup_node_l1_request_errors_total", dimensions: [("endpoint", Self.redacted(endpoint.url))])
                    .increment(by: max(delta, 0))
            }
        }
        if let sequencer = s.sequencer { sequencingEnabled.record(sequencer.isEnabled ? 1 : 0) }
        if let http = s.http { httpConnections.record(http.openConnections) }
        if let ws = s.ws {
            wsConnections.record(ws.openConnections)
            wsSubscriptions.record(ws.openSubscriptions)
        }
        if let database = s.database {
            if let v = database.integerProperty("rocksdb.estimate-live-data-size") { databaseLiveData.record(v) }
            if let v = database.integerProperty("rocksdb.estimate-pending-compaction-bytes") { databasePendingCompaction.record(v) }
            if let v = database.integerProperty("rocksdb.total-sst-files-size") { databaseFiles.record(v) }
        }
        if let rss = Self.residentMemoryBytes() { residentMemory.record(rss) }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") { openFDs.record(fds.count) }
        return registry.emitToBuffer()
    }

    /// An L1 endpoint for a label: scheme, host and port only (no path, which may hold an API key).
    static func redacted(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "invalid" }
        return "\(components.scheme ?? "http")://\(host)\(components.port.map { ":\($0)" } ?? "")"
    }

    /// VmRSS from /proc/self/status, in bytes (Linux).
    static func residentMemoryBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }

    /// Counts a transaction the mempool accepted or rejected (`reason`: the rejection's case).
    static func recordAdmission(_ error: (any Error)?) {
        guard let error else {
            Counter(label: "rollup_node_mempool_admissions_total").increment()
            return
        }
        let reason: String
        if let mempoolError = error as? MempoolError {
            reason = Mirror(reflecting: mempoolError).children.first?.label ?? "\(mempoolError)"
        } else {
            reason = "other"
        }
        Counter(label: "rollup_node_mempool_rejections_total", dimensions: [("reason", reason)]).increment()
    }

    /// Times one signature and counts failures, labelled by the signer backend's kind.
    static func recordSigning(backend: String, duration: Duration, failed: Bool) {
        let (seconds, attoseconds) = duration.components
        CoreMetrics.Timer(label: "rollup_node_signer_duration_seconds", dimensions: [("backend", backend)])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        if failed { Counter(label: "rollup_node_signer_errors_total", dimensions: [("backend", backend)]).increment() }
    }

    /// A follower's imported block: verification, re-execution and commit time, how far behind
    /// its source it still is, and the delay from the source's commit to its arrival here.
    static func recordFollowerImport(duration: Duration, behind: UInt64, propagationMs: Int64?) {
        if let propagationMs {
            CoreMetrics.Timer(label: "rollup_node_follower_propagation_seconds").recordMilliseconds(max(0, propagationMs))
        }
        let (seconds, attoseconds) = duration.components
        Counter(label: "rollup_node_follower_imported_blocks_total").increment()
        CoreMetrics.Timer(label: "rollup_node_follower_import_duration_seconds")
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        Gauge(label: "rollup_node_follower_behind_blocks").record(Double(behind))
    }

    /// A follower's refusal of a block or notice, by kind (`signer`, `reexecution`,
    /// `double_sign`, …).
    static func recordFollowerRefusal(kind: String) {
        Counter(label: "rollup_node_follower_refused_blocks_total", dimensions: [("reason", kind)]).increment()
    }
}
