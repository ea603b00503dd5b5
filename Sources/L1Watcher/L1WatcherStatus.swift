/// A snapshot of the watcher for `rollupNode_status`.
public struct L1WatcherStatus: Sendable, Equatable {
    public struct Endpoint: Sendable, Equatable {
        /// scheme://host[:port] only (provider URLs often carry API keys).
        public var url: String
        /// No failure since its last success, and not cooling down.
        public var isHealthy: Bool
        /// The endpoint the last successful request went to.
        public var isActive: Bool
        public var consecutiveFailures: Int
        public var requests: Int
        public var failures: Int
        public var lastError: String?
    }

    /// False without an L1 (`--test` without `--l1.url`).
    public var isEnabled: Bool
    public var inclusionMode: L1InclusionMode
    public var latestBlock: UInt64?
    public var finalizedBlock: UInt64?
    public var lastProcessedBlock: UInt64?
    /// The highest L1 block whose messages are eligible now.
    public var eligibleThroughBlock: UInt64?
    /// The queue index the next message read from L1 will have.
    public var nextQueueIndex: UInt64
    /// One past the highest queue index L2 blocks included (as recorded by `markIncluded`).
    public var nextUnincludedQueueIndex: UInt64
    /// Messages read from L1 and not yet included.
    public var pendingMessageCount: UInt64
    /// The current eth_getLogs range (below `query-range` after a provider refused wider ones).
    public var queryRange: UInt64
    public var isCaughtUp: Bool
    /// Enabled and either behind the L1 head, or the last step failed.
    public var isLagging: Bool
    /// A reorg's inclusion check is pending (messages above it are held back).
    public var reorgCheckFromQueueIndex: UInt64?
    public var endpoints: [Endpoint]
    /// The last step's error, if it failed.
    public var lastError: String?
    /// Time since the last successful poll of the L1 heads.
    public var sinceLastPoll: Duration?
}

extension L1Watcher {
    /// The current state; never waits for the network.
    public var status: L1WatcherStatus {
        let now = clock.now
        let s = state.withLock { $0 }
        let health = client?.endpointHealth ?? []
        let active = client?.activeEndpoint
        let mode = configuration.inclusionMode
        let enabled = client != nil
        let caughtUp = enabled ? Self.caughtUp(s) : true
        return L1WatcherStatus(
            isEnabled: enabled, inclusionMode: mode, latestBlock: s.latest?.number, finalizedBlock: s.finalized?.number,
            lastProcessedBlock: s.cursor?.number,
            eligibleThroughBlock: mode.eligibleThrough(latest: s.latest?.number, finalized: s.finalized?.number),
            nextQueueIndex: s.nextQueueIndex, nextUnincludedQueueIndex: s.includedNext,
            pendingMessageCount: s.nextQueueIndex > s.includedNext ? s.nextQueueIndex - s.includedNext : 0,
            queryRange: s.queryRange, isCaughtUp: caughtUp, isLagging: enabled && !caughtUp,
            reorgCheckFromQueueIndex: s.reorgCheckFrom,
            endpoints: health.enumerated().map { i, h in
                L1WatcherStatus.Endpoint(url: client!.names[i],
                                         isHealthy: h.consecutiveFailures == 0 && (h.cooldownUntil ?? .zero) <= now,
                                         isActive: active == i, consecutiveFailures: h.consecutiveFailures,
                                         requests: h.requests, failures: h.failures, lastError: h.lastError)
            },
            lastError: s.lastError,
            sinceLastPoll: s.lastPollAt.map { now - $0 })
    }
}
