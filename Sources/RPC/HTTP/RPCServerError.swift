/// Why the HTTP server could not run.
public struct RPCServerError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// Binding the listening socket failed (address in use, permission, bad host).
        case bindFailed
        /// The server stopped before it was listening.
        case notListening
    }

    public var code: Code
    public var message: String
    /// The error from NIO or the system, when there is one.
    public var underlying: (any Error)?

    /// Whether trying again later could succeed (a port in use may be freed).
    public var isTransient: Bool { code == .bindFailed }

    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}
