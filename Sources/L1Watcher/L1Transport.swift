/// Sends one HTTP POST (a JSON-RPC request) and returns the status and body.
///
/// The node plugs the Signer module's `CurlHTTPClient` in with a few lines (its `send` returns
/// 4xx/5xx as responses, as this protocol wants). Implementations must honour `timeout` for the
/// whole request, keep blocking I/O off Swift's cooperative pool, and throw only when no HTTP
/// response arrived (connection refused, timeout, connection lost). Every status, 4xx and 5xx
/// included, comes back as a value.
public protocol L1Transport: Sendable {
    func post(url: String, body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8])
}
