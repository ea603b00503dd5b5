import Engine
import L1Watcher
import Logging
import Primitives
import RPC
import ServiceLifecycle
import Signer
import Storage

/// The sequencer's L1 messages come from the watcher.
struct WatcherL1Source: L1MessageSource {
    let watcher: L1Watcher
    var isCaughtUp: Bool { watcher.isCaughtUp }
    func eligibleMessages(startingAt queueIndex: UInt64, max: Int, gasLimit: UInt64) -> [L1MessageTransaction] {
        watcher.eligibleMessages(startingAt: queueIndex, max: max, gasLimit: gasLimit)
    }
    func stageInclusion(_ messages: [L1MessageTransaction], inBlock number: UInt64, into batch: inout WriteBatch) throws {
        try watcher.markIncluded(messages, l2Block: number, in: &batch)
    }
}

/// Rolling the L2 chain back to a block, in the order that keeps a crash safe: the double-sign
/// guard records the rollback first (so the heights above may be signed again), then the chain
/// and the watcher's inclusion records go back, then the mempool follows the new head. Each step
/// is idempotent. Callers run it between the sequencer's slots, so that a block being built or
/// signed on the old head finishes first and no signature is recorded for a height after its
/// rollback record. Used by L1-reorg rollbacks and by `evm_revert` on development chains.
struct L2Rollback: Sendable {
    let chain: Chain
    let mempool: Mempool
    let watcher: L1Watcher?
    let signer: GuardedSigner?

    /// Rolls back so that block `target` is the head. The removed blocks' user transactions go
    /// back to the pool when `returnTransactions` (an L1 reorg: they are still wanted) and are
    /// dropped otherwise (`evm_revert`: a test that reverts wants them gone).
    ///
    /// With a signer, the rollback's signed notice (``RollbackNotice``) is stored with it, so
    /// that followers take the new chain instead of seeing a second block at a height.
    func perform(to target: UInt64, returnTransactions: Bool) async throws -> (removed: Int, returned: Int) {
        var notice: RollbackNotice?
        let head = chain.headBlock
        if let signer, target < head.number, let targetHash = try chain.canonicalHash(number: target) {
            var n = RollbackNotice(chainID: chain.spec.chainID, toNumber: target, toHash: targetHash,
                                   fromNumber: head.number, fromHash: head.hash)
            n.signature = try await signer.signRollbackNotice(n.digest, toHeight: target).bytes
            notice = n
        } else {
            try await signer?.recordRollback(toHeight: target)
        }
        let rollback = try chain.rollback(to: target, notice: notice)
        _ = try watcher?.unmarkIncluded(aboveL2Block: target)
        let returned = returnTransactions ? mempool.reinject(rollback.transactions) : 0
        try mempool.headChanged(to: chain.mempoolHead, touchedAccounts: rollback.touchedAccounts)
        return (rollback.transactions.count, returned)
    }
}

/// When an L1 reorg (or an admin revert) removes an L1 message that an L2 block included, the
/// L2 chain goes back to the block before that one (``L2Rollback``, between the sequencer's
/// slots), and the removed blocks' user transactions return to the mempool. A crash in between
/// is finished by the next report (the watcher repeats it until the inclusions are unmarked).
final class L1ReorgCoordinator: L1ReorgHandler, Sendable {
    let rollback: L2Rollback
    let sequencer: Sequencer<Mempool, ContinuousClock>?
    let logger: Logger

    init(rollback: L2Rollback, sequencer: Sequencer<Mempool, ContinuousClock>?, logger: Logger) {
        self.rollback = rollback; self.sequencer = sequencer; self.logger = logger
    }

    func includedL1MessagesRemoved(_ event: L1MessagesRemoved) async {
        if let sequencer {
            await sequencer.betweenSlots { await rollBack(event) }
        } else {
            await rollBack(event)
        }
    }

    private func rollBack(_ event: L1MessagesRemoved) async {
        let target = event.l2Block > 0 ? event.l2Block - 1 : 0
        let chain = rollback.chain
        logger.warning("L1 reorg removed an included L1 message: rolling the L2 chain back", metadata: [
            "queue_index": "\(event.lowestQueueIndex)", "included_in": "\(event.l2Block)",
            "from": "\(chain.headBlock.number)", "to": "\(target)", "l1_fork_block": "\(event.l1ForkBlock.map(String.init) ?? "none")",
        ])
        do {
            let (removed, returned) = try await rollback.perform(to: target, returnTransactions: true)
            logger.warning("Rolled the L2 chain back", metadata: ["head": "\(chain.headBlock.number)",
                                                                 "transactions_returned": "\(returned)/\(removed)"])
        } catch {
            logger.error("L2 rollback after an L1 reorg failed (it is retried at the next report): \(error)")
        }
    }
}

/// Runs the watcher under the service group.
struct WatcherService: Service {
    let watcher: L1Watcher
    func run() async throws { try await cancelWhenGracefulShutdown { try await watcher.run() } }
}

/// A follower's L1 reorg handling: the sequencer decides L2 rollbacks (and signs a notice the
/// follower takes); here the watcher's inclusion records above the affected block are cleared
/// so that its store matches L1 again, and the L2 chain waits for the sequencer.
final class FollowerL1ReorgHandler: L1ReorgHandler, Sendable {
    let watcher: L1Watcher?
    let logger: Logger

    init(watcher: L1Watcher?, logger: Logger) { self.watcher = watcher; self.logger = logger }

    func includedL1MessagesRemoved(_ event: L1MessagesRemoved) async {
        logger.warning("L1 reorg removed an L1 message this chain included: waiting for the sequencer's rollback", metadata: [
            "queue_index": "\(event.lowestQueueIndex)", "included_in": "\(event.l2Block)",
        ])
        do { _ = try watcher?.unmarkIncluded(aboveL2Block: event.l2Block > 0 ? event.l2Block - 1 : 0) } catch {
            logger.error("Could not clear the L1 inclusion records (retried at the next report): \(error)")
        }
    }
}
