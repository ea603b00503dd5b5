import LoopbackHTTP

/// Serves a `FakeL1` over HTTP/1.1 (POST JSON-RPC, keep-alive, Content-Length bodies) through
/// the shared loopback server. Port 0 lets the kernel choose; `stop()` then a new server on the
/// same port brings an endpoint "back" after an outage.
public final class FakeL1HTTPServer: Sendable {
    public let l1: FakeL1
    let server: LoopbackHTTPServer

    public var host: String { server.host }
    public var port: UInt16 { server.port }
    /// `http://host:port`.
    public var url: String { server.baseURL }
    /// Connections accepted so far.
    public var acceptedConnections: Int { server.acceptedConnections }

    public init(l1: FakeL1, host: String = "127.0.0.1", port: UInt16 = 0) throws {
        self.l1 = l1
        server = try LoopbackHTTPServer(host: host, port: port, threadName: "fake-l1") { request in
            guard request.method == "POST" else {
                return .init(status: 405, headers: [("Content-Type", "text/plain")], body: Array("POST JSON-RPC requests only\n".utf8))
            }
            let r = l1.handle(request.body)
            return .init(status: r.status, headers: [("Content-Type", "application/json")], body: r.body,
                         delay: r.delay, dropConnection: r.dropConnection)
        }
    }

    /// Stops accepting, closes every connection (clients see refused connections from now on)
    /// and waits up to 5 s for the threads.
    public func stop() { server.stop() }
}
