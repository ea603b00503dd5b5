extension RPCServer {
    /// Everything the HTTP server needs; built by the node from its CLI flags.
    public struct Configuration: Sendable {
        /// Address to bind (default `127.0.0.1`).
        public var host: String
        /// Port to bind (default 8545); 0 picks a free port, see ``RPCServer/boundPort()``.
        public var port: Int
        /// Origins whose browsers may read responses (`Access-Control-Allow-Origin`); `*`
        /// allows any. Empty (the default): no CORS headers.
        public var corsOrigins: [String]
        /// The largest request body accepted (default 5 MiB); larger ones get 413 and a close.
        public var maxBodySize: Int
        /// The longest batch accepted (default 1000).
        public var maxBatchSize: Int
        /// Keep-alive connections with no request for this long are closed (default 60 s).
        public var idleTimeout: Duration
        /// A request body must arrive within this time (else 408 and close), and the calls of
        /// one request must finish within it (else -32603 "request timed out"). Default 30 s.
        public var requestTimeout: Duration
        /// A request whose first bytes have arrived must complete its head within this time,
        /// else the connection is closed (slow-header clients). Default 10 s.
        public var headerTimeout: Duration
        /// At most this many connections (default 1024). At the limit the connection idle the
        /// longest is closed to admit a new one; only when all are busy is the newcomer closed.
        public var maxConnections: Int
        /// Namespaces served (default `eth`, `net`, `web3`, `rollupNode`).
        public var enabledNamespaces: Set<String>
        /// How long in-flight requests may run after a graceful shutdown starts (default 5 s).
        public var shutdownGracePeriod: Duration

        public init(
            host: String = "127.0.0.1",
            port: Int = 8545,
            corsOrigins: [String] = [],
            maxBodySize: Int = 5 * 1024 * 1024,
            maxBatchSize: Int = 1000,
            idleTimeout: Duration = .seconds(60),
            requestTimeout: Duration = .seconds(30),
            headerTimeout: Duration = .seconds(10),
            maxConnections: Int = 1024,
            enabledNamespaces: Set<String> = RPCDispatcher.Configuration.defaultNamespaces,
            shutdownGracePeriod: Duration = .seconds(5)
        ) {
            self.host = host
            self.port = port
            self.corsOrigins = corsOrigins
            self.maxBodySize = maxBodySize
            self.maxBatchSize = maxBatchSize
            self.idleTimeout = idleTimeout
            self.requestTimeout = requestTimeout
            self.headerTimeout = headerTimeout
            self.maxConnections = maxConnections
            self.enabledNamespaces = enabledNamespaces
            self.shutdownGracePeriod = shutdownGracePeriod
        }

        var dispatcher: RPCDispatcher.Configuration {
            RPCDispatcher.Configuration(
                enabledNamespaces: enabledNamespaces, maxBatchSize: maxBatchSize, requestTimeout: requestTimeout)
        }
    }

    /// What `GET /health` reports.
    public enum Health: Sendable, Hashable {
        /// 200 with `{"status":"ok","head":N}`.
        case serving(headNumber: UInt64)
        /// 503 with `{"status":"unavailable","reason":...}`.
        case notServing(reason: String)
    }
}
