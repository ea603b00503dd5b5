import Primitives

extension Chain {
    /// Builds and seals a block on the current head: L1 messages first (contiguous from
    /// `nextL1QueueIndex`, at most `maxL1Messages`, their cumulative gas limit within the block
    /// gas limit), then mempool transactions best first, until the deadline, the gas, or the
    /// transaction count runs out. Deterministic for the same inputs (the budget aside).
    /// Nothing is written: `commit` does that.
    ///
    /// `clock` measures the building budget and the build duration (the sequencer's clock; a
    /// manual clock in tests).
    public func build<Source: BlockTransactionSource, C: Clock<Duration>>(
        attributes: PayloadAttributes, l1Messages: [L1MessageTransaction], transactions: inout Source,
        clock: C
    ) throws(EngineError) -> BuiltBlock {
        let started = clock.now
        let deadline = attributes.buildingBudget.map { started.advanced(by: $0) }
        let (parent, trieAtParent, nextQueueIndex) = head.withLock { ($0.block, $0.trie, $0.nextL1QueueIndex) }
        let env = BlockEnvironment(
            chainID: spec.chainID, number: parent.number + 1,
            timestamp: max(attributes.timestamp, parent.header.timestamp),
            gasLimit: spec.genesis.gasLimit,
            baseFee: spec.baseFee.nextBaseFee(parentBaseFee: parent.header.baseFeePerGas ?? spec.genesis.baseFeePerGas,
                                              parentGasUsed: parent.header.gasUsed, parentGasLimit: parent.header.gasLimit),
            feeRecipient: attributes.feeRecipient, burnBaseFee: spec.burnBaseFee)
        let state = StateOverlay(base: HeadStateReader(database: database))
        var included: [SignedTransaction] = []
        var senders: [Address] = []
        var receipts: [Receipt] = []
        var gasUsed: UInt64 = 0
        var logsBloom = Bloom()

        // L1 messages: contiguous, in queue order, never skipping ahead.
        var l1GasLimit: UInt64 = 0
        var expected = nextQueueIndex
        for message in l1Messages.prefix(attributes.maxL1Messages) {
            guard message.queueIndex == expected else {
                logger.warning("L1 message queue gap: expected index \(expected), got \(message.queueIndex); including none past the gap")
                break
            }
            guard l1GasLimit + message.gasLimit <= env.gasLimit else { break }
            let outcome = try execution { () throws(ExecutionError) in try TransactionExecutor.executeL1Message(message, in: state) }
            l1GasLimit += message.gasLimit
            gasUsed += outcome.gasUsed
            included.append(SignedTransaction(l1Message: message))
            senders.append(message.sender)
            receipts.append(Receipt(type: TransactionType.l1Message.rawValue, status: outcome.succeeded ? .succeeded : .failed,
                                    cumulativeGasUsed: gasUsed, logs: []))
            expected += 1
        }

        // Mempool transactions, best first.
        var invalid: [Hash32] = []
        var userCount = 0
        while gasUsed + 21_000 <= env.gasLimit {
            if let max = attributes.maxTransactions, userCount >= max { break }
            if let deadline, clock.now >= deadline { break }
            guard let (tx, sender) = transactions.next() else { break }
            do {
                let outcome = try TransactionExecutor.execute(tx, sender: sender, in: state, environment: env,
                                                              gasRemaining: env.gasLimit - gasUsed)
                gasUsed += outcome.gasUsed
                included.append(tx)
                senders.append(sender)
                receipts.append(Receipt(type: tx.type.rawValue, status: outcome.succeeded ? .succeeded : .failed,
                                        cumulativeGasUsed: gasUsed, logs: []))
                userCount += 1
            } catch {
                switch error {
                case .gasLimitReached:
                    continue  // a smaller transaction may still fit
                case .nonceTooHigh, .insufficientFunds, .feeCapBelowBaseFee:
                    transactions.skipSender(sender)  // may become valid later: keep it in the pool
                case .state(let m):
                    throw .trie("reading state while building: \(m)")
                default:
                    invalid.append(tx.hash)
                    transactions.skipSender(sender)
                }
            }
        }
        for r in receipts { logsBloom.formUnion(r.bloom) }

        // Seal: the state root through the incremental trie, touching only changed accounts.
        var trie = trieAtParent
        do {
            for (address, account) in state.changes.sorted(by: { $0.key < $1.key }) {
                if account.isEmpty { _ = try trie.delete(address) } else { try trie.insert(address, value: account.rlp) }
            }
        } catch {
            throw .trie("\(error)")
        }
        let (stateRoot, nodes) = trie.commit()
        let header = Header(
            parentHash: parent.hash, beneficiary: env.feeRecipient, stateRoot: stateRoot,
            transactionsRoot: orderedTrieRoot(included.map(\.encoded)),
            receiptsRoot: orderedTrieRoot(receipts.map(\.encoded)),
            logsBloom: logsBloom, number: env.number, gasLimit: env.gasLimit, gasUsed: gasUsed,
            timestamp: env.timestamp, extraData: attributes.extraData, baseFeePerGas: env.baseFee)
        let block = SealedBlock(header: header, transactions: included, senders: senders, receipts: receipts)
        return BuiltBlock(block: block, stateChanges: state.changes, originals: state.originals, trieNodes: nodes,
                          trie: trie, nextL1QueueIndex: expected, invalidTransactions: invalid,
                          buildDuration: started.duration(to: clock.now))
    }

    /// `build(attributes:l1Messages:transactions:clock:)` timed by `ContinuousClock`.
    public func build<Source: BlockTransactionSource>(
        attributes: PayloadAttributes, l1Messages: [L1MessageTransaction], transactions: inout Source
    ) throws(EngineError) -> BuiltBlock {
        try build(attributes: attributes, l1Messages: l1Messages, transactions: &transactions, clock: ContinuousClock())
    }

    private func execution<T>(_ body: () throws(ExecutionError) -> T) throws(EngineError) -> T {
        do { return try body() } catch {
            if case .state(let m) = error { throw .trie("reading state while building: \(m)") }
            throw .corruptDatabase("unexpected execution failure of an L1 message: \(error)")
        }
    }
}
