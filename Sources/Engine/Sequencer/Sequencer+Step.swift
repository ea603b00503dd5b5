import Logging
import Primitives

extension Sequencer {
    /// One slot: build until `deadline`, seal, sign, commit. Never throws: a failure is logged,
    /// counted and reported as `.failed`.
    public func step(deadline: C.Instant) async -> StepOutcome {
        await produce(deadline: deadline, onDemand: false, timestamp: nil)
    }

    /// Development chains (`evm_mine`, `anvil_mine`): produces `count` blocks now, one after
    /// the other, each even when there is nothing to include and even while automatic
    /// sequencing is off, each with the usual building budget. `timestamp` sets the first
    /// block's timestamp (never below its parent's); the following ones take the wall clock
    /// (never below their parent's). Serialized with the ticker's slots, so no two blocks are
    /// ever built on the same parent. Stops at the first slot that produces no block.
    public func mine(count: Int, timestamp: UInt64? = nil, stateEdits: [StateEdit] = []) async -> [StepOutcome] {
        var outcomes: [StepOutcome] = []
        for i in 0..<max(count, 0) {
            let outcome = await gate.withLock {
                await produce(deadline: clock.now.advanced(by: configuration.buildingBudget), onDemand: true,
                              timestamp: i == 0 ? timestamp : nil, stateEdits: i == 0 ? stateEdits : [])
            }
            outcomes.append(outcome)
            guard case .produced = outcome else { break }
        }
        return outcomes
    }

    /// Runs `body` between slots: no block is built while it runs (development chains roll the
    /// chain back this way for `evm_revert`).
    public func betweenSlots<T: Sendable>(_ body: () async -> T) async -> T {
        await gate.withLock(body)
    }

    /// `slotEnd`: when the slot's work must be done; building stops early when the expected
    /// sealing and commit of what it has taken would not fit before it (`sealReserve`).
    func produce(deadline: C.Instant, onDemand: Bool, timestamp: UInt64?, stateEdits: [StateEdit] = [],
                 slotEnd: C.Instant? = nil) async -> StepOutcome {
        guard isEnabled || onDemand else { return .disabled }
        let allowEmptyBlocks = configuration.allowEmptyBlocks || onDemand
        guard l1.isCaughtUp else { return .waitingForL1 }
        do throws(SequencerError) {
            // A block saved before signing and not committed (the signer or the disk failed, or
            // the node stopped) is finished first: no other block may take its height. State
            // edits are not in it: their block is built after it.
            if let outcome = try await finishPendingBlock(because: "built in an earlier slot and not yet committed") {
                guard !stateEdits.isEmpty, case .produced = outcome else { return outcome }
            }
            let gasLimit = chain.spec.genesis.gasLimit
            let messages = l1.eligibleMessages(startingAt: chain.nextL1QueueIndex, max: configuration.maxL1Messages,
                                               gasLimit: gasLimit)
            if messages.isEmpty && !pool.hasPendingTransactions && !allowEmptyBlocks {
                state.withLock { $0.counters.emptySlots += 1 }
                return .nothingToInclude
            }
            let remaining = clock.now.duration(to: deadline)
            var attributes = PayloadAttributes(
                timestamp: timestamp ?? wallClock(), feeRecipient: configuration.feeRecipient,
                maxL1Messages: configuration.maxL1Messages, maxTransactions: configuration.maxTransactions,
                buildingBudget: max(remaining, .zero), stateEdits: stateEdits)
            if let slotEnd, configuration.overrunGuard {
                attributes.slotRemaining = clock.now.duration(to: slotEnd)
                attributes.sealReserve = sealReserve()
            }
            let chain = self.chain, pool = self.pool, clock = self.clock, inputs = attributes
            let built = try await offPool { () throws(EngineError) in
                var source = pool.blockTransactions(baseFee: chain.nextBaseFee)
                return try chain.build(attributes: inputs, l1Messages: messages, transactions: &source, clock: clock)
            }
            if built.block.transactions.isEmpty && !allowEmptyBlocks && !pool.hasTransactionsWaitingForBaseFee {
                pool.blockCommitted(chain.headBlock, invalid: built.invalidTransactions, head: chain.mempoolHead)
                state.withLock { $0.counters.emptySlots += 1 }
                return .nothingToInclude
            }
            let b = built.block
            SequencerMetrics.record(SequencerMetrics.buildDuration, built.buildDuration)
            logger.info("Built payload", metadata: [
                "number": "\(b.number)", "hash": "\(b.hash)", "txs": "\(b.transactions.count)",
                "l1_messages": "\(b.l1MessageCount)", "gas_used": "\(b.header.gasUsed)",
                "build_ms": "\(Self.milliseconds(built.buildDuration))",
            ])
            let builtAt = clock.now
            try await offPool { () throws(EngineError) in try chain.savePending(built) }
            let outcome = try await signAndCommit(built)
            recordTail(built.sealDuration + builtAt.duration(to: clock.now), gas: built.block.header.gasUsed)
            return outcome
        } catch {
            state.withLock { $0.counters.failedSlots += 1 }
            SequencerMetrics.failedSlots.increment()
            logger.error("Slot failed, no block this slot", metadata: ["error": "\(error)"])
            return .failed(error)
        }
    }

