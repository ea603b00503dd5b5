import Logging
import Synchronization
import TestSupport
@testable import RPC

/// Starts an `RPCServer` on a free loopback port for the duration of `body`, then cancels it.
func withServer(
    _ configuration: RPCServer.Configuration = .testing(),
    health: @escaping @Sendable () async -> RPCServer.Health = { .serving(headNumber: 42) },
    logger: Logger = Logger(label: "rpc"),
    _ body: (RPCServer, Int) async throws -> Void
) async throws {
    let server = RPCServer(configuration: configuration, methods: TestMethods.table(), health: health, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let port = try await server.boundPort()
        do {
            try await body(server, port)
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}

extension RPCServer.Configuration {
    /// Loopback, port 0, the test namespaces, and the given overrides. The idle and request
    /// timeouts are out of reach unless a test sets them: they are tested on testing loops.
    static func testing(
        corsOrigins: [String] = [], maxBodySize: Int = 5 * 1024 * 1024, maxBatchSize: Int = 1000,
        idleTimeout: Duration = .seconds(3600), requestTimeout: Duration = .seconds(3600), maxConnections: Int = 64,
        headerTimeout: Duration = .seconds(3600), shutdownGracePeriod: Duration = .seconds(5)
    ) -> RPCServer.Configuration {
        RPCServer.Configuration(
            host: "127.0.0.1", port: 0, corsOrigins: corsOrigins, maxBodySize: maxBodySize, maxBatchSize: maxBatchSize,
            idleTimeout: idleTimeout, requestTimeout: requestTimeout, headerTimeout: headerTimeout, maxConnections: maxConnections,
            enabledNamespaces: TestMethods.testNamespaces, shutdownGracePeriod: shutdownGracePeriod)
    }
}

extension RawHTTPConnection {
    /// POSTs a JSON-RPC body to `/`.
    func rpc(_ body: String, headers: [(String, String)] = [("Content-Type", "application/json")]) async throws -> RawHTTPResponse {
        try await request("POST", "/", headers: headers, body: body)
    }
}

/// A JSON-RPC call body.
func call(_ method: String, id: Int = 1, params: String = "[]") -> String {
    #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#
}
