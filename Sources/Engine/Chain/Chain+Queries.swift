import Primitives

/// Where a committed transaction is.
public struct TransactionLocation: Sendable, Equatable {
    public var blockHash: Hash32
    public var blockNumber: UInt64
    public var index: Int
}

extension Chain {
    /// The canonical block at `number`, with body and receipts.
    public func block(number: UInt64) throws(EngineError) -> SealedBlock? {
        let head = headBlock
        if number == head.number { return head }
        guard number < head.number, let hash = try database.canonicalHash(number) else { return nil }
        return try block(hash: hash)
    }

    /// A stored block by hash (also blocks that a rollback took off the canonical chain). Recent
    /// blocks come from memory; one read from the database is kept there too.
    public func block(hash: Hash32) throws(EngineError) -> SealedBlock? {
        let head = headBlock
        if hash == head.hash { return head }
        if let recent = recentBlocks.withLock({ $0.block(hash) }) { return recent }
        guard let header = try database.header(hash) else { return nil }
        let block = try database.sealedBlock(header, hash: hash)
        recentBlocks.withLock { $0.insert(block) }
        return block
    }

    /// The header of a stored block by hash, without its body.
    public func header(hash: Hash32) throws(EngineError) -> Header? { try database.header(hash) }

    /// BLOCKHASH's source for a block whose parent is `top`: the canonical hashes of the 256
    /// blocks up to and including `top`, nil for any other number.
    func canonicalHashes(upTo top: UInt64) -> @Sendable (UInt64) -> Hash32? {
        let database = self.database
        return { n in n <= top && top - n < 256 ? try? database.canonicalHash(n) : nil }
    }

    /// The canonical hash at `number`.
    public func canonicalHash(number: UInt64) throws(EngineError) -> Hash32? {
        let head = headBlock
        if number == head.number { return head.hash }
        return number < head.number ? try database.canonicalHash(number) : nil
    }

    /// Where a transaction was included on the canonical chain.
    public func transactionLocation(_ txHash: Hash32) throws(EngineError) -> TransactionLocation? {
        guard let (blockHash, index) = try database.transactionLocation(txHash) else { return nil }
        // A recent block's number is in memory; older ones cost a header read.
        let head = headBlock
        let recent: UInt64? = head.hash == blockHash ? head.number : recentBlocks.withLock { $0.block(blockHash)?.number }
        if let number = recent { return TransactionLocation(blockHash: blockHash, blockNumber: number, index: index) }
        guard let header = try database.header(blockHash) else { return nil }
        return TransactionLocation(blockHash: blockHash, blockNumber: header.number, index: index)
    }

    /// The 65-byte signature of a stored block (empty for genesis).
    public func signature(blockHash: Hash32) throws(EngineError) -> [UInt8]? { try database.signature(blockHash) }

    /// The development state edits (anvil_set*) block `blockHash` applied before its
    /// transactions; empty for every other block.
    public func stateEdits(blockHash: Hash32) throws(EngineError) -> [StateEdit] { try database.stateEdits(blockHash) }

    /// Every signed rollback this datadir made or took from its sequencer, by target height.
    public func rollbackNotices() throws(EngineError) -> [RollbackNotice] { try database.rollbackNotices() }

    /// An account in the head state; nil when it does not exist.
    public func account(_ address: Address) throws(EngineError) -> Account? { try database.account(address) }
}
