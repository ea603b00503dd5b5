import Testing
import TestSupport
@testable import RPC

@Suite struct MetricsServerTests {
    @Test func servesTheRenderedExpositionOnMetricsOnly() async throws {
        let server = MetricsServer(host: "127.0.0.1", port: 0) { Array("# TYPE x counter\nx 1\n".utf8) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.boundPort()
            let c = try await RawHTTPConnection.connect(port: port)
            let ok = try await c.request("GET", "/metrics", headers: [])
            #expect(ok.status == 200)
            #expect(String(decoding: ok.body, as: UTF8.self) == "# TYPE x counter\nx 1\n")
            #expect(try await c.request("GET", "/debug/metrics/prometheus", headers: []).status == 200)
            #expect(try await c.request("GET", "/", headers: []).status == 404)
            #expect(try await c.request("POST", "/metrics", headers: []).status == 405)
            group.cancelAll()
        }
    }
}
