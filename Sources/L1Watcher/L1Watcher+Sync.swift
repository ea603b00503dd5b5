import Logging
import JSON
import Primitives
import Storage

/// What one `step()` did.
public struct L1StepReport: Sendable, Equatable {
    /// L1 blocks whose logs were read and committed in this step, if any.
    public var syncedBlocks: ClosedRange<UInt64>?
    /// New messages stored in this step.
    public var newMessages: Int = 0
    /// Set when this step found an L1 reorg (or a conflicting message) and removed what lay above
    /// the fork point.
    public var reorg: Reorg?
    public struct Reorg: Sendable, Equatable {
        /// The last L1 block kept (nil: none; reading starts again at the start block).
        public var forkBlock: UInt64?
    }
    /// The queue index at which a gap was found (the range was rewound to re-read it).
    public var gapAt: UInt64?
    /// Whether the watcher has processed the L1 head after this step.
    public var isCaughtUp: Bool = false
    /// Without an L1 configured the step does nothing.
    public var isDisabled: Bool = false

    public init() {}
}

extension L1Watcher {
    // MARK: - Step

    /// One round: poll `finalized` and `latest`, check the stored chain against L1 (walking back
    /// to the fork point on a reorg), read one range of QueueTransaction logs and commit it with
    /// the cursor, then check recorded inclusions against the messages. Throws when L1 could not
    /// be read (after the client's retries and failover); nothing is committed then. Serialised
    /// with other steps and `revertToL1Block`.
    public func step() async throws(L1WatcherError) -> L1StepReport {
        guard client != nil else {
            var r = L1StepReport()
            r.isDisabled = true
            r.isCaughtUp = true
            return r
        }
        await gate.enter()
        var reports: [L1MessagesRemoved] = []
        let result: Result<L1StepReport, L1WatcherError>
        do {
            result = .success(try await stepLocked(&reports))
        } catch {
            result = .failure(error)
        }
        state.withLock { s in
            s.steps += 1
            switch result {
            case .success: s.lastStepSucceeded = true; s.lastError = nil
            case .failure(let e): s.lastStepSucceeded = false; s.lastError = e.description
            }
        }
        gate.leave()
        await deliver(reports)
        return try result.get()
    }

    func deliver(_ reports: [L1MessagesRemoved]) async {
        guard !reports.isEmpty else { return }
        let handler = reorgHandler.withLock { $0 }
        for report in reports {
            logger.warning("\(report); the L2 chain must roll back to block \(report.l2Block == 0 ? 0 : report.l2Block - 1)")
            if let handler {
                await handler.includedL1MessagesRemoved(report)
            } else {
                logger.error("no reorg handler is set; nobody rolls the L2 chain back")
            }
        }
    }

    private func stepLocked(_ reports: inout [L1MessagesRemoved]) async throws(L1WatcherError) -> L1StepReport {
        var report = L1StepReport()
        let previousFinalized = state.withLock { $0.finalized?.number }
        let (latest, finalized) = try await pollHeads()

        // The stored chain against L1 at the cursor's height.
        if let cursor = state.withLock({ $0.cursor }) {
            if latest.number < cursor.number {
                if try isBehindUs(latest, previousFinalized: previousFinalized) {
                    // A provider that has not seen our blocks yet (failover to a lagging node),
                    // not a reorg: a reorg replaces blocks, it does not only remove them.
                    logger.warning("L1 endpoint's head \(latest) is behind the last processed block \(cursor.number) on the same chain; waiting for it")
                    report.isCaughtUp = true
                    return report
                }
                logger.warning("L1 head \(latest) is below the last processed block \(cursor.number) on another chain: reorg")
                report.reorg = .init(forkBlock: try await handleReorg(canonical: latest))
            } else if latest.number == cursor.number {
                if let hash = cursor.hash, hash != latest.hash {
                    logger.warning("L1 block \(cursor.number) changed from \(hash.hex.prefix(10))… to \(latest): reorg")
                    report.reorg = .init(forkBlock: try await handleReorg(canonical: latest))
                } else if cursor.hash == nil {
                    try adoptCursorHash(latest)
                }
            }
        }

        let next = state.withLock { $0.cursor.map { $0.number + 1 } ?? configuration.startBlock }
        if next <= latest.number && report.reorg == nil {
            try await syncRange(from: next, latest: latest, finalized: finalized, report: &report)
        }

        let caughtUp = state.withLock { s in s.cursor.map { $0.number >= latest.number } ?? false }
        report.isCaughtUp = caughtUp
        if let event = try sweep(caughtUp: caughtUp) { reports.append(event) }
        return report
    }

