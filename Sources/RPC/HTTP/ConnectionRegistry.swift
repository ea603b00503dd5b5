import Logging
import NIOCore
import Synchronization

/// The open connections of one server: enforces the connection limit, and reaches every
/// connection at shutdown.
final class ConnectionRegistry: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var refusedTotal = 0
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
    /// the limit is reached or the server is shutting down. The first refusal of a burst is
    /// logged at warning; the end of the burst at info with the count.
    func admit(_ channel: any Channel) -> Bool {
        enum Outcome { case admitted(endedBurst: Int?), refused(firstOfBurst: Bool), closing }
        let outcome: Outcome = state.withLock { s in
            if s.closing { return .closing }
            if s.open.count >= limit {
                s.refusedTotal += 1
                let first = s.refusedInBurst == nil
                s.refusedInBurst = (s.refusedInBurst ?? 0) + 1
                return .refused(firstOfBurst: first)
            }
            s.open[ObjectIdentifier(channel)] = channel
            let ended = s.refusedInBurst
            s.refusedInBurst = nil
            return .admitted(endedBurst: ended)
        }
        switch outcome {
        case .admitted(let ended):
            if let ended {
                logger.info("accepting RPC connections again", metadata: ["refused": "\(ended)", "limit": "\(limit)"])
            }
            channel.closeFuture.whenComplete { [self] _ in
                _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
            return true
        case .refused(let first):
            if first {
                logger.warning("RPC connection limit reached; closing new connections", metadata: ["limit": "\(limit)"])
            }
            return false
        case .closing:
            return false
        }
    }

    var openCount: Int { state.withLock { $0.open.count } }
    var refusedCount: Int { state.withLock { $0.refusedTotal } }

    /// Stops admitting and asks every connection to finish its current request and close.
    func quiesceAll() {
        let channels = state.withLock { s in
            s.closing = true
            return Array(s.open.values)
        }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes every connection still open.
    func closeAll() {
        for channel in state.withLock({ Array($0.open.values) }) { channel.close(promise: nil) }
    }
}
