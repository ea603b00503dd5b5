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
    /// account the block changed: senders, recipients, the fee recipient.
    public func blockCommitted(_ block: SealedBlock, invalid: [Hash32], state: AccountStateReader, nextBaseFee: U256) {
        var touched = Set(block.senders)
        for tx in block.transactions { if let to = tx.transaction.to { touched.insert(to) } }
        touched.insert(block.header.beneficiary)
        do {
            try blockCommitted(includedHashes: block.transactions.map(\.hash) + invalid, touchedAccounts: touched,
                               head: MempoolHead(state: state, baseFee: nextBaseFee, gasLimit: block.header.gasLimit,
                                                 timestamp: block.header.timestamp))
        } catch {
            logger.error("Could not move the mempool to block \(block.number): \(error)")
        }
    }
}

extension Chain {
    /// What the mempool validates new transactions against: the head state and the next block's
    /// base fee and gas limit.
    public var mempoolHead: MempoolHead {
        MempoolHead(state: headState, baseFee: nextBaseFee, gasLimit: spec.genesis.gasLimit, timestamp: headBlock.header.timestamp)
    }
}
