import Dispatch
import Foundation
import Primitives

/// One run: measure ecrecover, start (or reach) the node, check and pre-sign the senders, load
/// it through warm-up, window and drain, sample its memory, CPU and disk, and print the figures.
struct LoadRun {
    let options: LoadOptions

    /// Transactions per second assumed for `--rate 0` when sizing the pre-signed plan: the
    /// benchmark chain's gas limit holds 9,523 transfers, one block per second by default.
    static let assumedMaxRate = 10_000.0

    func run() throws(LoadGeneratorError) {
        say("rollup-load: \(ProcessInfo.processInfo.activeProcessorCount) cores (\(SystemProbe.cpuModel)), \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; load average \(SystemProbe.loadAverage()) before the run")
        var ecrecover: Double?
        if !options.skipEcrecover {
            let rate = EcrecoverRate.measure()
            ecrecover = rate
            say("rollup-load: single-core ecrecover (Secp256k1.recoverAddress, one thread, best of 3 x 1 s): \(Int(rate)) /s")
        }

        var node: NodeProcess?
        var workdir: String?
        let endpoint: HTTPEndpoint
        var datadir = options.datadir
        var nodePID = options.nodePID
        switch options.target {
        case .binary(let binary):
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rollup-load-\(getpid())").path
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            workdir = dir
            let d = options.datadir ?? dir + "/datadir"
            datadir = d
            let n = try NodeProcess(binary: binary, chain: options.chain, datadir: d, logPath: dir + "/node.log",
                                    extraArguments: options.nodeArguments)
            say("rollup-load: starting \(n.commandLine)")
            try n.start()
            node = n
            nodePID = n.pid
            endpoint = n.endpoint
            say("rollup-load: node pid \(n.pid), log \(n.logPath)")
        case .url(let url):
            endpoint = HTTPEndpoint(url: url)!
        }
        defer {
            if let node {
                node.stop()
                if options.datadir == nil, let workdir { try? FileManager.default.removeItem(atPath: workdir + "/datadir") }
                say("rollup-load: node stopped; its log is \(node.logPath)")
            }
        }
        try load(endpoint: endpoint, nodePID: nodePID, datadir: datadir, ecrecover: ecrecover, nodeLog: node?.logPath)
    }

