import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves `GET /metrics` (and geth's `/debug/metrics/prometheus`) with whatever `render`
/// returns: the Prometheus text exposition, produced by the node's metrics backend. A `Service`;
/// off unless the node is started with `--metrics`.
public final class MetricsServer: Service, Sendable {
    public let host: String
    public let port: Int
    private let render: @Sendable () -> [UInt8]
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound = Mutex<(Int?, [CheckedContinuation<Int, any Error>])>((nil, []))

    public init(host: String, port: Int, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "rpc"), render: @escaping @Sendable () -> [UInt8]) {
        self.host = host
        self.port = port
        self.render = render
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// The port it listens on, once it does.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            let port: Int? = bound.withLock { b in
                if let p = b.0 { return p }
                b.1.append(c)
                return nil
            }
            if let port { c.resume(returning: port) }
        }
    }

    public func run() async throws {
        let render = self.render
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(render: render))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            let failure = RPCServerError(code: .bindFailed, message: "cannot listen on \(host):\(port) for metrics", underlying: error)
            for c in bound.withLock({ b in defer { b.1 = [] }; return b.1 }) { c.resume(throwing: failure) }
            throw failure
        }
        let actual = channel.localAddress?.port ?? port
        logger.info("Metrics server listening", metadata: ["address": "http://\(host):\(actual)/metrics"])
        for c in bound.withLock({ b in b.0 = actual; defer { b.1 = [] }; return b.1 }) { c.resume(returning: actual) }
        // Stops on graceful shutdown and on cancellation (a ServiceGroup cancels its services
        // when one fails; a test cancels its task group).
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await channel.closeFuture.get()
            } onGracefulShutdown: {
                channel.close(promise: nil)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

/// Answers each request: the exposition on `GET /metrics` or `/debug/metrics/prometheus`, 404
/// elsewhere, 405 for other methods.
final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () -> [UInt8]
    private var head: HTTPRequestHead?

    init(render: @escaping @Sendable () -> [UInt8]) { self.render = render }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let path = head.uri.prefix { $0 != "?" }
            let status: HTTPResponseStatus
            var body: ByteBuffer
            var contentType = "text/plain; charset=utf-8"
            if path != "/metrics" && path != "/debug/metrics/prometheus" {
                status = .notFound
                body = ByteBuffer(string: "404 page not found\n")
            } else if head.method != .GET && head.method != .HEAD {
                status = .methodNotAllowed
                body = ByteBuffer(string: "method not allowed\n")
            } else {
                status = .ok
                body = ByteBuffer(bytes: render())
                contentType = "text/plain; version=0.0.4; charset=utf-8"
                if head.method == .HEAD { body.clear() }
            }
            var headers: HTTPHeaders = ["content-type": contentType, "content-length": "\(body.readableBytes)"]
            if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}
