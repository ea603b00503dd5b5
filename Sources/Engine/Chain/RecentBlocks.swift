import Primitives

/// The blocks committed (or read) last, whole, by hash: receipt and transaction lookups in
/// recent blocks, which clients poll right after each new head, then do not decode the block
/// from the database each time. eth_getTransactionReceipt needs the whole block (cumulative gas,
/// log indexes), and decoding a 6,500-transfer block's body and receipts takes about 13 ms.
///
/// A block never changes under its hash (a rollback leaves rolled-back blocks readable by hash),
/// so entries never go stale. Bounded by blocks and by transactions in total (about 0.8 KB of
/// memory each with its receipt), oldest out first.
struct RecentBlocks: Sendable {
    let maxBlocks: Int
    let maxTransactions: Int
    private var blocks: [Hash32: SealedBlock] = [:]
    /// Oldest first.
    private var order: [Hash32] = []
    private(set) var transactionCount = 0

    init(maxBlocks: Int, maxTransactions: Int) {
        precondition(maxBlocks > 0 && maxTransactions > 0, "RecentBlocks limits must be positive")
        self.maxBlocks = maxBlocks
        self.maxTransactions = maxTransactions
    }

    var count: Int { order.count }

    func block(_ hash: Hash32) -> SealedBlock? { blocks[hash] }

    /// Keeps `block`, dropping the oldest until both limits hold. A block larger than the
    /// transaction limit on its own is not kept.
    mutating func insert(_ block: SealedBlock) {
        guard blocks[block.hash] == nil, block.transactions.count <= maxTransactions else { return }
        blocks[block.hash] = block
        order.append(block.hash)
        transactionCount += block.transactions.count
        while order.count > maxBlocks || transactionCount > maxTransactions {
            let oldest = order.removeFirst()
            transactionCount -= blocks.removeValue(forKey: oldest)?.transactions.count ?? 0
        }
    }
}