    /// Whether `head`, below the cursor, is a block of the chain already processed: at or below
    /// the finalized block seen before, or matching the header stored at its height.
    private func isBehindUs(_ head: L1BlockHeader, previousFinalized: UInt64?) throws(L1WatcherError) -> Bool {
        if let previousFinalized, head.number <= previousFinalized { return true }
        return try store.header(head.number)?.hash == head.hash
    }

    /// `latest` and `finalized` (nil when the L1 does not serve the tag).
    private func pollHeads() async throws(L1WatcherError) -> (L1BlockHeader, L1BlockHeader?) {
        let client = client!
        let latestJSON = try await client.call("eth_getBlockByNumber", "[\"latest\",false]")
        guard !latestJSON.isNull else { throw .malformed("eth_getBlockByNumber(\"latest\") returned null") }
        let latest = try L1BlockHeader(json: latestJSON)
        var finalized: L1BlockHeader?
        do {
            let json = try await client.call("eth_getBlockByNumber", "[\"finalized\",false]", rpcErrorsAreAnswers: true)
            if !json.isNull { finalized = try L1BlockHeader(json: json) }
        } catch where error.code == .rpcError {
            finalized = nil
        }
        if let f = finalized, f.number > latest.number {
            // Two providers at different heights; keep the view consistent.
            finalized = nil
        }
        let warn = state.withLock { s -> Bool in
            s.latest = latest
            if let finalized { s.finalized = finalized } else if s.finalized.map({ $0.number > latest.number }) ?? false { s.finalized = nil }
            s.lastPollAt = clock.now
            let warn = finalized == nil && !s.warnedNoFinalized
            if warn { s.warnedNoFinalized = true }
            return warn
        }
        if warn {
            logger.warning("L1 serves no finalized block; finalized:N inclusion has nothing eligible, and blocks \(configuration.assumedFinalityDepth) below the head are read as settled")
        }
        return (latest, state.withLock { $0.finalized })
    }

    func header(number: UInt64) async throws(L1WatcherError) -> L1BlockHeader {
        let json = try await client!.call("eth_getBlockByNumber", "[\"\(Hex.encodeQuantity(number))\",false]")
        guard !json.isNull else {
            throw L1WatcherError(code: .inconsistentL1, message: "L1 block \(number) is not available (the head moved back?)", isTransient: true)
        }
        let h = try L1BlockHeader(json: json)
        guard h.number == number else { throw .malformed("asked for L1 block \(number), got \(h.number)") }
        return h
    }

    private func header(hash: Hash32) async throws(L1WatcherError) -> L1BlockHeader {
        let json = try await client!.call("eth_getBlockByHash", "[\"\(hash.hex)\",false]")
        guard !json.isNull else {
            throw L1WatcherError(code: .inconsistentL1, message: "L1 block \(hash.hex) is not available (reorged away?)", isTransient: true)
        }
        let h = try L1BlockHeader(json: json)
        guard h.hash == hash else { throw .malformed("asked for L1 block \(hash.hex), got \(h.hash.hex)") }
        return h
    }

    private func adoptCursorHash(_ header: L1BlockHeader) throws(L1WatcherError) {
        let cursor = L1Cursor(number: header.number, hash: header.hash)
        var batch = WriteBatch()
        batch.put(L1MessageStore.metaKey(.cursor), L1MessageStore.encode(cursor), in: store.meta)
        batch.put(L1MessageStore.key(header.number), L1MessageStore.encode(header), in: store.headers)
        try store.write(batch, "the cursor")
        state.withLock { $0.cursor = cursor }
    }

    // MARK: - One range

