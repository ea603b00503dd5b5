import Logging
import Primitives

extension Sequencer {
    /// One slot: build until `deadline`, seal, sign, commit. Never throws: a failure is logged,
    /// counted and reported as `.failed`.
    public func step(deadline: C.Instant) async -> StepOutcome {
        guard isEnabled else { return .disabled }
        guard l1.isCaughtUp else { return .waitingForL1 }
        do {
            if let outcome = try await commitLeftover() { return outcome }
            let gasLimit = chain.spec.genesis.gasLimit
            let messages = l1.eligibleMessages(startingAt: chain.nextL1QueueIndex, max: configuration.maxL1Messages,
                                               gasLimit: gasLimit)
            if messages.isEmpty && !pool.hasPendingTransactions && !configuration.allowEmptyBlocks {
                state.withLock { $0.counters.emptySlots += 1 }
                return .nothingToInclude
            }
            let remaining = clock.now.duration(to: deadline)
            let attributes = PayloadAttributes(
                timestamp: wallClock(), feeRecipient: configuration.feeRecipient,
                maxL1Messages: configuration.maxL1Messages, maxTransactions: configuration.maxTransactions,
                deadline: ContinuousClock.now.advanced(by: max(remaining, .zero)))
            let chain = self.chain, pool = self.pool
            let built = try await offPool {
                var source = pool.bestTransactions(baseFee: chain.nextBaseFee)
                return try chain.build(attributes: attributes, l1Messages: messages, transactions: &source)
            }
            if built.block.transactions.isEmpty && !configuration.allowEmptyBlocks {
                pool.blockCommitted(chain.headBlock, invalid: built.invalidTransactions, state: chain.headState,
                                    nextBaseFee: chain.nextBaseFee)
                state.withLock { $0.counters.emptySlots += 1 }
                return .nothingToInclude
            }
            let b = built.block
            logger.info("Built payload", metadata: [
                "number": "\(b.number)", "hash": "\(b.hash)", "txs": "\(b.transactions.count)",
                "l1_messages": "\(b.l1MessageCount)", "gas_used": "\(b.header.gasUsed)",
                "build_ms": "\(Self.milliseconds(built.buildDuration))",
            ])
            try await offPool { try chain.savePending(built) }
            return try await signAndCommit(built)
        } catch {
            state.withLock { $0.counters.failedSlots += 1 }
            logger.error("Slot failed, no block this slot", metadata: ["error": "\(error)"])
            return .failed("\(error)")
        }
    }

    /// Finishes a block whose inputs were saved before signing (after a crash or restart): it is
    /// rebuilt exactly, signed again (the guard allows the same digest) and committed.
    public func recoverPendingBlock() async throws {
        let chain = self.chain
        guard let record = try chain.pendingBlock() else {
            try chain.discardPending()
            return
        }
        logger.warning("Finishing block \(record.number) that was being signed when the node stopped")
        let built = try await offPool { try chain.rebuild(record) }
        _ = try await signAndCommit(built)
    }

    private func signAndCommit(_ built: BuiltBlock) async throws -> StepOutcome {
        let b = built.block
        let signStart = ContinuousClock.now
        let signature = try await sealer.sign(digest: built.signatureDigest, height: b.number)
        logger.info("Signed block", metadata: [
            "number": "\(b.number)", "hash": "\(b.hash)", "signer": "\(sealer.address)",
            "sign_ms": "\(Self.milliseconds(signStart.duration(to: .now)))",
        ])
        try await commit(built, signature: signature)
        return .produced(number: b.number, hash: b.hash)
    }

    private func commit(_ built: BuiltBlock, signature: [UInt8]) async throws {
        let chain = self.chain
        do {
            try await offPool { try chain.commit(built, signature: signature) }
        } catch {
            // Signed but not written: keep it, and commit exactly this block next slot.
            state.withLock { $0.signedButNotCommitted = (built, signature) }
            throw error
        }
        state.withLock { s in
            s.signedButNotCommitted = nil
            s.counters.blocks += 1
        }
        let b = built.block
        pool.blockCommitted(b, invalid: built.invalidTransactions, state: chain.headState, nextBaseFee: chain.nextBaseFee)
        let messages = b.transactions.prefix(b.l1MessageCount).compactMap { tx -> L1MessageTransaction? in
            if case .l1Message(let m) = tx.transaction { m } else { nil }
        }
        if !messages.isEmpty { l1.included(messages, inBlock: b.number, hash: b.hash) }
    }

    /// A block signed in an earlier slot whose commit failed: commit it now if it still extends
    /// the head.
    private func commitLeftover() async throws -> StepOutcome? {
        guard let (built, signature) = state.withLock({ $0.signedButNotCommitted }) else { return nil }
        guard built.block.header.parentHash == chain.headBlock.hash else {
            state.withLock { $0.signedButNotCommitted = nil }
            return nil
        }
        logger.warning("Retrying the commit of signed block \(built.block.number)")
        try await commit(built, signature: signature)
        return .produced(number: built.block.number, hash: built.block.hash)
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}
