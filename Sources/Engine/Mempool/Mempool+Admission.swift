import Execution
import Primitives

extension Mempool {
    /// Decodes and admits raw transaction bytes, as eth_sendRawTransaction receives them.
    @discardableResult
    public func add(raw bytes: [UInt8]) throws(MempoolError) -> MempoolAdmission {
        let tx: SignedTransaction
        do { tx = try SignedTransaction(encoded: bytes) } catch { throw .invalidTransaction(error) }
        return try add(tx)
    }

    /// Admits a transaction. `sender`, when given, is trusted instead of recovered (for
    /// transactions whose sender is already known, such as those of rolled-back blocks).
    ///
    /// Checks, in order: already known; type (no L1 messages) and EIP-155 protection; chain id,
    /// nonce below 2^64-1, fee cap not below the tip, gas * fee cap within 256 bits, intrinsic
    /// gas, size, block gas limit, minimum tip, fee cap not below the chain's minimum base fee
    /// nor the next block's base fee (unlike geth, whose pool keeps such transactions waiting
    /// for the base fee to fall: see `MempoolError.feeCapBelowBaseFee`); no contract creation; the sender's signature;
    /// recipient and sender without code; then, against the head state and the pool: nonce not
    /// below the account nonce, a replacement's price bump or a nonce at most `maxNonceGap`
    /// above the pending nonce, funds, the per-sender limit and the global limit.
    ///
    /// Funds rule: the balance must cover this transaction's cost (gasLimit * maxFeePerGas +
    /// value, plus Scroll's L1 fee at the head's oracle values on a chain that charges one)
    /// plus the costs of the sender's pooled transactions with lower nonces, pending or
    /// queued ("insufficient funds"), and also those with higher nonces (geth's "transaction
    /// would cause overdraft"): a costlier replacement or a gap filled in front of a queued
    /// transaction never leaves a later one uncovered at the sender's next nonce, where a
    /// wallet's next transaction would run into it. Only a balance that falls from outside the
    /// pool (an L1 message from the sender, a reorg) can still leave one uncovered; it then
    /// waits in queued, txpool_inspect says why, and the lifetime rule drops it.
    @discardableResult
    public func add(_ tx: SignedTransaction, sender knownSender: Address? = nil) throws(MempoolError) -> MempoolAdmission {
        let t = tx.transaction
        if case .l1Message = t { throw .transactionTypeNotSupported }
        if !configuration.acceptsUnprotectedTransactions, t.chainID == nil { throw .unprotectedTransaction }

        var (head, generation) = try state.withLock { s throws(MempoolError) in
            if s.byHash[tx.hash] != nil { throw .alreadyKnown }
            return (s.head, s.generation)
        }
        let cost = try checkStateless(tx, head: head)
        let sender: Address
        if let knownSender {
            sender = knownSender
        } else {
            do { sender = try tx.recoverSender() } catch { throw .invalidTransaction(error) }
        }

        if t.maxFeePerGas < head.baseFee {
            throw .feeCapBelowBaseFee(address: sender, maxFeePerGas: t.maxFeePerGas, baseFee: head.baseFee)
        }
        while true {
            let account = try Self.read(sender, from: head.state)
            // Under EIP-7702 an account with code may be a delegated EOA: the builder's rules
            // tell a designator from contract code (the pool sees accounts, not code).
            if account?.hasCode == true && !evmRules.supportsSetCodeTransactions { throw .senderNotEOA(sender) }
            let outcome = try state.withLock { s throws(MempoolError) in
                try s.admit(tx, sender: sender, cost: cost, account: account, generation: generation)
            }
            switch outcome {
            case .admitted(let admission):
                for evicted in admission.evicted { logger.trace("evicted", metadata: ["tx": "\(evicted)"]) }
                return admission
            case .staleRead(let newHead, let newGeneration):
                (head, generation) = (newHead, newGeneration)
            }
        }
    }

    /// The stateless rules: the pool's own (size, block gas limit, fee overflow), then the
    /// Execution module's transaction rules (chain id, initcode size, intrinsic gas, nonce
    /// limit, tip not above the fee cap: the same code the block builder runs), then the pool's
    /// price rules. Returns the cost, gasLimit * maxFeePerGas + value (+ the L1 fee).
    private func checkStateless(_ tx: SignedTransaction, head: MempoolHead) throws(MempoolError) -> U256 {
        let t = tx.transaction
        if tx.encoded.count > configuration.maxTransactionSize {
            throw .oversizedData(size: tx.encoded.count, limit: configuration.maxTransactionSize)
        }
        if t.gasLimit > head.gasLimit { throw .exceedsBlockGasLimit(gasLimit: t.gasLimit, blockGasLimit: head.gasLimit) }
        let (gasCost, o1) = U256(t.gasLimit).multipliedReportingOverflow(by: t.maxFeePerGas)
        let (cost, o2) = gasCost.addingReportingOverflow(t.value)
        if o1 || o2 { throw .invalidTransaction(.gasFeeOverflow) }
        // The sender is not recovered yet and plays no part in these rules; the base fee is
        // checked below with the sender named, in geth's words.
        guard let executable = ExecutionTransaction(tx, sender: .zero) else { throw .transactionTypeNotSupported }
        let block = Execution.BlockEnvironment(chainID: configuration.chainID, number: 0, timestamp: 0, coinbase: .zero,
                                               gasLimit: head.gasLimit, baseFee: .zero)
        do { try TransactionProcessor(rules: evmRules).validate(executable, block: block) } catch { throw .rejectedByRules(error) }
        if t.maxPriorityFeePerGas < configuration.minimumTip {
            throw .tipBelowMinimum(tip: t.maxPriorityFeePerGas, minimum: configuration.minimumTip)
        }
        if t.maxFeePerGas < configuration.minimumBaseFee {
            throw .feeCapBelowMinimumBaseFee(maxFeePerGas: t.maxFeePerGas, minimumBaseFee: configuration.minimumBaseFee)
        }
        // Scroll's L1 data fee at the head's oracle values: the builder charges it on top of gas.
        guard let formula = evmRules.l1FeeFormula, let oracle = head.l1FeeOracle else { return cost }
        let (total, o3) = cost.addingReportingOverflow(TransactionProcessor.l1Fee(executable, formula: formula, oracle: oracle))
        if o3 { throw .invalidTransaction(.gasFeeOverflow) }
        return total
    }

    /// Returns transactions of rolled-back blocks to the pool (the L1-reorg path), after the
    /// pool has moved to the rolled-back head with `headChanged(to:touchedAccounts:)`. They go
    /// through the usual rules, in nonce order; L1 messages and those no longer valid are left
    /// out. Returns how many were admitted.
    @discardableResult
    public func reinject(_ txs: [SignedTransaction]) -> Int {
        var admitted = 0
        let ordered = txs.filter { $0.type != .l1Message }.sorted { ($0.transaction.nonce ?? 0) < ($1.transaction.nonce ?? 0) }
        for tx in ordered {
            do {
                try add(tx)
                admitted += 1
            } catch {
                logger.debug("not reinjected", metadata: ["tx": "\(tx.hash)", "reason": "\(error)"])
            }
        }
        logger.debug("reinjected", metadata: ["admitted": "\(admitted)", "offered": "\(ordered.count)"])
        return admitted
    }
}