    private func syncRange(from: UInt64, latest: L1BlockHeader, finalized: L1BlockHeader?,
                           report: inout L1StepReport) async throws(L1WatcherError) {
        let cursor = state.withLock { $0.cursor }
        let settled: UInt64? = finalized?.number
            ?? (latest.number >= configuration.assumedFinalityDepth ? latest.number - configuration.assumedFinalityDepth : nil)
        let range = state.withLock { $0.queryRange }

        var headers: [L1BlockHeader] = []  // ascending, for unfinalized ranges
        var to: UInt64
        if let settled, from <= settled {
            // Settled blocks: wide ranges, no header walk. The cursor is still checked once per
            // range so that a reorg we slept through is not missed.
            to = Swift.min(from + range - 1, settled)
            if let cursor, let hash = cursor.hash {
                let canonical = try await header(number: cursor.number)
                if canonical.hash != hash {
                    logger.warning("L1 block \(cursor.number) changed from \(hash.hex.prefix(10))… to \(canonical): reorg")
                    report.reorg = .init(forkBlock: try await handleReorg(canonical: canonical))
                    return
                }
            }
        } else {
            // Unfinalized blocks: fetch every header first (by parent hash from the top, so they
            // form one chain), check it continues the cursor, then read the logs and check that
            // each came from these blocks.
            to = Swift.min(from + Swift.min(range, configuration.maxUnfinalizedBlocksPerStep) - 1, latest.number)
            var h = to == latest.number ? latest : try await header(number: to)
            headers.append(h)
            while h.number > from {
                h = try await header(hash: h.parentHash)
                headers.append(h)
            }
            headers.reverse()
            if let cursor, cursor.number + 1 == from, let hash = cursor.hash, headers[0].parentHash != hash {
                logger.warning("L1 block \(from) no longer builds on the processed block \(cursor.number): reorg")
                let parent = try await header(hash: headers[0].parentHash)
                report.reorg = .init(forkBlock: try await handleReorg(canonical: parent))
                return
            }
        }

        let (end, logs) = try await fetchLogs(from: from, to: to)
        to = end
        let toHeader: L1BlockHeader
        if headers.isEmpty {
            toHeader = to == finalized?.number ? finalized! : try await header(number: to)
            if let bad = logs.first(where: { $0.blockNumber == to && $0.blockHash != toHeader.hash }) {
                throw L1WatcherError(code: .inconsistentL1,
                                     message: "a log of L1 block \(to) has hash \(bad.blockHash.hex), the block \(toHeader.hash.hex); reading again",
                                     isTransient: true)
            }
        } else {
            headers.removeLast(headers.count - Int(to - from + 1))
            toHeader = headers.last!
            for log in logs where headers[Int(log.blockNumber - from)].hash != log.blockHash {
                throw L1WatcherError(code: .inconsistentL1,
                                     message: "L1 changed while reading blocks \(from)-\(to) (log in block \(log.blockNumber) has another hash); reading again",
                                     isTransient: true)
            }
        }
        try await commit(from: from, to: toHeader, walked: headers, logs: logs, finalized: finalized, report: &report)
    }

