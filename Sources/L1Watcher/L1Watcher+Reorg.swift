import Logging
import Primitives
import Storage

/// What `revertToL1Block` did.
public struct L1RevertSummary: Sendable, Equatable {
    /// The last L1 block kept (nil: none; reading starts again at the start block).
    public var l1Block: UInt64?
    /// Messages deleted (they are read again from L1).
    public var removedMessages: UInt64
    /// The lowest deleted queue index, if any was deleted.
    public var lowestRemovedQueueIndex: UInt64?
}

extension L1Watcher {
    // MARK: - Reorgs

    /// Walks back from `canonical` (a current L1 header at or below the cursor's height) by parent
    /// hash until a stored header matches: that block is the fork point. Everything above it is
    /// removed. Returns the fork point (nil: nothing kept).
    func handleReorg(canonical: L1BlockHeader) async throws(L1WatcherError) -> UInt64? {
        let cursor = state.withLock { $0.cursor }
        let lowestStored = try store.lowestHeaderNumber()
        var h = canonical
        var walked: UInt64 = 0
        var fork: UInt64?
        var forkHash: Hash32?
        while true {
            let stored: Hash32? = h.number == cursor?.number ? cursor?.hash : try store.header(h.number)?.hash
            if let stored, stored == h.hash { fork = h.number; forkHash = h.hash; break }
            if h.number <= configuration.startBlock { fork = nil; break }
            if lowestStored.map({ h.number <= $0 }) ?? true {
                // Below every header kept (the reorg reached under the finalized anchor, or no
                // header is stored): compare the blocks of the stored messages instead.
                logger.error("L1 reorg reaches below the oldest L1 header kept\(lowestStored.map { " (block \($0))" } ?? ""); finding the fork point from the stored messages' blocks")
                (fork, forkHash) = try await forkPointByMessages(atOrBelow: h.number)
                break
            }
            walked += 1
            guard walked <= configuration.maxReorgDepth else {
                throw L1WatcherError(code: .inconsistentL1,
                                     message: "L1 reorg deeper than \(configuration.maxReorgDepth) blocks below \(canonical.number); not following it",
                                     isTransient: false)
            }
            h = try await parentHeader(of: h)
        }
        let depth = (cursor?.number ?? 0) - (fork ?? (configuration.startBlock > 0 ? configuration.startBlock - 1 : 0))
        logger.warning("L1 reorg: fork point \(fork.map { "block \($0)" } ?? "before the start block"), \(depth) processed block(s) replaced")
        try revertLocked(to: fork, knownHash: forkHash, reason: "L1 reorg")
        return fork
    }

    /// The highest L1 block at or below `block` holding a stored message whose block hash is still
    /// canonical (nil: none is). Blocks without messages need no check: nothing is stored for them.
    private func forkPointByMessages(atOrBelow block: UInt64) async throws(L1WatcherError) -> (UInt64?, Hash32?) {
        var candidates: [(UInt64, Hash32)] = []
        var failure: L1WatcherError?
        do {
            try store.db.scan(in: store.messages, from: nil, to: nil, reverse: true) { key, value in
                do {
                    let m = try L1Message(storage: value)
                    guard m.l1BlockNumber <= block else { return true }
                    if candidates.last?.0 != m.l1BlockNumber { candidates.append((m.l1BlockNumber, m.l1BlockHash)) }
                    return UInt64(candidates.count) < configuration.maxReorgDepth
                } catch {
                    failure = .malformed("stored message is corrupt: \(error)")
                    return false
                }
            }
        } catch { throw .storage(error, "scanning messages") }
        if let failure { throw failure }
        for (number, hash) in candidates {
            if number < configuration.startBlock { break }
            if try await header(number: number).hash == hash { return (number, hash) }
        }
        // No stored message at or below `block` is still canonical: keep only what lies below
        // the lowest one checked (nothing is stored there, or it is beyond maxReorgDepth). A
        // message the new chain has further down shows up as a queue gap and is read then.
        let below = candidates.last.map { $0.0 } ?? block
        return below > configuration.startBlock ? (below - 1, nil) : (nil, nil)
    }

    private func parentHeader(of h: L1BlockHeader) async throws(L1WatcherError) -> L1BlockHeader {
        let json = try await client!.call("eth_getBlockByHash", "[\"\(h.parentHash.hex)\",false]")
        guard !json.isNull else {
            throw L1WatcherError(code: .inconsistentL1, message: "the parent of L1 block \(h.number) is not available (reorg in progress?)", isTransient: true)
        }
        return try L1BlockHeader(json: json)
    }

