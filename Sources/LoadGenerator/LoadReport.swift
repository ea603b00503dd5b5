import Foundation

/// The figures of a run, printed as `figure: value` lines.
struct LoadReport {
    let options: LoadOptions
    let statistics: LoadStatistics
    let window: ClosedRange<UInt64>
    let t0: UInt64
    let ecrecover: Double?
    let samples: ResourceSamples
    let atStart: ResourceSnapshot
    let atEnd: ResourceSnapshot
    let pendingAtEnd: Int
    let nodeLog: String?

    func line(_ name: String, _ value: String) {
        let padded = name.count >= 44 ? name : name + String(repeating: " ", count: 44 - name.count)
        Swift.print("  \(padded) \(value)")
    }

    func grouped(_ v: Double) -> String {
        let n = Int(v.rounded())
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    func print() {
        let s = statistics
        let seconds = Double(window.upperBound - window.lowerBound) / 1e9
        let included = Double(s.includedInWindow) / seconds
        Swift.print("== rollup-load figures over the \(fmt(seconds, 0)) s window (after \(fmt(options.warmup, 0)) s of warm-up)")
        line("accepted (eth_sendRawTransaction)", "\(grouped(Double(s.acceptedInWindow) / seconds)) tx/s")
        line("included (receipts received)", "\(grouped(included)) tx/s")
        // Sustained: the slowest 10-second stretch of the window.
        let first = Int((window.lowerBound - t0) / 1_000_000_000)
        let last = first + Int(seconds)
        var slowest: Double?
        var k = first
        while k + 10 <= last {
            let sum = (k..<(k + 10)).reduce(0) { $0 + (s.includedPerSecond.indices.contains($1) ? s.includedPerSecond[$1] : 0) }
            slowest = min(slowest ?? .infinity, Double(sum) / 10)
            k += 10
        }
        if let slowest { line("included, slowest 10 s of the window", "\(grouped(slowest)) tx/s") }
        if let ecrecover {
            line("single-core ecrecover", "\(grouped(ecrecover)) /s")
            line("included / single-core ecrecover", "\(fmt(100 * included / ecrecover, 1)) %")
        }
        let sorted = s.latencies.sorted()
        if let p50 = LoadStatistics.percentile(sorted, 0.50), let p99 = LoadStatistics.percentile(sorted, 0.99) {
            line("submit-to-receipt latency p50 / p99 / max", "\(fmt(p50, 3)) s / \(fmt(p99, 3)) s / \(fmt(Double(sorted.last!) / 1e9, 3)) s (\(grouped(Double(sorted.count))) transactions sent in the window)")
        }
        let missing = s.sentInWindow - sorted.count
        if missing > 0 { line("sent in the window, no receipt by the end", "\(grouped(Double(missing)))") }
        let blocks = s.blocks.filter { window.contains($0.at) }
        if !blocks.isEmpty {
            let txs = blocks.reduce(0) { $0 + $1.transactions }
            line("blocks per second", "\(fmt(Double(blocks.count) / seconds, 2)) (\(grouped(Double(txs) / Double(blocks.count))) transactions per block, at most \(grouped(Double(blocks.map(\.transactions).max()!))))")
        }
        let rss = samples.rss.filter { window.contains($0.at) }
        if let firstRSS = rss.first, let lastRSS = rss.last {
            let mib = { (b: UInt64) in "\(b >> 20) MiB" }
            line("node resident memory (VmRSS)", "start \(mib(firstRSS.bytes)), end \(mib(lastRSS.bytes)), min \(mib(rss.map(\.bytes).min()!)), max \(mib(rss.map(\.bytes).max()!))")
            if seconds >= 120 {
                let head = rss.filter { $0.at < window.lowerBound + 60_000_000_000 }.map { Double($0.bytes) }
                let tail = rss.filter { $0.at > window.upperBound - 60_000_000_000 }.map { Double($0.bytes) }
                let a = head.reduce(0, +) / Double(head.count), b = tail.reduce(0, +) / Double(tail.count)
                line("node memory growth (last vs first minute)", "\(fmt(100 * (b - a) / a, 1)) % (means \(Int(a) >> 20) -> \(Int(b) >> 20) MiB)")
            } else {
                let a = Double(firstRSS.bytes), b = Double(lastRSS.bytes)
                line("node memory growth (end vs start)", "\(fmt(100 * (b - a) / a, 1)) %")
            }
        }
        if let d0 = atStart.diskBytes, let d1 = atEnd.diskBytes {
            let n = atEnd.included - atStart.included
            let delta = Double(d1) - Double(d0)
            line("datadir growth in the window", "\(grouped(delta / 1_048_576)) MiB for \(grouped(Double(n))) transactions (now \(grouped(Double(d1) / 1_048_576)) MiB)")
            if n > 0 { line("disk bytes per 1,000 transactions", "\(grouped(delta / Double(n) * 1000))") }
        }
        let wall = Double(atEnd.at - atStart.at) / 1e9
        if let a = atStart.nodeCPU, let b = atEnd.nodeCPU { line("node CPU", "\(fmt((b - a) / wall, 2)) cores") }
        if let a = atStart.ownCPU, let b = atEnd.ownCPU { line("load generator CPU", "\(fmt((b - a) / wall, 2)) cores") }
        if let a = atStart.machine, let b = atEnd.machine, b.total > a.total {
            let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
            let busy = (b.busy - a.busy) / (b.total - a.total)
            line("machine busy", "\(fmt(100 * busy, 0)) % of \(Int(cores)) cores")
            if let n0 = atStart.nodeCPU, let n1 = atEnd.nodeCPU, let o0 = atStart.ownCPU, let o1 = atEnd.ownCPU {
                let others = busy * cores - (n1 - n0) / wall - (o1 - o0) / wall
                line("other processes (busy - node - generator)", "\(fmt(max(0, others), 2)) cores")
            }
        }
        line("totals", "\(grouped(Double(s.accepted))) acceptances (a resend after a restart counts again), \(grouped(Double(s.included))) included, \(s.failedReceipts) failed receipts, \(pendingAtEnd) without a receipt at the end")
        if s.restarts > 0 { line("node restarts survived", "\(s.restarts)") }
        if let ran = s.ranOutOfTransactions {
            line("ran out of pre-signed transactions", "at t=\(fmt(Double(ran - t0) / 1e9, 1)) s (raise --presign)")
        }
        for (kind, count) in s.rejections.sorted(by: { $0.value > $1.value }) {
            line("rejected: \(kind)", "\(count) (e.g. \"\(s.rejectionExamples[kind] ?? "")\")")
        }
        if let nodeLog, let text = try? String(contentsOfFile: nodeLog, encoding: .utf8) {
            let overruns = text.components(separatedBy: "Slot overran").count - 1
            let late = text.components(separatedBy: "Woke up late").count - 1
            let failed = text.components(separatedBy: "Slot failed").count - 1
            line("node log: slot overruns / late wake-ups / failed slots", "\(overruns) / \(late) / \(failed)")
        }
    }
}
