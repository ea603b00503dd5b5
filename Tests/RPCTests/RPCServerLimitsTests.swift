import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import RPC

@Suite struct RPCServerLimitsTests {
    /// At the limit a newcomer is admitted by closing the connection idle the longest (an idle
    /// flood cannot lock real clients out); logged once per burst.
    @Test func atTheLimitClosesTheLongestIdleConnectionToAdmitANewOne() async throws {
        let capture = LogCapture()
        let logger = capture.logger(label: "rpc")
        try await withServer(.testing(maxConnections: 2), logger: logger) { server, port in
            let oldest = try await RawHTTPConnection.connect(port: port)
            let newer = try await RawHTTPConnection.connect(port: port)
            #expect(try await oldest.rpc(call("test_constant")).status == 200)
            try await Task.sleep(for: .milliseconds(5))
            #expect(try await newer.rpc(call("test_constant")).status == 200)
            let newcomer = try await RawHTTPConnection.connect(port: port)
            #expect(try await newcomer.rpc(call("test_constant")).status == 200)
            #expect(try await oldest.waitForClose())
            #expect(try await newer.rpc(call("test_constant")).status == 200)
            // Connections that never sent a byte are idle too: the next newcomer closes `newer`
            // (idle since its last response), then the one after closes the first newcomer.
            var kept: [RawHTTPConnection] = []
            for _ in 0..<3 {
                let c = try await RawHTTPConnection.connect(port: port)
                #expect(try await c.rpc(call("test_constant")).status == 200)
                kept.append(c)
            }
            #expect(try await newcomer.waitForClose())
            #expect(server.refusedConnections == 0)
            #expect(server.idleConnectionsClosed >= 4)
            #expect(capture.lines.filter { $0.contains("closing the longest-idle connections") }.count == 1)
        }
    }

    /// When every connection is busy with a request, a newcomer is closed (and counted), and
    /// the busy requests still complete.
    @Test func atTheLimitWithEveryConnectionBusyRefusesNewcomers() async throws {
        let capture = LogCapture()
        let logger = capture.logger(label: "rpc")
        try await withServer(.testing(maxConnections: 2), logger: logger) { server, port in
            var busy: [RawHTTPConnection] = []
            var tags: [String] = []
            for i in 0..<2 {
                let c = try await RawHTTPConnection.connect(port: port)
                let tag = "busy-\(port)-\(i)"
                try await c.send(RawHTTPConnection.requestText(
                    "POST", "/", headers: [("Content-Type", "application/json")], body: call("test_holdTagged", params: #"["\#(tag)"]"#)))
                try await TestMethods.waitUntilStarted(tag)
                busy.append(c)
                tags.append(tag)
            }
            for _ in 0..<3 {
                let refused = try await RawHTTPConnection.connect(port: port)
                #expect(try await refused.waitForClose())
            }
            #expect(server.refusedConnections == 3)
            #expect(capture.lines.filter { $0.contains("every connection is busy") }.count == 1)
            for tag in tags { TestMethods.release(tag) }
            for c in busy { #expect(try await c.readResponse().text == #"{"jsonrpc":"2.0","id":1,"result":true}"#) }
            // Idle again: a newcomer is admitted.
            let c = try await RawHTTPConnection.connect(port: port)
            #expect(try await c.rpc(call("test_constant")).status == 200)
        }
    }

    /// A client that starts a request and trickles its head is closed after the header
    /// timeout; one that sends nothing is left to the (longer) idle timeout.
    @Test func closesASlowHeaderClientAfterTheHeaderTimeout() async throws {
        try await withServer(.testing(headerTimeout: .milliseconds(300))) { _, port in
            let silent = try await RawHTTPConnection.connect(port: port)
            let slow = try await RawHTTPConnection.connect(port: port)
            try await slow.send("POST / HTTP/1.1\r\nHost: x\r\n")
            for _ in 0..<3 {
                try await Task.sleep(for: .milliseconds(150))
                try? await slow.send("X-Slow: 1\r\n")
            }
            #expect(try await slow.waitForClose())
            #expect(try await silent.rpc(call("test_constant")).status == 200)
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
