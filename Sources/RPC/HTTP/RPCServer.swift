import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The JSON-RPC HTTP/1.1 server, a `Service` for the node's `ServiceGroup`.
///
/// `run()` binds, then serves until graceful shutdown: it stops accepting, lets each
/// connection finish the request it is in (up to ``Configuration/shutdownGracePeriod``), then
/// closes them. Parsing and framing happen on NIO's event loops; handlers run as Swift
/// concurrency tasks (one task per connection, requests in order), and responses are written
/// back through the connection's event loop.
public final class RPCServer: Service, Sendable {
    /// The configuration the server was created with.
    public let configuration: Configuration
    private let responder: RPCHTTPResponder
    private let group: any EventLoopGroup
    private let logger: Logger
    private let connections: ConnectionRegistry
    private let listenState = Mutex(ListenState.starting([]))

    private enum ListenState {
        case starting([CheckedContinuation<Int, any Error>])
        case listening(Int)
        case stopped(RPCServerError)
    }

    /// - Parameters:
    ///   - methods: the whole method table; only enabled namespaces are served.
    ///   - health: what `GET /health` reports (asked on each request).
    ///   - eventLoopGroup: NIO's threads (default: the process-wide group, one thread per core).
    ///   - logger: label `rpc` by default.
    public init(
        configuration: Configuration,
        methods: RPCMethodTable,
        health: @escaping @Sendable () async -> Health,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "rpc")
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
        self.connections = ConnectionRegistry(limit: configuration.maxConnections, logger: logger)
        self.responder = RPCHTTPResponder(
            dispatcher: RPCDispatcher(
                methods: methods, configuration: configuration.dispatcher, logger: logger, timerLoop: eventLoopGroup.next()),
            cors: CORSPolicy(allowedOrigins: configuration.corsOrigins),
            health: health)
    }

    /// The port the server listens on, once it does (useful with port 0). Throws when the
    /// server failed to bind or stopped first.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<Int, any Error>? = listenState.withLock { state in
                switch state {
                case .starting(var waiters):
                    waiters.append(continuation)
                    state = .starting(waiters)
                    return nil
                case .listening(let port): return .success(port)
                case .stopped(let error): return .failure(error)
                }
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// Connections refused so far because of ``Configuration/maxConnections``.
    public var refusedConnections: Int { connections.refusedCount }

    /// Connections open now.
    public var openConnections: Int { connections.openCount }

    /// Idle connections closed so far to admit new ones at ``Configuration/maxConnections``.
    public var idleConnectionsClosed: Int { connections.evictedCount }

    /// Binds and serves until graceful shutdown (or cancellation). Throws ``RPCServerError``
    /// with code `bindFailed` when the address cannot be bound.
    public func run() async throws {
        typealias Connection = NIOAsyncChannel<HTTPRequestMessage, HTTPResponseMessage>
        let server: NIOAsyncChannel<Connection, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try self.configureConnection(channel) }
                }
        } catch {
            let failure = RPCServerError(
                code: .bindFailed, message: "cannot listen on \(configuration.host):\(configuration.port)", underlying: error)
            finishListening(.stopped(failure))
            throw failure
        }
        let port = server.channel.localAddress?.port ?? configuration.port
        logger.info("RPC server listening", metadata: ["address": "\(configuration.host):\(port)"])
        finishListening(.listening(port))
        defer { finishListening(.stopped(RPCServerError(code: .notListening, message: "the RPC server has stopped"))) }

        let graceTimer = Mutex<Scheduled<Void>?>(nil)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("RPC server shutting down", metadata: ["open": "\(self.connections.openCount)"])
            self.connections.quiesceAll()
            server.channel.close(promise: nil)
            let timer = server.channel.eventLoop.scheduleTask(in: TimeAmount(self.configuration.shutdownGracePeriod)) {
                self.connections.closeAll()
            }
            graceTimer.withLock { $0 = timer }
        }
        graceTimer.withLock { $0?.cancel() }
        logger.info("RPC server stopped")
    }

    /// Runs on the child channel's event loop before the connection is handed to `run()`.
    private func configureConnection(_ channel: any Channel) throws -> NIOAsyncChannel<HTTPRequestMessage, HTTPResponseMessage> {
        let activity = ConnectionActivity()
        guard connections.admit(channel, activity: activity) else {
            channel.close(promise: nil)
            throw ChannelError.ioOnClosedChannel
        }
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(RequestHeadDeadlineHandler(activity: activity, timeout: TimeAmount(configuration.headerTimeout)))
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
        try pipeline.addHandler(IdleStateHandler(allTimeout: TimeAmount(configuration.idleTimeout)))
        try pipeline.addHandler(HTTPRequestAggregator(
            maxBodySize: configuration.maxBodySize,
            requestTimeout: TimeAmount(configuration.requestTimeout),
            cors: responder.cors,
            activity: activity))
        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
    }

    /// Serves one connection's requests in order until it closes.
    private func serve(_ connection: NIOAsyncChannel<HTTPRequestMessage, HTTPResponseMessage>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await request in inbound {
                    let response = await responder.respond(to: request)
                    try await outbound.write(response)
                }
            }
        } catch {
            logger.trace("RPC connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func finishListening(_ new: ListenState) {
        let waiters: [CheckedContinuation<Int, any Error>] = listenState.withLock { state in
            guard case .starting(let waiters) = state else {
                if case .listening = state, case .stopped = new { state = new }
                return []
            }
            state = new
            return waiters
        }
        for waiter in waiters {
            switch new {
            case .listening(let port): waiter.resume(returning: port)
            case .stopped(let error): waiter.resume(throwing: error)
            case .starting: break
            }
        }
    }
}
