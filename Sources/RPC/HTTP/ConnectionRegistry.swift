import Logging
import NIOCore
import Synchronization

/// The open connections of one server: enforces the connection limit, and reaches every
/// connection at shutdown.
///
/// At the limit a newcomer is not refused while some connection is idle (between requests, or
/// connected without sending anything): the one idle the longest is closed to make room, so a
/// flood of idle connections cannot lock real clients out. Only when every connection is busy
/// with a request (or pinned, as upgraded WebSocket sessions are) is the newcomer refused.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let activity: ConnectionActivity
    }

    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var refusedTotal = 0
        var evictedTotal = 0
        /// Idle connections closed since the limit was last reached; nil below the limit.
        var evictedInBurst: Int?
        /// Refusals since the limit was last hit; nil while connections are being accepted.
        var refusedInBurst: Int?
        var closing = false
    }

    let limit: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(limit: Int, logger: Logger) {
        precondition(limit > 0, "the connection limit must be positive")
        self.limit = limit
        self.logger = logger
    }

    /// Registers a new connection, or returns false (and counts it) when it must be closed:
    /// the limit is reached with no idle connection to close, or the server is shutting down.
    /// At the limit with an idle connection, that connection (idle the longest) is closed and
    /// the newcomer admitted. The first refusal or eviction of a burst is logged at warning,
    /// the end of the burst at info with the counts.
    func admit(_ channel: any Channel, activity: ConnectionActivity = ConnectionActivity()) -> Bool {
        enum Outcome {
            case admitted(evicted: (any Channel)?, firstEviction: Bool, endedBurst: (refused: Int, evicted: Int)?)
            case refused(firstOfBurst: Bool)
            case closing
        }
        let outcome: Outcome = state.withLock { s in
            if s.closing { return .closing }
            var evicted: (any Channel)?
            var firstEviction = false
            if s.open.count >= limit {
                var oldest: (key: ObjectIdentifier, since: UInt64)?
                for (key, entry) in s.open where entry.activity.isIdle {
                    let since = entry.activity.idleSince
                    if oldest == nil || since < oldest!.since { oldest = (key, since) }
                }
                guard let oldest, let victim = s.open.removeValue(forKey: oldest.key) else {
                    s.refusedTotal += 1
                    let first = s.refusedInBurst == nil
                    s.refusedInBurst = (s.refusedInBurst ?? 0) + 1
                    return .refused(firstOfBurst: first)
                }
                s.evictedTotal += 1
                firstEviction = s.evictedInBurst == nil
                s.evictedInBurst = (s.evictedInBurst ?? 0) + 1
                evicted = victim.channel
            }
            s.open[ObjectIdentifier(channel)] = Entry(channel: channel, activity: activity)
            var ended: (refused: Int, evicted: Int)?
            if evicted == nil, s.refusedInBurst != nil || s.evictedInBurst != nil {
                ended = (s.refusedInBurst ?? 0, s.evictedInBurst ?? 0)
                s.refusedInBurst = nil
                s.evictedInBurst = nil
            }
            return .admitted(evicted: evicted, firstEviction: firstEviction, endedBurst: ended)
        }
        switch outcome {
        case .admitted(let evicted, let firstEviction, let ended):
            if let evicted {
                if firstEviction {
                    logger.warning("connection limit reached; closing the longest-idle connections to admit new ones",
                                   metadata: ["limit": "\(limit)"])
                }
                evicted.close(promise: nil)
            }
            if let ended {
                logger.info("below the connection limit again",
                            metadata: ["refused": "\(ended.refused)", "idleClosed": "\(ended.evicted)", "limit": "\(limit)"])
            }
            channel.closeFuture.whenComplete { [self] _ in
                _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
            return true
        case .refused(let first):
            if first {
                logger.warning("connection limit reached and every connection is busy; closing new connections",
                               metadata: ["limit": "\(limit)"])
            }
            return false
        case .closing:
            return false
        }
    }

    var openCount: Int { state.withLock { $0.open.count } }
    var refusedCount: Int { state.withLock { $0.refusedTotal } }
    /// Idle connections closed to admit new ones.
    var evictedCount: Int { state.withLock { $0.evictedTotal } }

    /// Stops admitting and asks every connection to finish its current request and close.
    func quiesceAll() {
        let channels = state.withLock { s in
            s.closing = true
            return s.open.values.map(\.channel)
        }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes every connection still open.
    func closeAll() {
        for channel in state.withLock({ $0.open.values.map(\.channel) }) { channel.close(promise: nil) }
    }
}
