import NIOCore
import NIOHTTP1

/// Collects `head`, `body*`, `end` into one ``HTTPRequestMessage`` and writes one
/// ``HTTPResponseMessage`` back as HTTP parts. It owns the per-connection rules that are best
/// kept on the event loop:
///
/// - a body over the size limit (by `content-length` or as it arrives) -> 413 and close;
/// - a body not complete within the request timeout -> 408 and close;
/// - an idle event (from `IdleStateHandler`) closes the connection only between requests;
/// - keep-alive: `connection: close` and a close after the response when the client or the
///   server wants it; HTTP/1.0 keep-alive is honoured;
/// - `expect: 100-continue` gets its interim response.
///
/// One request at a time: `HTTPServerPipelineHandler` in front of it holds pipelined requests
/// back until the response to the previous one has been written.
final class HTTPRequestAggregator: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPRequestMessage
    typealias OutboundIn = HTTPResponseMessage
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// The body so far; nil until the first chunk (a one-chunk body is kept without a copy).
        case receiving(HTTPRequestHead, ByteBuffer?)
        case awaitingResponse(HTTPRequestHead)
        /// An error response was sent; the connection is closing.
        case rejected
    }

    private let maxBodySize: Int
    private let requestTimeout: TimeAmount
    private let cors: CORSPolicy
    /// Told when a request starts and when its response goes out (the connection limit's
    /// choice of which idle connection to close).
    private let activity: ConnectionActivity
    private var state = State.idle
    private var timer: Scheduled<Void>?
    /// When the head of the request being received arrived.
    private var requestStart = NIODeadline.uptimeNanoseconds(0)

    init(maxBodySize: Int, requestTimeout: TimeAmount, cors: CORSPolicy, activity: ConnectionActivity = ConnectionActivity()) {
        self.activity = activity
        self.maxBodySize = maxBodySize
        self.requestTimeout = requestTimeout
        self.cors = cors
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            activity.requestStarted()
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) }
            if let declared, declared > maxBodySize {
                reject(head, .payloadTooLarge, .invalidRequest("request body too large (limit \(maxBodySize) bytes)"), context: context)
                return
            }
            state = .receiving(head, nil)
            requestStart = context.eventLoop.now  // the timer is armed only if the body is still missing after this read
            if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard case .receiving(let head, let received) = state else { return }
            if (received?.readableBytes ?? 0) + chunk.readableBytes > maxBodySize {
                reject(head, .payloadTooLarge, .invalidRequest("request body too large (limit \(maxBodySize) bytes)"), context: context)
                return
            }
            guard var body = received else {
                state = .receiving(head, chunk)
                return
            }
            state = .idle  // drop the second reference before appending (no copy-on-write)
            body.writeBuffer(&chunk)
            state = .receiving(head, body)
        case .end:
            guard case .receiving(let head, let body) = state else { return }
            cancelTimer()
            state = .awaitingResponse(head)
            context.fireChannelRead(wrapInboundOut(HTTPRequestMessage(head: head, body: body ?? ByteBuffer())))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Most requests arrive whole in one read; only a partial one needs the body timer.
        if case .receiving = state, timer == nil {
            let loop = context.eventLoop.assumeIsolated()
            timer = loop.scheduleTask(deadline: requestStart + requestTimeout) { [self] in requestTimedOut(context: context) }
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .awaitingResponse(let head) = state else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        state = .idle
        activity.requestFinished()
        send(unwrapOutboundIn(data), for: head, context: context, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            if case .idle = state { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    // MARK: -

    private func requestTimedOut(context: ChannelHandlerContext) {
        timer = nil
        guard case .receiving(let head, _) = state else { return }
        reject(head, .requestTimeout, .invalidRequest("request body not received within \(requestTimeout.humanReadable)"), context: context)
    }

    private func reject(_ head: HTTPRequestHead, _ status: HTTPResponseStatus, _ error: JSONRPCError, context: ChannelHandlerContext) {
        cancelTimer()
        state = .rejected
        send(.jsonRPCError(status, error, closeConnection: true), for: head, context: context, promise: nil)
    }

    private func send(_ response: HTTPResponseMessage, for request: HTTPRequestHead, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        var headers = response.headers
        cors.decorate(&headers, for: request)
        headers.replaceOrAdd(name: "content-length", value: String(response.body.readableBytes))
        let keepAlive = request.isKeepAlive && !response.closeConnection
        if !keepAlive {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if request.version.major == 1 && request.version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))), promise: nil)
        if response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        if keepAlive {
            context.write(wrapOutboundOut(.end(nil)), promise: promise)
        } else {
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            written.futureResult.assumeIsolated().whenComplete { result in
                context.close(promise: nil)
                promise?.completeWith(result)
            }
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

extension TimeAmount {
    /// `30 s` or `250 ms`, for messages.
    var humanReadable: String {
        nanoseconds % 1_000_000_000 == 0 ? "\(nanoseconds / 1_000_000_000) s" : "\(nanoseconds / 1_000_000) ms"
    }
}