    /// Deletes the messages of L1 blocks above `block` (all of them when nil), the headers above
    /// it, and moves the cursor there, in one write; remembers to check inclusions from the lowest
    /// deleted index. Caller holds the gate.
    @discardableResult
    func revertLocked(to block: UInt64?, knownHash: Hash32?, reason: String) throws(L1WatcherError) -> L1RevertSummary {
        try inclusionLock.withLock { _ throws(L1WatcherError) -> L1RevertSummary in
            let lowest: UInt64? = try lowestMessage(above: block)
            let (next, checkFrom) = state.withLock { ($0.nextQueueIndex, $0.reorgCheckFrom) }
            var batch = WriteBatch()
            let end = [UInt8](repeating: 0xff, count: 9)
            if let lowest {
                batch.deleteRange(from: L1MessageStore.key(lowest), to: end, in: store.messages)
            }
            let headerStart = block.map { $0 == .max ? end : L1MessageStore.key($0 + 1) } ?? L1MessageStore.key(0)
            batch.deleteRange(from: headerStart, to: end, in: store.headers)
            var cursor: L1Cursor?
            if let block {
                var hash = knownHash
                if hash == nil { hash = try store.header(block)?.hash }
                cursor = L1Cursor(number: block, hash: hash)
            }
            if let cursor {
                batch.put(L1MessageStore.metaKey(.cursor), L1MessageStore.encode(cursor), in: store.meta)
            } else {
                batch.delete(L1MessageStore.metaKey(.cursor), in: store.meta)
            }
            var newCheckFrom = checkFrom
            if let lowest {
                newCheckFrom = Swift.min(checkFrom ?? .max, lowest)
                batch.put(L1MessageStore.metaKey(.reorgCheckFrom), L1MessageStore.key(newCheckFrom!), in: store.meta)
            }
            // The message before the lowest deleted one continues the queue.
            var previous: L1Message?
            if let lowest, lowest > configuration.firstQueueIndex { previous = try store.message(lowest - 1) }
            try store.write(batch, "the revert to L1 block \(block.map(String.init) ?? "before the start")")
            state.withLock { s in
                s.cursor = cursor
                if let lowest {
                    s.nextQueueIndex = lowest
                    s.lastRollingHash = previous?.rollingHash
                    s.lastMessageBlock = previous?.l1BlockNumber
                    s.reorgCheckFrom = newCheckFrom
                    s.reorgForkBlock = block
                    s.cleanSweeps = 0
                }
            }
            let removed = lowest.map { next - $0 } ?? 0
            logger.warning("\(reason): kept L1 blocks up to \(block.map(String.init) ?? "none"), removed \(removed) message(s)\(lowest.map { " from queue index \($0)" } ?? ""); reading them again")
            return L1RevertSummary(l1Block: block, removedMessages: removed, lowestRemovedQueueIndex: lowest)
        }
    }

    /// The lowest queue index whose L1 block is above `block` (any, when nil). Scans from the end.
    private func lowestMessage(above block: UInt64?) throws(L1WatcherError) -> UInt64? {
        guard let block else { return try store.firstMessageIndex() }
        return try store.lowestMessage(aboveBlock: block)
    }

    /// Checks the recorded inclusions from `reorgCheckFrom` on against the stored messages. An
    /// inclusion whose message is different, or missing once the watcher has caught up with L1,
    /// means L2 blocks include a message L1 no longer has: the lowest such one is reported (once
    /// per process; again after a restart until the node forgets the inclusion). The check is
    /// dropped after two clean rounds (covering an inclusion written just after a reorg).
    func sweep(caughtUp: Bool) throws(L1WatcherError) -> L1MessagesRemoved? {
        guard let from = state.withLock({ $0.reorgCheckFrom }) else { return nil }
        var orphan: (UInt64, L1MessageStore.Inclusion)?
        var undecided = false
        for (index, inclusion) in try store.inclusions(from: from) {
            if let message = try store.message(index) {
                if message.transactionHash != inclusion.transactionHash { orphan = (index, inclusion); break }
            } else if caughtUp {
                orphan = (index, inclusion); break
            } else {
                undecided = true; break
            }
        }
        if let (index, inclusion) = orphan {
            return state.withLock { s -> L1MessagesRemoved? in
                s.cleanSweeps = 0
                let event = L1MessagesRemoved(lowestQueueIndex: index, l2Block: inclusion.l2Block, l1ForkBlock: s.reorgForkBlock)
                return s.delivered.insert(event).inserted ? event : nil
            }
        }
        let clear = state.withLock { s -> Bool in
            if undecided { s.cleanSweeps = 0; return false }
            s.cleanSweeps += 1
            return s.cleanSweeps >= 2
        }
        if clear {
            try inclusionLock.withLock { _ throws(L1WatcherError) in
                // A markIncluded may have moved the mark since; clear only the value we checked.
                guard state.withLock({ $0.reorgCheckFrom }) == from else { return }
                var batch = WriteBatch()
                batch.delete(L1MessageStore.metaKey(.reorgCheckFrom), in: store.meta)
                try store.write(batch, "the reorg check mark")
                state.withLock { s in s.reorgCheckFrom = nil; s.reorgForkBlock = nil; s.cleanSweeps = 0 }
            }
        }
        return nil
    }

    // MARK: - Admin

    /// `rollupNodeAdmin_revertToL1Block(n)`: forgets what was read above L1 block `n` and reads it
    /// again, through the same path as a reorg (inclusions of messages that come back different or
    /// not at all are reported to the reorg handler). `n` at or above the last processed block
    /// does nothing; below the start block, everything is read again.
    public func revertToL1Block(_ n: UInt64) async throws(L1WatcherError) -> L1RevertSummary {
        await gate.enter()
        var reports: [L1MessagesRemoved] = []
        let result: Result<L1RevertSummary, L1WatcherError>
        do throws(L1WatcherError) {
            let cursor = state.withLock { $0.cursor }
            if let cursor, n < cursor.number {
                let target: UInt64? = n >= configuration.startBlock ? n : nil
                let summary = try revertLocked(to: target, knownHash: nil, reason: "revert to L1 block \(n) requested")
                if let event = try sweep(caughtUp: false) { reports.append(event) }
                result = .success(summary)
            } else {
                result = .success(L1RevertSummary(l1Block: cursor?.number, removedMessages: 0, lowestRemovedQueueIndex: nil))
            }
        } catch {
            result = .failure(error)
        }
        gate.leave()
        await deliver(reports)
        return try result.get()
    }
}

extension L1MessageStore {
    func firstMessageIndex() throws(L1WatcherError) -> UInt64? {
        do { return try db.firstEntry(in: messages).flatMap { Self.number($0.key) } } catch { throw .storage(error, "reading messages") }
    }
}