    /// eth_getLogs over [from, to], halving the span while the provider refuses it. Returns the
    /// end actually read and the logs sorted by (block, log index).
    private func fetchLogs(from: UInt64, to: UInt64) async throws(L1WatcherError) -> (UInt64, [QueueTransactionLog]) {
        var span = to - from + 1
        while true {
            let end = from + span - 1
            let params = "[{\"fromBlock\":\"\(Hex.encodeQuantity(from))\",\"toBlock\":\"\(Hex.encodeQuantity(end))\",\"address\":\"\(configuration.messageQueue.hex)\",\"topics\":[\"\(QueueTransactionLog.topic0.hex)\"]}]"
            let result: JSONValue
            do {
                result = try await client!.call("eth_getLogs", params)
            } catch where error.code == .rangeTooLarge {
                guard span > 1 else { throw error }
                span = Swift.max(1, span / 2)
                state.withLock { $0.queryRange = span }
                logger.warning("L1 provider refused eth_getLogs over blocks \(from)-\(end) (\(error.message)); query range now \(span)")
                continue
            }
            growRange(used: span)
            guard let items = result.arrayValue else { throw .malformed("eth_getLogs returned \(result), not an array") }
            var logs: [QueueTransactionLog] = []
            logs.reserveCapacity(items.count)
            for item in items {
                guard let log = try QueueTransactionLog.decode(item, queue: configuration.messageQueue) else { continue }
                guard log.blockNumber >= from && log.blockNumber <= end else {
                    throw .malformed("eth_getLogs over \(from)-\(end) returned a log of block \(log.blockNumber)")
                }
                logs.append(log)
            }
            logs.sort { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
            return (end, logs)
        }
    }

    /// After a success with the full current range, grow it by a tenth (at least one block) up
    /// to the configured `queryRange`.
    private func growRange(used span: UInt64) {
        state.withLock { s in
            guard span >= s.queryRange, s.queryRange < configuration.queryRange else { return }
            s.queryRange = Swift.min(configuration.queryRange, s.queryRange + Swift.max(1, s.queryRange / 10))
        }
    }

    /// Turns logs into messages (gap and duplicate checks) and commits them with the cursor.
    private func commit(from: UInt64, to toHeader: L1BlockHeader, walked: [L1BlockHeader], logs: [QueueTransactionLog],
                        finalized: L1BlockHeader?, report: inout L1StepReport) async throws(L1WatcherError) {
        let to = toHeader.number
        var (expected, rolling, lastBlock) = state.withLock { ($0.nextQueueIndex, $0.lastRollingHash, $0.lastMessageBlock) }
        let firstNew = expected
        var messages: [L1Message] = []
        var gap: (expected: UInt64, found: UInt64, block: UInt64)?
        for log in logs {
            let index = log.message.queueIndex
            if index < expected {
                // Seen before: must be the same message from the same block.
                let existing = index >= firstNew ? messages[Int(index - firstNew)] : try store.message(index)
                let hash = SignedTransaction(l1Message: log.message).hash
                if let existing, existing.transactionHash == hash, existing.l1BlockHash == log.blockHash { continue }
                let storedBlock = existing?.l1BlockNumber ?? log.blockNumber
                let fork = Swift.min(storedBlock, log.blockNumber)
                logger.warning("L1 message \(index) read again from block \(log.blockNumber) differs from the stored one (block \(storedBlock)); reverting to L1 block \(fork == 0 ? 0 : fork - 1)")
                let target: UInt64? = fork > configuration.startBlock ? fork - 1 : nil
                try revertLocked(to: target, knownHash: nil, reason: "conflicting L1 message \(index)")
                report.reorg = .init(forkBlock: target)
                return
            }
            if index > expected {
                gap = (expected, index, log.blockNumber)
                break
            }
            let hash = SignedTransaction(l1Message: log.message).hash
            let next = L1Message.rollingHash(previous: rolling, transactionHash: hash)
            messages.append(L1Message(transaction: log.message, l1BlockNumber: log.blockNumber, l1BlockHash: log.blockHash,
                                      l1TransactionHash: log.transactionHash, logIndex: log.logIndex, transactionHash: hash,
                                      rollingHash: next))
            rolling = next
            lastBlock = log.blockNumber
            expected += 1
        }

        var batch = WriteBatch()
        for m in messages {
            batch.put(L1MessageStore.key(m.queueIndex), m.encodedForStorage(), in: store.messages)
        }
        let newCursor: L1Cursor?
        if let gap {
            // The missing message lies between the last contiguous message's block and the
            // block where the next one showed up: read again from that block (the messages
            // already stored come back as duplicates and are skipped).
            let resume = lastBlock ?? configuration.startBlock
            newCursor = resume > configuration.startBlock
                ? L1Cursor(number: resume - 1, hash: try store.header(resume - 1)?.hash) : nil
            report.gapAt = gap.expected
            logger.warning("L1 message queue gap: expected index \(gap.expected), got \(gap.found) in L1 block \(gap.block); reading again from block \(resume)")
        } else {
            for h in walked { batch.put(L1MessageStore.key(h.number), L1MessageStore.encode(h), in: store.headers) }
            if walked.isEmpty { batch.put(L1MessageStore.key(to), L1MessageStore.encode(toHeader), in: store.headers) }
            newCursor = L1Cursor(number: to, hash: toHeader.hash)
            // Prune headers below the newest one at or below the finalized block (the anchor).
            if let f = finalized?.number {
                let anchor: UInt64? = to <= f ? to : try lastHeader(atOrBelow: f)
                if let anchor, anchor > 0 {
                    batch.deleteRange(from: L1MessageStore.key(0), to: L1MessageStore.key(anchor), in: store.headers)
                }
            }
        }
        if let newCursor {
            batch.put(L1MessageStore.metaKey(.cursor), L1MessageStore.encode(newCursor), in: store.meta)
        } else {
            batch.delete(L1MessageStore.metaKey(.cursor), in: store.meta)
        }
        try store.write(batch, "L1 messages of blocks \(from)-\(to)")
        state.withLock { s in
            s.cursor = newCursor
            if let last = messages.last {
                s.nextQueueIndex = last.queueIndex + 1
                s.lastRollingHash = last.rollingHash
                s.lastMessageBlock = last.l1BlockNumber
            }
        }
        report.newMessages += messages.count
        guard gap == nil else { return }
        report.syncedBlocks = from...to
        let (latest, fin) = state.withLock { ($0.latest?.number ?? to, $0.finalized?.number) }
        let queue = messages.isEmpty ? "no messages" : "\(messages.count) message(s), queue \(messages.first!.queueIndex)-\(messages.last!.queueIndex)"
        let line: Logger.Message = "L1 blocks \(from)-\(to) synced: \(queue); L1 head \(latest), finalized \(fin.map(String.init) ?? "none")"
        // Following the head block by block without messages is routine: debug, not info.
        logger.log(level: messages.isEmpty && from == to ? .debug : .info, line)
    }

    private func lastHeader(atOrBelow n: UInt64) throws(L1WatcherError) -> UInt64? {
        do {
            return try store.db.lastEntry(in: store.headers, before: L1MessageStore.key(n) + [0]).flatMap { L1MessageStore.number($0.key) }
        } catch { throw .storage(error, "reading L1 headers") }
    }
}
