import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import RPC

@Suite struct RPCServerLimitsTests {
    @Test func closesConnectionsBeyondTheLimitAndLogsOncePerBurst() async throws {
        let capture = LogCapture()
        let logger = capture.logger(label: "rpc")
        try await withServer(.testing(maxConnections: 2), logger: logger) { server, port in
            let a = try await RawHTTPConnection.connect(port: port)
            let b = try await RawHTTPConnection.connect(port: port)
            #expect(try await a.rpc(call("test_constant")).status == 200)
            #expect(try await b.rpc(call("test_constant")).status == 200)
            for _ in 0..<3 {
                let refused = try await RawHTTPConnection.connect(port: port)
                #expect(try await refused.waitForClose())
            }
            #expect(server.refusedConnections == 3)
            #expect(capture.lines.filter { $0.contains("connection limit reached") }.count == 1)

            a.close()
            var admitted = false
            for _ in 0..<50 where !admitted {
                let c = try await RawHTTPConnection.connect(port: port)
                if let r = try? await c.rpc(call("test_constant")), r.status == 200 { admitted = true } else {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(admitted)
            #expect(capture.lines.contains { $0.contains("accepting RPC connections again") })
            #expect(try await b.rpc(call("test_constant")).status == 200)
        }
    }

    @Test func answersSlowHandlersWithATimeoutError() async throws {
        try await withServer(.testing(requestTimeout: .milliseconds(300))) { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let r = try await c.rpc(call("test_hang"))
            #expect(r.status == 200)
            #expect(r.text == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"request timed out"}}"#)
            #expect(try await c.rpc(call("test_constant")).status == 200)
        }
    }

    @Test func finishesInFlightRequestsOnGracefulShutdown() async throws {
        let server = RPCServer(
            configuration: .testing(shutdownGracePeriod: .seconds(30)), methods: TestMethods.table(),
            health: { .serving(headNumber: 1) })
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            let busy = try await RawHTTPConnection.connect(port: port)
            let idle = try await RawHTTPConnection.connect(port: port)
            #expect(try await idle.rpc(call("test_constant")).status == 200)
            let tag = "shutdown-\(port)"
            try await busy.send(RawHTTPConnection.requestText(
                "POST", "/", headers: [("Content-Type", "application/json")], body: call("test_sleepTagged", params: #"["0x12c","\#(tag)"]"#)))
            try await TestMethods.waitUntilStarted(tag)  // in flight before the shutdown starts
            let start = ContinuousClock.now
            await group.triggerGracefulShutdown()
            #expect(try await idle.waitForClose())
            let r = try await busy.readResponse()
            #expect(r.text == #"{"jsonrpc":"2.0","id":1,"result":true}"#)
            #expect(try await busy.waitForClose())
            try await tasks.waitForAll()
            // Returned when the in-flight request finished, long before the 30 s grace timer.
            #expect(ContinuousClock.now - start < .seconds(20))
            await #expect(throws: (any Error).self) { _ = try await RawHTTPConnection.connect(port: port) }
        }
    }

    @Test func reportsBindFailures() async throws {
        try await withServer { _, port in
            var configuration = RPCServer.Configuration.testing()
            configuration.port = port
            let second = RPCServer(configuration: configuration, methods: TestMethods.table(), health: { .serving(headNumber: 0) })
            await #expect(throws: RPCServerError.self) { try await second.run() }
            await #expect(throws: RPCServerError.self) { _ = try await second.boundPort() }
        }
    }
}
