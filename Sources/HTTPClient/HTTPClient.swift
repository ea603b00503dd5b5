/// Sends one HTTP request and returns the response.
///
/// The KMS signer talks to AWS through this protocol, and the L1 watcher's
/// `HTTPClientL1Transport` posts its JSON-RPC requests through it; `CurlHTTPClient` is the
/// implementation both use.
/// Implementations must keep blocking I/O off Swift's cooperative thread pool.
public protocol HTTPClient: Sendable {
    /// Performs `request`. A response with any status code (including 4xx and 5xx) is returned,
    /// not thrown: only transport failures throw.
    func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse
}
