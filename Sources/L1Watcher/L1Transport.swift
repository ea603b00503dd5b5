import HTTPClient

/// Sends one HTTP POST (a JSON-RPC request) and returns the status and body.
///
/// The node plugs in ``HTTPClientL1Transport`` over the HTTPClient module's `CurlHTTPClient`;
/// tests plug in fakes. Implementations must honour `timeout` for the whole request, keep
/// blocking I/O off Swift's cooperative pool, and throw only when no HTTP response arrived
/// (connection refused, timeout, connection lost). Every status, 4xx and 5xx included, comes
/// back as a value.
public protocol L1Transport: Sendable {
    func post(url: String, body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8])
}

/// The watcher's transport over any `HTTPClient` (the node's and the tests' curl client).
///
/// The client's own request timeout bounds each call; configure it to the watcher's
/// `requestTimeout` (it is what `timeout` carries).
public struct HTTPClientL1Transport: L1Transport {
    public let client: any HTTPClient

    public init(client: any HTTPClient) { self.client = client }

    public func post(url: String, body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8]) {
        let response = try await client.send(HTTPRequest(method: .post, url: url, headers: [("Content-Type", "application/json")], body: body))
        return (response.status, response.body)
    }
}
