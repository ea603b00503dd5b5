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

/// When an L1 reorg (or an admin revert) removes an L1 message that an L2 block included, the
/// L2 chain goes back to the block before that one: the rollback is recorded in the double-sign
/// guard first (so the heights above may be signed again), then the chain and the watcher's
/// inclusion records are rolled back, and the removed blocks' user transactions return to the
/// mempool. Each step is idempotent, so a crash in between is finished by the next report
/// (the watcher repeats it until the inclusions are unmarked).
final class L1ReorgCoordinator: L1ReorgHandler, Sendable {
    let chain: Chain
    let mempool: Mempool
    let watcher: L1Watcher
    let signer: GuardedSigner?
    /// The rollback runs between the sequencer's slots: a block being built or signed on the old
    /// head finishes first, so no signature is recorded for a height after its rollback record.
    let sequencer: Sequencer<Mempool, ContinuousClock>?
    let logger: Logger

    init(chain: Chain, mempool: Mempool, watcher: L1Watcher, signer: GuardedSigner?, sequencer: Sequencer<Mempool, ContinuousClock>?,
         logger: Logger) {
        self.chain = chain; self.mempool = mempool; self.watcher = watcher; self.signer = signer; self.sequencer = sequencer
        self.logger = logger
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
        let head = chain.headBlock.number
        logger.warning("L1 reorg removed an included L1 message: rolling the L2 chain back", metadata: [
            "queue_index": "\(event.lowestQueueIndex)", "included_in": "\(event.l2Block)",
            "from": "\(head)", "to": "\(target)", "l1_fork_block": "\(event.l1ForkBlock.map(String.init) ?? "none")",
        ])
        do {
            try await signer?.recordRollback(toHeight: target)
            let rollback = try chain.rollback(to: target)
            _ = try watcher.unmarkIncluded(aboveL2Block: target)
            let returned = mempool.reinject(rollback.transactions)
            try mempool.headChanged(to: chain.mempoolHead, touchedAccounts: rollback.touchedAccounts)
            logger.warning("Rolled the L2 chain back", metadata: ["head": "\(chain.headBlock.number)",
                                                                 "transactions_returned": "\(returned)/\(rollback.transactions.count)"])
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
