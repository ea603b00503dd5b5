/// Every failure of the load generator: what went wrong, in words that name the flag or the
/// node call, and whether trying again can help (a node that is restarting).
struct LoadGeneratorError: Error, CustomStringConvertible {
    enum Code: Sendable {
        /// A flag or its value is wrong.
        case usage
        /// The node could not be reached, or the connection broke.
        case connection
        /// The node answered something the generator cannot use.
        case protocolViolation
        /// Starting or stopping the node process failed.
        case process
        /// The node's state is not what a run needs (unfunded senders, wrong chain).
        case setup
    }

    var code: Code
    var message: String
    var underlying: (any Error)?

    init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// A broken or refused connection may work again once the node is back.
    var isTransient: Bool { code == .connection }

    var description: String {
        if let underlying { "\(message) (\(underlying))" } else { message }
    }
}
