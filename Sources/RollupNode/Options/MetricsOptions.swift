import ArgumentParser

/// Prometheus metrics (geth's and l2geth's flags).
struct MetricsOptions: ParsableArguments {
    @Flag(name: .customLong("metrics"), help: "Serve Prometheus metrics on http://<metrics.addr>:<metrics.port>/metrics. reth's form `--metrics <addr:port>` (e.g. --metrics 127.0.0.1:9001) sets both.")
    var enabled = false

    @Option(name: .customLong("metrics.addr"), help: "Address the metrics server listens on.")
    var addr: String = "127.0.0.1"

    @Option(name: .customLong("metrics.port"), help: "Port the metrics server listens on (0 picks a free one).")
    var port: Int = 6060

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--metrics.port must be between 0 and 65535") }
        guard !addr.isEmpty else { throw ValidationError("--metrics.addr is empty") }
    }
}
