import CoreMetrics

/// The JSON-RPC metrics of one dispatcher (one transport), made once per method so that a call
/// costs no lookup in the metrics backend: `rollup_node_rpc_requests_total`,
/// `rollup_node_rpc_errors_total` and `rollup_node_rpc_request_duration_seconds`, labelled
/// with `method` and `transport` (`http`, `ws`). Unknown methods share the label `unknown`, so
/// that clients cannot create label values at will. No-ops until the node bootstraps a backend.
struct RPCMetrics: Sendable {
    struct Method: Sendable {
        let requests: CoreMetrics.Counter
        let errors: CoreMetrics.Counter
        let duration: CoreMetrics.Timer

        init(method: String, transport: String) {
            let dimensions = [("method", method), ("transport", transport)]
            requests = CoreMetrics.Counter(label: "rollup_node_rpc_requests_total", dimensions: dimensions)
            errors = CoreMetrics.Counter(label: "rollup_node_rpc_errors_total", dimensions: dimensions)
            duration = CoreMetrics.Timer(label: "rollup_node_rpc_request_duration_seconds", dimensions: dimensions)
        }
    }

    private let methods: [String: Method]
    private let unknown: Method

    init(names: [String], transport: String) {
        var methods: [String: Method] = [:]
        for name in names { methods[name] = Method(method: name, transport: transport) }
        self.methods = methods
        unknown = Method(method: "unknown", transport: transport)
    }

    func record(_ name: String, nanoseconds: Int64, failed: Bool) {
        let m = methods[name] ?? unknown
        m.requests.increment()
        if failed { m.errors.increment() }
        m.duration.recordNanoseconds(nanoseconds)
    }
}
