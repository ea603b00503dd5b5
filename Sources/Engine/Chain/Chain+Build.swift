import Execution
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
        clock: C,
        systemUpdate: (StateOverlay, BlockEnvironment) throws -> Void = { _, _ in }
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
        let chargesL1Fee = spec.evmRules.l1FeeFormula != nil
        var l1Fees: [U256] = []
        var gasUsed: UInt64 = 0
        var logsBloom = Bloom()
        // Pre-block system writes (EIP-2935's block-hash history from Scroll's Feynman, say).
        try updateBlockHashHistory(state, number: env.number, parentHash: parent.hash)
        do { try systemUpdate(state, env) } catch { throw .trie(during: .systemUpdate, underlying: error) }
        for edit in attributes.stateEdits { try edit.apply(to: state) }

        let processor = TransactionProcessor(rules: spec.evmRules)
        // BLOCKHASH: the last 256 canonical blocks before this one.
        let executionEnvironment = env.execution(blockHashes: canonicalHashes(upTo: parent.number))
        let reader = OverlayStateReader(overlay: state)

        // L1 messages: contiguous, in queue order, never skipping ahead; each a call under
        // Scroll's rules (TransactionProcessor.executeL1Message), included whatever it does.
        var l1GasLimit: UInt64 = 0
        var expected = nextQueueIndex
        for message in l1Messages.prefix(attributes.maxL1Messages) {
            guard message.queueIndex == expected else {
                logger.warning("L1 message queue gap: expected index \(expected), got \(message.queueIndex); including none past the gap")
                break
            }
            guard l1GasLimit + message.gasLimit <= env.gasLimit else { break }
            let result: TransactionResult
            do {
                result = try processor.executeL1Message(message, valueSource: spec.l1.messageValue,
                                                        block: executionEnvironment, state: reader)
            } catch {
                throw .trie(during: .executingTransactions, underlying: StateReadFailure(message: "\(error)"))
            }
            do { try state.apply(result.changes) } catch { throw EngineError.trie(during: .executingTransactions, underlying: error) }
            if let failure = result.failure {
                logger.info("L1 message failed on L2; included with status 0",
                            metadata: ["queueIndex": "\(message.queueIndex)", "reason": "\(failure)"])
            }
            l1GasLimit += message.gasLimit
            receipts.append(result.receipt(type: TransactionType.l1Message.rawValue, cumulativeGasUsed: gasUsed))
            if chargesL1Fee { l1Fees.append(.zero) }
            gasUsed += result.gasUsed
            included.append(SignedTransaction(l1Message: message))
            senders.append(message.sender)
            expected += 1
        }

        // Mempool transactions, best first, through the Execution module's rules.
        var invalid: [Hash32] = []
        var userCount = 0
        while gasUsed + 21_000 <= env.gasLimit {
            if let max = attributes.maxTransactions, userCount >= max { break }
            if let deadline, clock.now >= deadline { break }
            if let remaining = attributes.slotRemaining, let reserve = attributes.sealReserve,
               started.duration(to: clock.now) + reserve(gasUsed) >= remaining { break }
            guard let (tx, sender) = transactions.next() else { break }
            guard let executable = ExecutionTransaction(tx, sender: sender) else {
                invalid.append(tx.hash)  // an L1 message from the pool: never valid there
                continue
            }
            if tx.transaction.gasLimit > env.gasLimit - gasUsed { continue }  // a smaller one may still fit
            do {
                let result = try processor.execute(executable, block: executionEnvironment, state: reader)
                do { try state.apply(result.changes) } catch { throw EngineError.trie(during: .executingTransactions, underlying: error) }
                receipts.append(result.receipt(type: tx.type.rawValue, cumulativeGasUsed: gasUsed))
                if chargesL1Fee { l1Fees.append(result.l1Fee) }
                gasUsed += result.gasUsed
                included.append(tx)
                senders.append(sender)
                userCount += 1
            } catch let error as Execution.ExecutionError {
                switch error {
                case .nonceMismatch(let expected, let actual) where actual > expected:
                    skip(sender, tx, because: error, in: &transactions)
                case .insufficientFunds, .feeCapBelowBaseFee:
                    skip(sender, tx, because: error, in: &transactions)  // may become valid later: keep it in the pool
                case .stateReadFailed(let m):
                    throw .trie(during: .executingTransactions, underlying: StateReadFailure(message: m))
                default:
                    logger.debug("Builder drops an invalid transaction and skips its sender",
                                 metadata: ["sender": "\(sender)", "tx": "\(tx.hash)", "reason": "\(error)"])
                    invalid.append(tx.hash)
                    transactions.skipSender(sender)
                }
            } catch let error as EngineError {
                throw error
            } catch {
                throw .trie(during: .executingTransactions, underlying: error)
            }
        }
        for r in receipts { logsBloom.formUnion(r.bloom) }

        let sealStarted = clock.now
        // Seal: the storage roots of accounts whose storage changed, then the state root through
        // the incremental trie, touching only changed accounts and slots.
        var trie = trieAtParent
        var storageNodes: [Hash32: [UInt8]] = [:]
        var sealed = state.changes
        do {
            let store = RocksTrieNodeStore(db: database.db, trie: database.trie)
            for (address, slots) in state.storageChanges {
                guard var account = sealed[address] else { continue }
                var storageTrie = SecureTrie(root: account.storageRoot, store: store)
                for (slot, value) in slots {
                    if value.isZero { _ = try storageTrie.delete(slot.bigEndianBytes) }
                    else { var w = RLPWriter(capacity: 33); w.write(value); try storageTrie.insert(slot.bigEndianBytes, value: w.bytes) }
                }
                let (root, nodes) = storageTrie.commit()
                account.storageRoot = root
                sealed[address] = account
                storageNodes.merge(nodes) { a, _ in a }
            }
            for (address, account) in sealed.sorted(by: { $0.key < $1.key }) {
                if account.isEmpty { _ = try trie.delete(address) } else { try trie.insert(address, value: account.rlp) }
            }
        } catch {
            throw .trie(during: .sealingBlock, underlying: error)
        }
        var (stateRoot, nodes) = trie.commit()
        nodes.merge(storageNodes) { a, _ in a }
        let header = Header(
            parentHash: parent.hash, beneficiary: env.feeRecipient, stateRoot: stateRoot,
            transactionsRoot: orderedTrieRoot(included.map(\.encoded)),
            receiptsRoot: orderedTrieRoot(receipts.map(\.encoded)),
            logsBloom: logsBloom, number: env.number, gasLimit: env.gasLimit, gasUsed: gasUsed,
            timestamp: env.timestamp, extraData: attributes.extraData, baseFeePerGas: env.baseFee)
        let block = SealedBlock(header: header, transactions: included, senders: senders, receipts: receipts, l1Fees: l1Fees)
        return BuiltBlock(block: block, stateChanges: sealed, originals: state.originals,
                          storageChanges: state.storageChanges, storageOriginals: state.storageOriginals, newCode: state.newCode,
                          trieNodes: nodes,
                          trie: trie, nextL1QueueIndex: expected, invalidTransactions: invalid,
                          buildDuration: started.duration(to: clock.now), stateEdits: attributes.stateEdits,
                          sealDuration: sealStarted.duration(to: clock.now))
    }

    /// `build(attributes:l1Messages:transactions:clock:)` timed by `ContinuousClock`.
    public func build<Source: BlockTransactionSource>(
        attributes: PayloadAttributes, l1Messages: [L1MessageTransaction], transactions: inout Source,
        systemUpdate: (StateOverlay, BlockEnvironment) throws -> Void = { _, _ in }
    ) throws(EngineError) -> BuiltBlock {
        try build(attributes: attributes, l1Messages: l1Messages, transactions: &transactions, clock: ContinuousClock(),
                  systemUpdate: systemUpdate)
    }

    private func skip<Source: BlockTransactionSource>(_ sender: Address, _ tx: SignedTransaction, because error: Execution.ExecutionError,
                                                      in transactions: inout Source) {
        logger.debug("Builder skips a sender whose next transaction cannot execute now",
                     metadata: ["sender": "\(sender)", "tx": "\(tx.hash)", "reason": "\(error)"])
        transactions.skipSender(sender)
    }

    /// EIP-2935's pre-block update (Scroll from Feynman): the parent's hash goes to the history
    /// contract's slot (number - 1) % window, which is all the system call from SYSTEM_ADDRESS
    /// changes (no nonce, balance or gas; reth drops the system account's touch). Nothing when
    /// the rules read BLOCKHASH otherwise or the contract has no code (EIP-2935: the call then
    /// does nothing). Building, replays and pending calls all run it.
    func updateBlockHashHistory(_ state: StateOverlay, number: UInt64, parentHash: Hash32) throws(EngineError) {
        guard case .historyStorage(let contract, let window) = spec.evmRules.blockHash, number > 0 else { return }
        guard try state.account(contract).codeHash != .emptyCodeHash else { return }
        try state.setStorage(contract, slot: U256((number - 1) % window), U256(bigEndian: parentHash.bytes) ?? .zero)
    }
}
