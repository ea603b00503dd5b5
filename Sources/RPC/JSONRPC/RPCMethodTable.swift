import JSON
/// What a method does with its parameters. It runs as a Swift concurrency task (never on a NIO
/// event loop), may suspend, and throws ``JSONRPCError`` (or a ``JSONRPCErrorConvertible``) for
/// answers the client should see; any other error becomes -32603 "internal error".
public typealias RPCHandler = @Sendable (RPCParams) async throws -> JSONValue

/// The registry of JSON-RPC methods: `name -> handler`, with the accepted parameter count.
///
/// Build it once at start-up (components add their methods through `register` or functions such
/// as ``registerNodeInfoMethods(chainID:clientVersion:)``), then hand it to ``RPCDispatcher`` or
/// ``RPCServer``. A method's namespace is the part of its name before the first `_`.
public struct RPCMethodTable: Sendable {
    /// One registered method.
    public struct Method: Sendable {
        public let name: String
        /// How many positional parameters the method accepts; trailing ones past the lower
        /// bound are optional.
        public let parameters: ClosedRange<Int>
        public let handler: RPCHandler
        public let execution: Execution

        /// The part of the name before the first `_` (`eth` for `eth_chainId`).
        public var namespace: Substring { RPCMethodTable.namespace(of: name) }
    }

    /// How a handler is run relative to the request timeout.
    public enum Execution: Sendable, Hashable {
        /// In a child task raced against the request deadline: a handler still running then is
        /// cancelled and the call answered -32603 "request timed out". The default; costs a
        /// task hop per call.
        case guarded
        /// Directly on the connection's task, with no deadline: for handlers that return without
        /// blocking (constants, in-memory reads). Saves the hop.
        case inline
    }

    private(set) var methods: [String: Method] = [:]

    public init() {}

    /// Registers `handler` under `name`, accepting `parameters` positional parameters.
    /// Registering a name twice, or a name without a `namespace_` prefix, is a programmer error.
    public mutating func register(
        _ name: String, parameters: ClosedRange<Int> = 0...0, execution: Execution = .guarded,
        _ handler: @escaping RPCHandler
    ) {
        precondition(name.contains("_") && !name.hasPrefix("_"), "RPC method \(name) has no namespace prefix")
        precondition(methods[name] == nil, "RPC method \(name) registered twice")
        precondition(parameters.lowerBound >= 0)
        methods[name] = Method(name: name, parameters: parameters, handler: handler, execution: execution)
    }

    /// Registers `handler` under `name`, accepting exactly `parameters` positional parameters.
    public mutating func register(
        _ name: String, parameters: Int, execution: Execution = .guarded, _ handler: @escaping RPCHandler
    ) {
        register(name, parameters: parameters...parameters, execution: execution, handler)
    }

    /// Gives the registered method `name` another handler, keeping its parameter range and
    /// execution (a follower forwards eth_sendRawTransaction this way). Replacing a method that
    /// is not registered is a programmer error.
    public mutating func replaceHandler(of name: String, with handler: @escaping RPCHandler) {
        guard let existing = methods[name] else { preconditionFailure("RPC method \(name) is not registered") }
        methods[name] = Method(name: name, parameters: existing.parameters, handler: handler, execution: existing.execution)
    }

    /// The method named `name`, whatever its namespace.
    public subscript(name: String) -> Method? { methods[name] }

    /// Every registered name, sorted.
    public var names: [String] { methods.keys.sorted() }

    /// The methods whose namespace is in `namespaces`.
    public func restricted(to namespaces: Set<String>) -> RPCMethodTable {
        var copy = RPCMethodTable()
        copy.methods = methods.filter { namespaces.contains(String(Self.namespace(of: $0.key))) }
        return copy
    }

    static func namespace(of name: String) -> Substring { name.prefix { $0 != "_" } }
}
