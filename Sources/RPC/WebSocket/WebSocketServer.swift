import JSON
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import ServiceLifecycle
import Synchronization

/// JSON-RPC over WebSocket (RFC 6455, NIO's `NIOWebSocket`), a `Service` for the node's
/// `ServiceGroup`: every method of the enabled namespaces, as over HTTP, plus `eth_subscribe`.
///
/// Per connection: frames and messages are limited to ``Configuration/maxMessageSize``;
/// messages are answered one after another; responses and notifications share one bounded
/// send queue (``WebSocketSession``); a ping goes out after ``Configuration/pingInterval``
/// without a frame from the client and the connection is closed after a second silent period.
/// A plain HTTP request (no upgrade) gets 400; an upgrade from a browser origin that
/// ``Configuration/origins`` does not allow gets 403.
public final class WebSocketServer: Service, Sendable {
    public let configuration: Configuration
    private let dispatcher: RPCDispatcher
    private let hub: RPCEventHub
    private let group: any EventLoopGroup
    private let logger: Logger
    private let connections: ConnectionRegistry
    private let origins: WebSocketOriginPolicy
    private let listenState = Mutex(ListenState.starting([]))
    private let subscriptionTotal = Atomic<Int>(0)
    private let observer: Observer

    /// Connection and subscription counts, for metrics.
    public struct Observer: Sendable {
        public var connectionsChanged: @Sendable (Int) -> Void
        public var subscriptionsChanged: @Sendable (Int) -> Void
        public init(connectionsChanged: @escaping @Sendable (Int) -> Void = { _ in },
                    subscriptionsChanged: @escaping @Sendable (Int) -> Void = { _ in }) {
            self.connectionsChanged = connectionsChanged
            self.subscriptionsChanged = subscriptionsChanged
        }
    }

    private enum ListenState {
        case starting([CheckedContinuation<Int, any Error>])
        case listening(Int)
        case stopped(RPCServerError)
    }

