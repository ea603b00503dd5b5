import Logging
import NIOCore
import Synchronization

/// One WebSocket connection's subscriptions and its bounded send queue.
///
/// Everything the connection sends (responses, notifications, pongs, pings) goes through
/// ``enqueue(_:)`` into one queue that the connection's writer drains. The queue is bounded in
/// messages and bytes: a client that stops reading makes the writer wait on the socket, the
/// queue fills, and the connection is closed with a warning, so the node never buffers without
/// bound for it. Notifications are formatted once per event by the hub's listener (on the
/// publishing thread) and only queued.
///
/// A subscription's notifications are held back until the response that carries its id has
/// been queued (``releaseHeld()``), so a client never sees a notification for an id it does
/// not know yet, and none is lost in between.
final class WebSocketSession: RPCSession {
    /// What the writer sends.
    enum Outbound: Sendable {
        case text([UInt8])
        case ping
        case pong(ByteBuffer)
        case close(WebSocketCloseReason)
    }

    struct Limits: Sendable {
        var maxSubscriptions: Int
        var maxQueuedMessages: Int
        var maxQueuedBytes: Int
    }

    private struct State {
        /// Subscription id -> hub listener id.
        var subscriptions: [String: UInt64] = [:]
        /// Subscriptions created by the request being answered: their notifications wait.
        var holding: Set<String> = []
        var held: [[UInt8]] = []
        var queuedMessages = 0
        var queuedBytes = 0
        var closed = false
    }

    private let hub: RPCEventHub
    private let limits: Limits
    private let logger: Logger
    private let remote: String
    private let state = Mutex(State())
    private let continuation: AsyncStream<Outbound>.Continuation
    /// What the writer drains.
    let outbound: AsyncStream<Outbound>
    /// When the last frame came from the client (milliseconds of uptime), for keep-alive.
    let lastInbound = Atomic<Int64>(WebSocketServer.uptimeMilliseconds())
    /// Closes the channel (called once, when the queue overflows).
    private let closeChannel: @Sendable () -> Void
    /// Counts subscriptions across connections (metrics).
    private let onSubscriptionCountChange: @Sendable (Int) -> Void

    init(hub: RPCEventHub, limits: Limits, remote: String, logger: Logger,
         onSubscriptionCountChange: @escaping @Sendable (Int) -> Void = { _ in },
         closeChannel: @escaping @Sendable () -> Void) {
        self.hub = hub
        self.limits = limits
        self.remote = remote
        self.logger = logger
        self.closeChannel = closeChannel
        self.onSubscriptionCountChange = onSubscriptionCountChange
        (outbound, continuation) = AsyncStream.makeStream(of: Outbound.self)
    }

    /// Queues a message; on overflow closes the connection (and drops the message).
    func enqueue(_ message: Outbound) {
        let overflow: (Int, Int)? = state.withLock { s in enqueueLocked(message, &s) }
        if let (messages, bytes) = overflow { overflowed(messages: messages, bytes: bytes) }
    }

    private func enqueueLocked(_ message: Outbound, _ s: inout State) -> (Int, Int)? {
        if s.closed { return nil }
        let size = message.size
        if s.queuedMessages + 1 > limits.maxQueuedMessages || s.queuedBytes + size > limits.maxQueuedBytes {
            s.closed = true
            return (s.queuedMessages, s.queuedBytes)
        }
        s.queuedMessages += 1
        s.queuedBytes += size
        continuation.yield(message)
        return nil
    }

    /// The writer sent `message`.
    func sent(_ message: Outbound) {
        let size = message.size
        state.withLock { s in
            s.queuedMessages -= 1
            s.queuedBytes -= size
        }
    }

    /// Queues the notifications held for subscriptions created by the request just answered.
    func releaseHeld() {
        let overflow: (Int, Int)? = state.withLock { s in
            guard !s.holding.isEmpty else { return nil }
            s.holding.removeAll()
            let held = s.held
            s.held = []
            for m in held { if let o = enqueueLocked(.text(m), &s) { return o } }
            return nil
        }
        if let (messages, bytes) = overflow { overflowed(messages: messages, bytes: bytes) }
    }

    private func overflowed(messages: Int, bytes: Int) {
        logger.warning("Closing WebSocket connection: the client does not read its messages", metadata: [
            "remote": "\(remote)", "queued_messages": "\(messages)", "queued_bytes": "\(bytes)",
            "limit_messages": "\(limits.maxQueuedMessages)", "limit_bytes": "\(limits.maxQueuedBytes)",
        ])
        finish()
        closeChannel()
    }

    /// Ends every subscription and the queue (the connection is closing).
    func finish() {
        let ids: [UInt64] = state.withLock { s in
            s.closed = true
            let ids = Array(s.subscriptions.values)
            s.subscriptions.removeAll()
            return ids
        }
        for id in ids { hub.removeListener(id) }
        if !ids.isEmpty { onSubscriptionCountChange(-ids.count) }
        continuation.finish()
    }

    var subscriptionCount: Int { state.withLock { $0.subscriptions.count } }

    // MARK: RPCSession

    func subscribe(_ kind: SubscriptionKind) throws(JSONRPCError) -> String {
        let id = SubscriptionID.random()
        let prefix = Array(#"{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"\#(id)","result":"#.utf8)
        // Reserve the slot first, so that the listener finds it.
        let admitted = state.withLock { s -> Bool in
            if s.closed || s.subscriptions.count >= limits.maxSubscriptions { return false }
            s.subscriptions[id] = 0
            s.holding.insert(id)
            return true
        }
        guard admitted else { throw .tooManySubscriptions(limit: limits.maxSubscriptions) }
        let listenerID = hub.addListener { [weak self] event in
            guard let self else { return }
            let results = kind.results(for: event)
            guard !results.isEmpty else { return }
            let messages = results.map { result -> [UInt8] in
                var out = prefix
                result.serialize(into: &out)
                out.append(contentsOf: "}}".utf8)
                return out
            }
            let overflow: (Int, Int)? = self.state.withLock { s in
                guard s.subscriptions[id] != nil else { return nil }
                if s.holding.contains(id) {
                    s.held += messages
                    if s.held.count > self.limits.maxQueuedMessages {
                        s.closed = true
                        return (s.held.count, 0)
                    }
                    return nil
                }
                for m in messages { if let o = self.enqueueLocked(.text(m), &s) { return o } }
                return nil
            }
            if let (messages, bytes) = overflow { self.overflowed(messages: messages, bytes: bytes) }
        }
        let stillOpen = state.withLock { s -> Bool in
            guard s.subscriptions[id] != nil else { return false }
            s.subscriptions[id] = listenerID
            return true
        }
        if !stillOpen {
            hub.removeListener(listenerID)
            throw .tooManySubscriptions(limit: limits.maxSubscriptions)
        }
        onSubscriptionCountChange(1)
        return id
    }

    func unsubscribe(_ id: String) -> Bool {
        guard let listenerID = state.withLock({ $0.subscriptions.removeValue(forKey: id) }) else { return false }
        hub.removeListener(listenerID)
        onSubscriptionCountChange(-1)
        return true
    }
}

extension WebSocketSession.Outbound {
    /// Bytes counted against the queue limit.
    var size: Int {
        switch self {
        case .text(let bytes): bytes.count
        case .pong(let data): data.readableBytes
        case .ping, .close: 2
        }
    }
}

/// Why the server closes a WebSocket.
enum WebSocketCloseReason: Sendable {
    case normal
    case tooLarge
    case protocolError
}
