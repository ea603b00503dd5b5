import Primitives

extension L1Watcher {
    /// Everything the watcher needs, from the chain spec's `l1` settings and the `--l1.*` and
    /// `--sequencer.l1-inclusion-mode` flags.
    public struct Configuration: Sendable, Equatable {
        /// L1 JSON-RPC URLs in order of preference (`--l1.url`, comma-separated). Empty: no L1
        /// (`--test` without `--l1.url`): always caught up, no messages.
        public var endpoints: [String]
        /// The chain spec's `l1.chainId`, checked against every endpoint's `eth_chainId`.
        public var chainID: UInt64
        /// The chain spec's `l1.messageQueue`: the contract whose QueueTransaction logs are read.
        public var messageQueue: Address
        /// The chain spec's `l1.startBlock`: the first L1 block read on a fresh datadir.
        public var startBlock: UInt64
        /// The queue index of the first message at or after `startBlock` (0 when the queue was
        /// deployed there). A first message with a higher index is a gap.
        public var firstQueueIndex: UInt64
        public var inclusionMode: L1InclusionMode
        /// Time between polls once caught up (while catching up, ranges are read back to back).
        public var pollInterval: Duration
        /// At most this many blocks per `eth_getLogs` (`query-range`); halved when a provider
        /// refuses, grown back slowly after successes.
        public var queryRange: UInt64
        /// Per-request timeout handed to the transport.
        public var requestTimeout: Duration
        /// Attempts per request across endpoints before the step fails.
        public var maxAttempts: Int
        /// An endpoint's cooldown after its k-th consecutive failure: initial · 2^(k-1), at most
        /// `maxBackoff`, jittered to [d/2, d].
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        /// At most this many unfinalized blocks are read (header by header) per step.
        public var maxUnfinalizedBlocksPerStep: UInt64
        /// Without a `finalized` tag, blocks this far below the head are read in wide ranges.
        public var assumedFinalityDepth: UInt64
        /// A reorg walk longer than this is an error (the L1 or its provider is broken).
        public var maxReorgDepth: UInt64

        public init(endpoints: [String], chainID: UInt64, messageQueue: Address, startBlock: UInt64,
                    firstQueueIndex: UInt64 = 0, inclusionMode: L1InclusionMode = .default,
                    pollInterval: Duration = .seconds(2), queryRange: UInt64 = 500,
                    requestTimeout: Duration = .seconds(10), maxAttempts: Int = 4,
                    initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30),
                    maxUnfinalizedBlocksPerStep: UInt64 = 128, assumedFinalityDepth: UInt64 = 64,
                    maxReorgDepth: UInt64 = 4096) {
            self.endpoints = endpoints; self.chainID = chainID; self.messageQueue = messageQueue
            self.startBlock = startBlock; self.firstQueueIndex = firstQueueIndex; self.inclusionMode = inclusionMode
            self.pollInterval = pollInterval; self.queryRange = queryRange; self.requestTimeout = requestTimeout
            self.maxAttempts = maxAttempts; self.initialBackoff = initialBackoff; self.maxBackoff = maxBackoff
            self.maxUnfinalizedBlocksPerStep = maxUnfinalizedBlocksPerStep
            self.assumedFinalityDepth = assumedFinalityDepth; self.maxReorgDepth = maxReorgDepth
        }

        /// Whether an L1 is configured at all.
        public var isEnabled: Bool { !endpoints.isEmpty }

        /// Splits `--l1.url`'s comma-separated list, trimming spaces. Each entry must be an
        /// `http://` or `https://` URL with a host; duplicates are refused.
        public static func parseEndpoints(_ text: String) throws(L1WatcherError) -> [String] {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            if parts.count == 1 && parts[0].isEmpty { return [] }
            var seen = Set<String>()
            for part in parts {
                let lower = part.lowercased()
                let rest: Substring
                if lower.hasPrefix("http://") { rest = part.dropFirst(7) } else if lower.hasPrefix("https://") { rest = part.dropFirst(8) } else {
                    throw L1WatcherError(code: .invalidConfiguration,
                                         message: part.isEmpty ? "an empty L1 URL in the list (stray comma?)"
                                             : "L1 URL \"\(L1RPCClient.redacted(part))\" is not an http:// or https:// URL",
                                         isTransient: false)
                }
                guard let first = rest.first, first != "/", first != ":" else {
                    throw L1WatcherError(code: .invalidConfiguration, message: "L1 URL \"\(L1RPCClient.redacted(part))\" has no host", isTransient: false)
                }
                guard seen.insert(part).inserted else {
                    throw L1WatcherError(code: .invalidConfiguration, message: "L1 URL \"\(L1RPCClient.redacted(part))\" is listed twice", isTransient: false)
                }
            }
            return parts
        }

        /// Checks the numbers; the messages name the setting.
        public func validate() throws(L1WatcherError) {
            func bad(_ m: String) -> L1WatcherError { L1WatcherError(code: .invalidConfiguration, message: m, isTransient: false) }
            guard queryRange >= 1 else { throw bad("query-range must be at least 1 block") }
            guard pollInterval > .zero else { throw bad("the L1 poll interval must be positive") }
            guard requestTimeout > .zero else { throw bad("the L1 request timeout must be positive") }
            guard maxAttempts >= 1 else { throw bad("L1 request attempts must be at least 1") }
            guard initialBackoff > .zero, maxBackoff >= initialBackoff else { throw bad("L1 backoff must be positive, the maximum at least the initial one") }
            guard maxUnfinalizedBlocksPerStep >= 1, maxReorgDepth >= 1 else { throw bad("L1 step limits must be at least 1") }
        }
    }
}
