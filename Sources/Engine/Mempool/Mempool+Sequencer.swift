import Execution
import Primitives

/// The mempool's best transactions as the payload builder takes them.
public struct MempoolBlockSource: BlockTransactionSource {
    var best: MempoolBestTransactions
    public mutating func next() -> (transaction: SignedTransaction, sender: Address)? {
        best.next().map { ($0.transaction, $0.sender) }
    }
    public mutating func skipSender(_ sender: Address) { best.skipSender(sender) }
}

extension Mempool: SequencerTransactionPool {
    public var hasPendingTransactions: Bool { status.pending > 0 }

    /// Linear in the number of senders; asked only when a slot built an empty block.
    public var hasTransactionsWaitingForBaseFee: Bool {
        state.withLock { s in
            s.senders.values.contains { sender in sender.pending.first.map { $0.maxFeePerGas < s.head.baseFee } ?? false }
        }
    }

    public func blockTransactions(baseFee: U256) -> MempoolBlockSource {
        MempoolBlockSource(best: bestTransactions(baseFee: baseFee))
    }

    /// Drops the block's transactions and the ones the builder found invalid, and re-reads every
    /// account the block changed: senders, recipients, the fee recipient. `head` is the state
    /// after the block (`Chain.mempoolHead`).
    public func blockCommitted(_ block: SealedBlock, invalid: [Hash32], head: MempoolHead) {
        var touched = Set(block.senders)
        for tx in block.transactions { if let to = tx.transaction.to { touched.insert(to) } }
        touched.insert(block.header.beneficiary)
        var head = head
        head.gasLimit = block.header.gasLimit
        head.timestamp = block.header.timestamp
        do {
            try blockCommitted(includedHashes: block.transactions.map(\.hash) + invalid, touchedAccounts: touched, head: head)
        } catch {
            logger.error("Could not move the mempool to block \(block.number): \(error)")
        }
    }
}

extension Chain {
    /// What the mempool validates new transactions against: the head state and the next block's
    /// base fee and gas limit.
    /// On a chain with Scroll's L1 fee, the oracle's values after the head too (nil when they
    /// cannot be read: the pool then counts no L1 fee and the builder's own check still holds).
    public var mempoolHead: MempoolHead {
        var oracle: L1Fee.OracleValues?
        if spec.evmRules.l1FeeFormula != nil {
            let reader = HeadStateReader(database: database)
            oracle = try? L1Fee.OracleValues { slot throws(EngineError) in try reader.storage(L1GasPriceOracle.address, slot: slot) }
        }
        return MempoolHead(state: headState, baseFee: nextBaseFee, gasLimit: spec.genesis.gasLimit,
                           timestamp: headBlock.header.timestamp, l1FeeOracle: oracle)
    }
}
