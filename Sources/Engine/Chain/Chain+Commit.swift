import Primitives
import Storage

extension Chain {
    /// Commits a built block with its signature: block, receipts, transaction index, state,
    /// trie nodes, signature and head in one synced batch. Only then does the block become the
    /// head (and visible to readers and listeners). Throws, changing nothing, when the block no
    /// longer extends the head or the write fails (a full disk: the next slot may succeed).
    /// `extraWrites` adds other components' records (the L1 watcher's inclusions) to the batch.
    public func commit(_ built: BuiltBlock, signature: [UInt8],
                       extraWrites: (inout WriteBatch) throws -> Void = { _ in }) throws(EngineError) {
        let current = headBlock
        guard built.block.header.parentHash == current.hash else {
            throw .notOnHead(parent: built.block.header.parentHash, head: current.hash)
        }
        var batch = WriteBatch()
        database.putBlock(built.block, signature: signature, into: &batch)
        database.putState(changes: built.stateChanges, originals: built.originals, trieNodes: built.trieNodes,
                          number: built.block.number, into: &batch)
        database.putContractState(storage: built.storageChanges, originals: built.storageOriginals, code: built.newCode,
                                  number: built.block.number, into: &batch)
        database.putL1Cursor(built.nextL1QueueIndex, number: built.block.number, into: &batch)
        database.putStateEdits(built.stateEdits, block: built.block.hash, into: &batch)
        batch.delete(Array(ChainDatabase.MetaKey.pendingBlock.rawValue.utf8), in: database.meta)
        do { try extraWrites(&batch) } catch { throw .stagingFailed(underlying: error) }
        try database.write(batch)
        head.withLock { h in
            h.block = built.block
            h.trie = built.trie
            h.nextL1QueueIndex = built.nextL1QueueIndex
            h.blocksSinceTrieUnload += 1
            if h.blocksSinceTrieUnload >= Self.trieUnloadInterval {
                h.trie.unloadNodes()
                h.blocksSinceTrieUnload = 0
            }
        }
        recentBlocks.withLock { $0.insert(built.block) }
        notify(built.block)
    }

    func notify(_ block: SealedBlock) {
        for listener in listeners.withLock({ $0 }) { listener(block) }
    }

    /// What a rollback removed.
    public struct Rollback: Sendable {
        /// User transactions of the removed blocks, in order, for the mempool.
        public var transactions: [SignedTransaction]
        /// Every account whose state the rollback restored.
        public var touchedAccounts: [Address]
    }

    /// Rolls the canonical chain back so that block `number` is the head (the L1-reorg path):
    /// the state is restored from the per-block diffs, blocks above leave the canonical index and
    /// the transaction index, and their user transactions are returned for the mempool.
    /// Their headers and bodies stay readable by hash. `notice`, the signer's statement of this
    /// rollback (``RollbackNotice``), is stored in the same batch, for followers.
    @discardableResult
    public func rollback(to number: UInt64, notice: RollbackNotice? = nil) throws(EngineError) -> Rollback {
        let current = headBlock
        guard number < current.number else { return Rollback(transactions: [], touchedAccounts: []) }
        guard let targetHash = try database.canonicalHash(number), let target = try database.header(targetHash) else {
            throw .rollbackTargetNotCanonical(block: number)
        }
        var restored: [Address: Account?] = [:]
        var restoredSlots: [Address: [U256: U256]] = [:]
        var returned: [SignedTransaction] = []
        var batch = WriteBatch()
        var n = current.number
        while n > number {
            guard let hash = try database.canonicalHash(n), let diff = try database.stateDiff(n) else {
                throw .stateDiffMissing(block: n)
            }
            // Walking down, the oldest original wins: assign each time.
            for (address, previous) in diff { restored[address] = previous }
            for (address, slot, previous) in try database.storageDiff(n) { restoredSlots[address, default: [:]][slot] = previous }
            if let body = try database.body(hash) {
                for tx in body.transactions { batch.delete(tx.hash.bytes, in: database.txIndex) }
                returned.insert(contentsOf: body.transactions.filter { $0.type != .l1Message }, at: 0)
            }
            database.deleteLogIndex(receipts: try database.receipts(hash) ?? [], number: n, into: &batch)
            batch.delete(ChainDatabase.numberKey(n), in: database.canonical)
            batch.delete(ChainDatabase.numberKey(n), in: database.stateDiffs)
            batch.delete(ChainDatabase.numberKey(n), in: database.storageDiffs)
            batch.delete(ChainDatabase.numberKey(n), in: database.l1Cursor)
            n -= 1
        }
        for (address, previous) in restored {
            if let previous, !previous.isEmpty { batch.put(address.bytes, previous.rlp, in: database.accounts) }
            else { batch.delete(address.bytes, in: database.accounts) }
        }
        for (address, slots) in restoredSlots {
            for (slot, previous) in slots {
                let key = ChainDatabase.storageKey(address, slot)
                if previous.isZero { batch.delete(key, in: database.storageSlots) }
                else { batch.put(key, previous.minimalBytes, in: database.storageSlots) }
            }
        }
        batch.put(Array(ChainDatabase.MetaKey.head.rawValue.utf8), targetHash.bytes, in: database.meta)
        if let notice { database.putRollbackNotice(notice, into: &batch) }
        try database.write(batch)

        let block = try database.sealedBlock(target, hash: targetHash)
        let next = try database.nextL1QueueIndex(after: number) ?? 0
        head.withLock { h in
            h.block = block
            h.trie = SecureTrie(root: target.stateRoot, store: RocksTrieNodeStore(db: database.db, trie: database.trie))
            h.nextL1QueueIndex = next
            h.blocksSinceTrieUnload = 0
        }
        logger.warning("Rolled back the chain", metadata: ["from": "\(current.number)", "to": "\(number)",
                                                            "removed_user_transactions": "\(returned.count)"])
        notify(block)
        return Rollback(transactions: returned, touchedAccounts: Array(restored.keys))
    }
}
