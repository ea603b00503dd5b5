import NIOCore
import Synchronization

/// What one connection is doing, readable from any thread: whether a request is in progress,
/// when it last finished one (or opened), and how many request heads it has sent. The
/// connection's handlers write it on its event loop; ``ConnectionRegistry`` reads it to choose
/// which connection to close when the server is at its connection limit.
final class ConnectionActivity: Sendable {
    private let busy = Atomic<Bool>(false)
    private let lastActive: Atomic<UInt64>
    private let heads = Atomic<UInt64>(0)
    /// Never evicted (an upgraded WebSocket session: its idleness is the client's business,
    /// kept alive by ping/pong).
    private let pinned = Atomic<Bool>(false)

    init(now: NIODeadline = .now()) { lastActive = Atomic(now.uptimeNanoseconds) }

    /// A request head arrived.
    func requestStarted() {
        heads.add(1, ordering: .relaxed)
        busy.store(true, ordering: .relaxed)
    }

    /// The response to the request in progress was handed to the connection.
    func requestFinished(now: NIODeadline = .now()) {
        lastActive.store(now.uptimeNanoseconds, ordering: .relaxed)
        busy.store(false, ordering: .relaxed)
    }

    /// Marks the connection as never idle (see `pinned`).
    func pin() { pinned.store(true, ordering: .relaxed) }

    /// Request heads received so far.
    var requestCount: UInt64 { heads.load(ordering: .relaxed) }

    /// Between requests (or before the first): the connection may be closed to make room.
    var isIdle: Bool { !busy.load(ordering: .relaxed) && !pinned.load(ordering: .relaxed) }

    /// When it opened or last finished a request (uptime nanoseconds).
    var idleSince: UInt64 { lastActive.load(ordering: .relaxed) }
}

/// Closes a connection that starts a request and does not finish its head in time (a
/// slow-header "slowloris" client that trickles bytes to keep an idle timer from firing).
/// Sits in front of the HTTP decoder: the first bytes received while no request is in
/// progress arm a timer; the timer closes the connection unless a new request head arrived.
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let activity: ConnectionActivity
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(activity: ConnectionActivity, timeout: TimeAmount) {
        self.activity = activity
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if timer == nil && activity.isIdle {
            let headsBefore = activity.requestCount
            let loop = context.eventLoop.assumeIsolated()
            timer = loop.scheduleTask(in: timeout) { [self] in
                timer = nil
                if activity.requestCount == headsBefore && activity.isIdle { context.close(promise: nil) }
            }
        } else if timer != nil && !activity.isIdle {
            cancelTimer()  // the head arrived: the body has its own timeout
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
