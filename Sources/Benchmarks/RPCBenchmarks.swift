import Foundation
import JSON
import RPC

#if canImport(Glibc)
    import Glibc
#endif

/// JSON-RPC figures: the dispatcher in-process (no sockets), then the HTTP server on loopback
/// under 64 keep-alive connections driven by blocking client threads in this same process
/// (so client and server share the machine's cores). `web3_clientVersion` runs inline;
/// `bench_constant` returns a constant as a default (guarded) method, raced against the
/// request deadline in its own task.
enum RPCBenchmarks {
    static let connections = 64
    static let seconds = 5.0

    static let namespaces = RPCDispatcher.Configuration.defaultNamespaces.union(["bench"])

    static var methods: RPCMethodTable {
        var methods = RPCMethodTable()
        methods.registerNodeInfoMethods(chainID: 534_352)
        methods.register("bench_constant") { _ in .string("0x2a") }  // guarded: raced against the deadline
        return methods
    }

    /// `rollup-bench rpc-serve`: serves the benchmark methods on 127.0.0.1:8545 for `seconds`,
    /// for an external load tool (e.g. wrk with a POST script) in another process.
    static func serve(seconds: Int) async {
        let server = RPCServer(
            configuration: .init(port: 8545, maxConnections: 1024, enabledNamespaces: namespaces),
            methods: methods, health: { .serving(headNumber: 0) })
        print("rpc-serve: http://127.0.0.1:8545 for \(seconds) s")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await server.run() }
            try? await Task.sleep(for: .seconds(seconds))
            group.cancelAll()
        }
    }

    static func run() async {
        let methods = self.methods

        await dispatcherFigures(methods: methods, namespaces: namespaces)
        print("rpc http: \(connections) blocking client threads in this process share the cores with the server")

        let server = RPCServer(
            configuration: .init(host: "127.0.0.1", port: 0, maxConnections: 256, enabledNamespaces: namespaces),
            methods: methods, health: { .serving(headNumber: 0) })
        let serverTask = Task { try await server.run() }
        guard let port = try? await server.boundPort() else {
            print("rpc: the server did not start")
            return
        }
        for method in ["web3_clientVersion", "bench_constant"] {
            let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":[]}"#
            let request = Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
            let result = await Task.detached { LoadGenerator.run(port: port, request: request, connections: connections, seconds: seconds) }.value
            guard let result else {
                print("rpc: the load generator failed")
                continue
            }
            let label = "rpc http \(method), \(connections) conns"
            report(label, result.requestsPerSecond, unit: "req/s", decimals: 0)
            report(label + " p50", result.p50Microseconds, unit: "us", decimals: 0)
            report(label + " p99", result.p99Microseconds, unit: "us", decimals: 0)
            if result.errors > 0 { print("rpc: \(result.errors) failed requests") }
        }
        serverTask.cancel()
        _ = await serverTask.result
    }

    static func dispatcherFigures(methods: RPCMethodTable, namespaces: Set<String>) async {
        let dispatcher = RPCDispatcher(methods: methods, configuration: .init(enabledNamespaces: namespaces))
        for method in ["web3_clientVersion", "bench_constant"] {
            let body = Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":[]}"#.utf8)
            var bytes = 0
            for _ in 0..<10_000 { bytes &+= await dispatcher.respond(to: body)?.count ?? 0 }
            let clock = ContinuousClock()
            let start = clock.now
            var calls = 0
            while clock.now < start.advanced(by: .seconds(1)) {
                for _ in 0..<100 { bytes &+= await dispatcher.respond(to: body)?.count ?? 0 }
                calls += 100
            }
            let elapsed = start.duration(to: clock.now)
            blackHole(bytes)
            let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            report("rpc dispatcher in-process, one caller, \(method)", Double(calls) / s, unit: "req/s", decimals: 0)
        }
        let document = Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":"0x5300000000000000000000000000000000000005","data":"0x70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"},"latest"]}"#.utf8)
        var acc = 0
        let parse = measure(batch: 1000) {
            if let v = try? JSONValue(parsing: document) { acc &+= v.serialized().count }
        }
        blackHole(acc)
        report("json parse+serialize \(document.count)-byte eth_call body", parse.perSecond, unit: "docs/s", decimals: 0)
    }
}