    enum UpgradeResult: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, remote: String)
        /// A plain HTTP request or a refused upgrade: ``WebSocketRefusalHandler`` answers it.
        case notUpgraded(any Channel)
    }

    /// - Parameters:
    ///   - methods: the whole method table (with ``RPCMethodTable/registerSubscriptionMethods(maxLogFilterEntries:)``);
    ///     only enabled namespaces are served.
    ///   - hub: where subscriptions get their events.
    public init(configuration: Configuration, methods: RPCMethodTable, hub: RPCEventHub,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                observer: Observer = Observer(), logger: Logger = Logger(label: "rpc")) {
        self.configuration = configuration
        self.hub = hub
        self.group = eventLoopGroup
        self.logger = logger
        self.observer = observer
        self.origins = WebSocketOriginPolicy(configuration.origins)
        self.connections = ConnectionRegistry(limit: configuration.maxConnections, logger: logger)
        self.dispatcher = RPCDispatcher(methods: methods, configuration: configuration.dispatcher, logger: logger,
                                        timerLoop: eventLoopGroup.next(), transport: "ws")
    }

    /// The port the server listens on, once it does. Throws when it failed to bind or stopped.
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

    /// Connections open now.
    public var openConnections: Int { connections.openCount }

    /// Subscriptions open now, over all connections.
    public var openSubscriptions: Int { subscriptionTotal.load(ordering: .relaxed) }

    public func run() async throws {
        let server: NIOAsyncChannel<EventLoopFuture<UpgradeResult>, Never>
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
        logger.info("WebSocket server listening", metadata: ["address": "\(configuration.host):\(port)"])
        finishListening(.listening(port))
        defer { finishListening(.stopped(RPCServerError(code: .notListening, message: "the WebSocket server has stopped"))) }

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await upgrade in inbound {
                        group.addTask { await self.serve(upgrade) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("WebSocket server shutting down", metadata: ["open": "\(self.connections.openCount)"])
            self.connections.quiesceAll()
            server.channel.close(promise: nil)
            self.connections.closeAll()
        }
        logger.info("WebSocket server stopped")
    }

    private func configureConnection(_ channel: any Channel) throws -> EventLoopFuture<UpgradeResult> {
        // Before its upgrade a connection is idle (it may be closed to make room at the limit,
        // and must send its handshake head in time); an upgraded session is pinned.
        let activity = ConnectionActivity()
        guard connections.admit(channel, activity: activity) else {
            channel.close(promise: nil)
            throw ChannelError.ioOnClosedChannel
        }
        try channel.pipeline.syncOperations.addHandler(RequestHeadDeadlineHandler(activity: activity, timeout: .seconds(10)))
        observer.connectionsChanged(1)
        channel.closeFuture.whenComplete { [observer] _ in observer.connectionsChanged(-1) }
        let origins = self.origins
        let maxMessageSize = configuration.maxMessageSize
        let remote = channel.remoteAddress.map { "\($0)" } ?? "?"
        let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
            maxFrameSize: maxMessageSize,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(origins.allows(head.headers.first(name: "origin")) ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { channel, _ in
                activity.pin()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024, maxAccumulatedFrameSize: maxMessageSize))
                    return .websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel), remote: remote)
                }
            })
        let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration<UpgradeResult>(
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeSucceededFuture(.notUpgraded(channel))
            })
        let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
            configuration: .init(upgradeConfiguration: upgradeConfiguration))
        // Answered before NIO's upgrade handler sees them: requests that are not an upgrade,
        // and upgrades from browser origins that are not allowed.
        let upgradeHandler = try channel.pipeline.syncOperations.handler(type: NIOTypedHTTPServerUpgradeHandler<UpgradeResult>.self)
        try channel.pipeline.syncOperations.addHandler(WebSocketRefusalHandler(origins: origins), position: .before(upgradeHandler))
        return negotiated
    }

    private func serve(_ upgrade: EventLoopFuture<UpgradeResult>) async {
        do {
            switch try await upgrade.get() {
            case .websocket(let channel, let remote): try await serveWebSocket(channel, remote: remote)
            case .notUpgraded(let channel): _ = channel
            }
        } catch {
            logger.trace("WebSocket connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func serveWebSocket(_ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, remote: String) async throws {
        let nioChannel = channel.channel
        let session = WebSocketSession(
            hub: hub, limits: configuration.sessionLimits, remote: remote, logger: logger,
            onSubscriptionCountChange: { [self] delta in
                subscriptionTotal.wrappingAdd(delta, ordering: .relaxed)
                observer.subscriptionsChanged(delta)
            },
            closeChannel: { nioChannel.close(mode: .all, promise: nil) })
        defer { session.finish() }
        logger.debug("WebSocket connection opened", metadata: ["remote": "\(remote)"])
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The writer: drains the session's queue into the socket.
                group.addTask {
                    for await message in session.outbound {
                        switch message {
                        case .text(let bytes):
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes)))
                        case .ping:
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer()))
                        case .pong(let data):
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: data))
                        case .close(let reason):
                            var data = ByteBuffer()
                            data.write(webSocketErrorCode: reason.code)
                            try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
                            return
                        }
                        session.sent(message)
                    }
                }
                // Keep-alive: ping after a silent interval, close after a second one.
                let interval = configuration.pingInterval
                group.addTask {
                    let ms = interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
                    while true {
                        try await Task.sleep(for: interval)
                        let silent = Self.uptimeMilliseconds() - session.lastInbound.load(ordering: .relaxed)
                        if silent >= 2 * ms {
                            self.logger.debug("Closing WebSocket connection: no pong", metadata: ["remote": "\(remote)"])
                            nioChannel.close(mode: .all, promise: nil)
                            return
                        }
                        if silent >= ms { session.enqueue(.ping) }
                    }
                }
                // The reader: one message at a time.
                group.addTask {
                    defer { session.finish() }
                    for try await frame in inbound {
                        session.lastInbound.store(Self.uptimeMilliseconds(), ordering: .relaxed)
                        switch frame.opcode {
                        case .text, .binary:
                            await self.answer(frame.unmaskedData, session: session)
                        case .ping:
                            session.enqueue(.pong(frame.unmaskedData))
                        case .connectionClose:
                            session.enqueue(.close(.normal))
                            return
                        default:
                            break
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        logger.debug("WebSocket connection closed", metadata: ["remote": "\(remote)"])
    }

    /// Answers one message: its response, then the notifications held for subscriptions it
    /// created.
    private func answer(_ message: ByteBuffer, session: WebSocketSession) async {
        let parsed = message.withUnsafeReadableBytes { raw in
            Result { () throws(JSONParseError) in try JSONParser.parse(raw) }
        }
        let response = await RPCSessionContext.$current.withValue(session) {
            await dispatcher.respond(to: parsed, deadline: dispatcher.deadline())
        }
        if let response { session.enqueue(.text(response)) }
        session.releaseHeld()
    }

    static func uptimeMilliseconds() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000) }

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

/// Sits in front of NIO's upgrade handler and answers, then closes, what must not upgrade: a
/// request without `Upgrade: websocket` (400) and an upgrade from a browser origin that is not
/// allowed (403, geth's wording). Everything else passes on untouched.
final class WebSocketRefusalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let origins: WebSocketOriginPolicy
    /// The refused request being skipped, and its answer.
    private var refusing: (HTTPRequestHead, HTTPResponseStatus, String)?

    init(origins: WebSocketOriginPolicy) { self.origins = origins }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part {
            let upgrade = head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
            if !upgrade {
                refusing = (head, .badRequest, "this port serves JSON-RPC over WebSocket only: send a WebSocket upgrade\n")
            } else if !origins.allows(head.headers.first(name: "origin")) {
                refusing = (head, .forbidden, "websocket: request origin not allowed\n")
            }
        }
        guard let (head, status, text) = refusing else {
            context.fireChannelRead(data)
            // An acceptable upgrade: the frames that follow are not this handler's business.
            if case .head = part { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
            return
        }
        guard case .end = part else { return }
        refusing = nil
        let headers: HTTPHeaders = ["content-type": "text/plain; charset=utf-8", "content-length": "\(text.utf8.count)",
                                    "connection": "close"]
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

extension WebSocketCloseReason {
    var code: WebSocketErrorCode {
        switch self {
        case .normal: .normalClosure
        case .tooLarge: .messageTooLarge
        case .protocolError: .protocolError
        }
    }
}