    private func load(endpoint: HTTPEndpoint, nodePID: Int32?, datadir: String?, ecrecover: Double?, nodeLog: String?) throws(LoadGeneratorError) {
        let client = RPCClient(endpoint: endpoint)
        guard let chainID = try client.result("eth_chainId", "[]").quantity,
              let head = try client.result("eth_blockNumber", "[]").quantity else {
            throw LoadGeneratorError(.protocolViolation, "eth_chainId or eth_blockNumber is not a quantity")
        }

        // Senders: their nonces (pending, so a reused node works) and funds.
        let keys = (0..<options.senders).map(BenchAccounts.key)
        let addresses = keys.map(\.address)
        var nonces: [UInt64] = []
        var start = 0
        while start < addresses.count {
            let chunk = addresses[start..<min(addresses.count, start + 500)]
            let replies = try client.batch(chunk.flatMap { a in
                [("eth_getTransactionCount", #"["\#(a)", "pending"]"#), ("eth_getBalance", #"["\#(a)", "latest"]"#)]
            })
            for (k, address) in chunk.enumerated() {
                guard let nonce = replies[2 * k].result?.quantity, let balance = replies[2 * k + 1].result?.stringValue else {
                    throw LoadGeneratorError(.protocolViolation, "eth_getTransactionCount/eth_getBalance of \(address) failed")
                }
                guard balance != "0x0" else {
                    throw LoadGeneratorError(.setup, "bench sender \(start + k) (\(address)) has no funds: is the node running chains/bench.json (rollup-load make-chain)?")
                }
                nonces.append(nonce)
            }
            start += chunk.count
        }

        let seconds = options.warmup + options.duration
        let perSender = options.presignPerSender
            ?? Int(((options.rate > 0 ? options.rate * 1.05 : Self.assumedMaxRate) * seconds + Double(options.maxPending)) / Double(options.senders)) + 1
        let signStart = monotonicNanoseconds()
        let plan = TransactionPlan.sign(chainID: chainID, keys: keys, addresses: addresses, firstNonces: nonces, perSender: perSender,
                                        workload: options.workload)
        say("rollup-load: pre-signed \(perSender * options.senders) \(options.workload.name) (\(options.senders) senders x \(perSender)) in \(fmt(Double(monotonicNanoseconds() - signStart) / 1e9, 1)) s")
        say("rollup-load: \(options.concurrency) connections, rate \(options.rate > 0 ? "\(fmt(options.rate, 0)) tx/s" : "as fast as possible") (at most \(options.maxPending) pending), warm-up \(fmt(options.warmup, 0)) s, window \(fmt(options.duration, 0)) s, chain id \(chainID), head \(head)")

        let t0 = monotonicNanoseconds()
        let windowStart = t0 + UInt64(options.warmup * 1e9)
        let windowEnd = windowStart + UInt64(options.duration * 1e9)
        let controller = LoadController(plan: plan, rate: options.rate, maxPending: options.maxPending, window: windowStart...windowEnd,
                                        start: t0, surviveRestarts: options.surviveRestarts)
        let threads = DispatchGroup()
        func spawn(_ body: @escaping @Sendable () -> Void) {
            threads.enter()
            let thread = Thread {
                body()
                threads.leave()
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        let follower = BlockFollower(controller: controller, endpoint: endpoint, firstBlock: head + 1, receiptsLog: options.receiptsLog)
        spawn { follower.run() }
        for _ in 0..<options.concurrency {
            let submitter = Submitter(controller: controller, endpoint: endpoint)
            spawn { submitter.run() }
        }

        // The main thread samples once a second and moves the run through its phases.
        var samples = ResourceSamples()
        var atWindowStart: ResourceSnapshot?
        var atWindowEnd: ResourceSnapshot?
        var lastProgress = t0
        var lastCounts = controller.progress
        let drainDeadline = windowEnd + UInt64(options.drain * 1e9)
        var tick = t0
        if options.warmup == 0 {
            atWindowStart = ResourceSnapshot.take(nodePID: nodePID, datadir: datadir, included: 0)
        }
        while true {
            // Wake each second, and exactly at the window's edges.
            var wake = tick + 1_000_000_000
            if atWindowStart == nil { wake = min(wake, windowStart) }
            if atWindowEnd == nil { wake = min(wake, windowEnd) }
            let now0 = monotonicNanoseconds()
            if wake > now0 { sleepNanoseconds(wake - now0) }
            let now = monotonicNanoseconds()
            if now >= tick + 1_000_000_000 {
                tick += 1_000_000_000
                if let nodePID, let rss = SystemProbe.residentBytes(pid: nodePID) { samples.rss.append((now, rss)) }
            }
            if atWindowStart == nil && now >= windowStart {
                atWindowStart = ResourceSnapshot.take(nodePID: nodePID, datadir: datadir, included: controller.progress.included)
            }
            if atWindowEnd == nil && now >= windowEnd {
                atWindowEnd = ResourceSnapshot.take(nodePID: nodePID, datadir: datadir, included: controller.progress.included)
                controller.stopSubmitting()
                say("rollup-load: window over; waiting up to \(fmt(options.drain, 0)) s for \(controller.pendingCount) outstanding receipts")
            }
            if options.progressInterval > 0 && Double(now - lastProgress) / 1e9 >= options.progressInterval - 0.01 {
                let p = controller.progress
                let dt = Double(now - lastProgress) / 1e9
                let rss = samples.rss.last.map { " node RSS \($0.1 >> 20) MiB" } ?? ""
                say("rollup-load: t=\(fmt(Double(now - t0) / 1e9, 0)) s accepted \(fmt(Double(p.accepted - lastCounts.accepted) / dt, 0))/s included \(fmt(Double(p.included - lastCounts.included) / dt, 0))/s pending \(p.pending) head \(p.lastBlock.map(String.init) ?? "-")\(rss)\(p.restarts > 0 ? " restarts \(p.restarts)" : "")")
                lastProgress = now
                lastCounts = p
            }
            if controller.failureReason != nil { break }
            if atWindowEnd != nil && (controller.pendingCount == 0 || now >= drainDeadline) { break }
        }
        controller.finish()
        threads.wait()
        if let failure = controller.failureReason { throw failure }

        LoadReport(options: options, statistics: controller.statistics, window: windowStart...windowEnd, t0: t0,
                   ecrecover: ecrecover, samples: samples, atStart: atWindowStart!, atEnd: atWindowEnd!,
                   pendingAtEnd: controller.pendingCount, nodeLog: nodeLog).print()
    }
}

func fmt(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

/// The resident-memory samples of the node, once a second.
struct ResourceSamples {
    var rss: [(at: UInt64, bytes: UInt64)] = []
}

/// CPU times, the datadir's size and the receipts so far, at one instant.
struct ResourceSnapshot {
    var at: UInt64
    var nodeCPU: Double?
    var ownCPU: Double?
    var machine: (busy: Double, total: Double)?
    var diskBytes: UInt64?
    var included: Int

    static func take(nodePID: Int32?, datadir: String?, included: Int) -> ResourceSnapshot {
        ResourceSnapshot(at: monotonicNanoseconds(), nodeCPU: nodePID.flatMap(SystemProbe.cpuSeconds), ownCPU: SystemProbe.cpuSeconds(pid: 0),
                         machine: SystemProbe.machineJiffies(), diskBytes: datadir.map(SystemProbe.diskBytes), included: included)
    }
}
