/// A transport failure of `HTTPClient`: the request got no HTTP response.
///
/// HTTP error statuses are not errors at this layer; they come back as `HTTPResponse`.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// No TCP (or TLS) connection could be made: refused, unreachable, connect timeout.
        case couldNotConnect
        /// The host name did not resolve.
        case couldNotResolveHost
        /// The whole request took longer than the total timeout.
        case timedOut
        /// The connection broke while sending or receiving.
        case connectionLost
        /// TLS handshake or certificate verification failed.
        case tls
        /// The response body exceeded the client's limit.
        case responseTooLarge
        /// The calling task was cancelled.
        case cancelled
        /// The request itself is unusable (bad URL, unsupported scheme, bad option).
        case invalidRequest
        /// Anything else curl reported.
        case other
    }

    public var code: Code
    /// What happened, in words; names the URL's host but never credentials.
    public var message: String
    /// The underlying libcurl error, e.g. `CURLE_COULDNT_CONNECT (7): Couldn't connect to server`.
    public var underlying: String?
    /// Whether trying again (later) may succeed.
    public var isTransient: Bool

    public init(code: Code, message: String, underlying: String? = nil, isTransient: Bool) {
        self.code = code; self.message = message; self.underlying = underlying; self.isTransient = isTransient
    }

    public var description: String {
        underlying.map { "\(message) [\($0)]" } ?? message
    }
}
