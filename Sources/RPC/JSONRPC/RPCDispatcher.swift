import JSON
import Logging
import NIOCore
import NIOPosix

/// Turns JSON-RPC 2.0 payloads into responses using an ``RPCMethodTable``; no sockets involved.
///
/// - A single request gets a single response object, a batch an array of the responses due
///   (in request order); notifications (no `id` member) get none, so a body of notifications
///   only is answered with no body at all (`nil`).
/// - `[]` is -32600 "empty batch"; a batch over ``Configuration/maxBatchSize`` is one -32600.
/// - Batch elements run one after another, so a batch of transactions keeps its order.
/// - Methods of namespaces that are not enabled answer -32601 exactly like unknown ones.
public struct RPCDispatcher: Sendable {
    /// What the dispatcher enforces.
    public struct Configuration: Sendable {
        /// The namespaces on by default: `eth`, `net`, `web3`, `rollupNode`. `txpool` and
        /// `rollupNodeAdmin` are served only when listed.
        public static let defaultNamespaces: Set<String> = ["eth", "net", "web3", "rollupNode"]

        /// Namespaces whose methods are served; others answer -32601.
        public var enabledNamespaces: Set<String>
        /// The longest batch accepted.
        public var maxBatchSize: Int
        /// How long one HTTP body's calls may run, all batch elements together. A call still
        /// running then is cancelled and answered -32603 "request timed out"; nil: no limit.
        public var requestTimeout: Duration?

        public init(
            enabledNamespaces: Set<String> = Configuration.defaultNamespaces,
            maxBatchSize: Int = 1000,
            requestTimeout: Duration? = .seconds(30)
        ) {
            precondition(maxBatchSize > 0, "maxBatchSize must be positive")
            self.enabledNamespaces = enabledNamespaces
            self.maxBatchSize = maxBatchSize
            self.requestTimeout = requestTimeout
        }
    }

    public let configuration: Configuration
    let methods: RPCMethodTable
    let logger: Logger
    /// The clock of call deadlines: they are read from and armed on this loop (no sockets
    /// involved). Tests pass a `NIOAsyncTestingEventLoop` and move its time themselves.
    let timerLoop: any EventLoop
    /// Requests, errors and latency by method for this transport.
    let metrics: RPCMetrics

    /// - Parameters:
    ///   - methods: every method the node has; only those of enabled namespaces are served.
    ///   - logger: where failures of handlers are logged (label `rpc` by default).
    public init(methods: RPCMethodTable, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "rpc")) {
        self.init(methods: methods, configuration: configuration, logger: logger, timerLoop: MultiThreadedEventLoopGroup.singleton.next())
    }

    init(methods: RPCMethodTable, configuration: Configuration, logger: Logger, timerLoop: any EventLoop, transport: String = "http") {
        self.methods = methods.restricted(to: configuration.enabledNamespaces)
        self.configuration = configuration
        self.logger = logger
        self.timerLoop = timerLoop
        self.metrics = RPCMetrics(names: self.methods.names, transport: transport)
    }

    /// Answers one HTTP body. Returns the response body, or nil when nothing is due
    /// (only notifications).
    public func respond(to body: [UInt8]) async -> [UInt8]? {
        let parsed = body.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(UnsafeRawBufferPointer(buffer)) }
        }
        return await respond(to: parsed, deadline: deadline())
    }

    /// Calls one method directly, without the JSON-RPC envelope (namespace rules and the
    /// timeout apply).
    public func call(_ method: String, _ params: [JSONValue] = []) async -> Result<JSONValue, JSONRPCError> {
        await dispatch(method: method, params: .array(params), deadline: deadline())
    }

    func deadline() -> NIODeadline? {
        configuration.requestTimeout.map { timerLoop.now + TimeAmount($0) }
    }
}
