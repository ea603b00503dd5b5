extension WebSocketServer {
    /// Everything the WebSocket server needs; built by the node from its `--ws.*` flags.
    public struct Configuration: Sendable {
        /// Address to bind (default `127.0.0.1`).
        public var host: String
        /// Port to bind (default 8546, geth's); 0 picks a free port.
        public var port: Int
        /// Origins whose browsers may connect (`*`: any). A handshake without an `Origin`
        /// header (not a browser) is always accepted. Empty (the default): only
        /// `http://localhost` and `http://127.0.0.1` origins, on any port, as geth.
        public var origins: [String]
        /// The largest frame, and the largest message after joining fragments (default 5 MiB,
        /// as the HTTP body limit); larger ones close the connection (1009).
        public var maxMessageSize: Int
        /// The longest batch accepted (default 1000).
        public var maxBatchSize: Int
        /// How long the calls of one message may run (default 30 s).
        public var requestTimeout: Duration
        /// A ping is sent after this long without a frame from the client, and the connection
        /// closed when another such period passes without any (default 30 s, geth's).
        public var pingInterval: Duration
        /// Connections beyond this many are closed as soon as they are accepted (default 1024).
        public var maxConnections: Int
        /// Subscriptions one connection may hold (default 128).
        public var maxSubscriptionsPerConnection: Int
        /// Messages waiting to be written to one connection; a client that lets more pile up
        /// is disconnected (default 4096).
        public var maxQueuedMessages: Int
        /// Bytes waiting to be written to one connection (default 16 MiB); as above.
        public var maxQueuedBytes: Int
        /// Namespaces served (default `eth`, `net`, `web3`, `rollupNode`, as over HTTP).
        public var enabledNamespaces: Set<String>

        public init(
            host: String = "127.0.0.1",
            port: Int = 8546,
            origins: [String] = [],
            maxMessageSize: Int = 5 * 1024 * 1024,
            maxBatchSize: Int = 1000,
            requestTimeout: Duration = .seconds(30),
            pingInterval: Duration = .seconds(30),
            maxConnections: Int = 1024,
            maxSubscriptionsPerConnection: Int = 128,
            maxQueuedMessages: Int = 4096,
            maxQueuedBytes: Int = 16 * 1024 * 1024,
            enabledNamespaces: Set<String> = RPCDispatcher.Configuration.defaultNamespaces
        ) {
            precondition(maxMessageSize > 0 && maxSubscriptionsPerConnection > 0 && maxQueuedMessages > 0 && maxQueuedBytes > 0)
            self.host = host
            self.port = port
            self.origins = origins
            self.maxMessageSize = maxMessageSize
            self.maxBatchSize = maxBatchSize
            self.requestTimeout = requestTimeout
            self.pingInterval = pingInterval
            self.maxConnections = maxConnections
            self.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection
            self.maxQueuedMessages = maxQueuedMessages
            self.maxQueuedBytes = maxQueuedBytes
            self.enabledNamespaces = enabledNamespaces
        }

        var dispatcher: RPCDispatcher.Configuration {
            RPCDispatcher.Configuration(enabledNamespaces: enabledNamespaces, maxBatchSize: maxBatchSize, requestTimeout: requestTimeout)
        }

        var sessionLimits: WebSocketSession.Limits {
            WebSocketSession.Limits(maxSubscriptions: maxSubscriptionsPerConnection, maxQueuedMessages: maxQueuedMessages,
                                    maxQueuedBytes: maxQueuedBytes)
        }
    }
}

/// Which browser origins may open a WebSocket, as geth's `--ws.origins`.
struct WebSocketOriginPolicy: Sendable {
    let allowsAny: Bool
    let origins: Set<String>

    init(_ configured: [String]) {
        allowsAny = configured.contains("*")
        origins = Set(configured.map { $0.lowercased() })
    }

    func allows(_ origin: String?) -> Bool {
        guard let origin = origin?.lowercased() else { return true }  // not a browser
        if allowsAny { return true }
        if origins.isEmpty {
            for local in ["http://localhost", "http://127.0.0.1"] where origin == local || origin.hasPrefix(local + ":") { return true }
            return false
        }
        return origins.contains(origin)
    }
}