    /// At startup: finishes a block whose inputs were saved before signing when the node
    /// stopped, or drops a saved record that no longer extends the head.
    public func recoverPendingBlock() async throws(SequencerError) {
        if try await finishPendingBlock(because: "being signed when the node stopped") == nil {
            do { try chain.discardPending() } catch { throw .engine(error) }
        }
    }

    /// Rebuilds, signs and commits the saved pending block, if one extends the head; nil if none.
    private func finishPendingBlock(because reason: String) async throws(SequencerError) -> StepOutcome? {
        let chain = self.chain
        let pending: PendingBlock?
        do { pending = try chain.pendingBlock() } catch { throw .engine(error) }
        guard let record = pending else { return nil }
        logger.warning("Finishing block \(record.number), \(reason)")
        let built = try await offPool { () throws(EngineError) in try chain.rebuild(record) }
        return try await signAndCommit(built)
    }

    private func signAndCommit(_ built: BuiltBlock) async throws(SequencerError) -> StepOutcome {
        let b = built.block
        let signStart = clock.now
        let signature: [UInt8]
        do { signature = try await sealer.sign(digest: built.signatureDigest, height: b.number) } catch {
            throw .signing(height: b.number, underlying: error)
        }
        SequencerMetrics.record(SequencerMetrics.signDuration, signStart.duration(to: clock.now))
        logger.info("Signed block", metadata: [
            "number": "\(b.number)", "hash": "\(b.hash)", "signer": "\(sealer.address)",
            "sign_ms": "\(Self.milliseconds(signStart.duration(to: clock.now)))",
        ])
        let commitStart = clock.now
        try await commit(built, signature: signature)
        SequencerMetrics.record(SequencerMetrics.commitDuration, commitStart.duration(to: clock.now))
        return .produced(number: b.number, hash: b.hash)
    }

    private func commit(_ built: BuiltBlock, signature: [UInt8]) async throws(SequencerError) {
        let chain = self.chain, l1 = self.l1
        let b = built.block
        let messages = b.transactions.prefix(b.l1MessageCount).compactMap { tx -> L1MessageTransaction? in
            if case .l1Message(let m) = tx.transaction { m } else { nil }
        }
        try await offPool { () throws(EngineError) in
            try chain.commit(built, signature: signature) { batch in
                if !messages.isEmpty { try l1.stageInclusion(messages, inBlock: b.number, into: &batch) }
            }
        }
        state.withLock { $0.counters.blocks += 1 }
        pool.blockCommitted(b, invalid: built.invalidTransactions, head: chain.mempoolHead)
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}
