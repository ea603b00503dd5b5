import Engine
import L1Watcher
import Logging
import Primitives
import RPC
import Signer
import Synchronization

/// rollupNode_ and rollupNodeAdmin_ over the sequencer and the L1 watcher.
struct NodeRollupBackend: RPCRollupBackend {
    let chain: Chain
    let sequencer: Sequencer<Mempool, ContinuousClock>?
    let watcher: L1Watcher?

    func rollupStatus() async throws -> RPCRollupStatus {
        let head = chain.headBlock
        let l1 = watcher?.status
        return RPCRollupStatus(automaticSequencing: sequencer?.isEnabled ?? false, headNumber: head.number, headHash: head.hash,
                               l1Latest: l1?.latestBlock, l1Finalized: l1?.finalizedBlock, l1Processed: l1?.lastProcessedBlock,
                               nextL1QueueIndex: chain.nextL1QueueIndex, pendingL1Messages: l1?.pendingMessageCount ?? 0,
                               isSyncing: watcher.map { !$0.isCaughtUp } ?? false)
    }

    func l1Message(queueIndex: UInt64) async throws -> RPCL1Message? {
        guard let m = try watcher?.message(queueIndex: queueIndex) else { return nil }
        return RPCL1Message(message: m.transaction, l1BlockNumber: m.l1BlockNumber, l2BlockNumber: m.includedInL2Block,
                            queueHash: m.rollingHash)
    }

    func setAutomaticSequencing(_ enabled: Bool) async throws -> Bool {
        guard let sequencer else {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "this node is not a sequencer: start it with --sequencer.enabled")
        }
        try sequencer.setAutomaticSequencing(enabled)
        return true
    }

    func revertToL1Block(_ number: UInt64) async throws -> Bool {
        guard let watcher else {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "no L1 is configured (--l1.url): there is nothing to revert to")
        }
        _ = try await watcher.revertToL1Block(number)
        return true
    }
}

/// anvil's mining and snapshot methods on a development chain (`--test` with a sequencer).
///
/// Snapshots are (number, hash) of the head, kept in memory: a restart forgets them (the
/// blocks and rollbacks they led to are on disk like any others). A revert runs between the
/// sequencer's slots and takes the steps of an L1-reorg rollback (the double-sign guard
/// records it first, then the chain and the L1 inclusion records go back), except that the
/// removed blocks' transactions are dropped instead of returning to the pool: a test that
/// reverts wants them gone.
final class DevelopmentChainControl: RPCDevelopmentBackend, Sendable {
    let chain: Chain
    let mempool: Mempool
    let watcher: L1Watcher?
    let signer: GuardedSigner?
    let sequencer: Sequencer<Mempool, ContinuousClock>
    let logger: Logger
    private let snapshots = Mutex<(next: UInt64, heads: [UInt64: (number: UInt64, hash: Hash32)])>((0, [:]))

    init(chain: Chain, mempool: Mempool, watcher: L1Watcher?, signer: GuardedSigner?, sequencer: Sequencer<Mempool, ContinuousClock>,
         logger: Logger) {
        self.chain = chain; self.mempool = mempool; self.watcher = watcher; self.signer = signer; self.sequencer = sequencer
        self.logger = logger
    }

    func mine(count: Int, timestamp: UInt64?) async throws {
        for outcome in await sequencer.mine(count: count, timestamp: timestamp) {
            switch outcome {
            case .produced: continue
            case .waitingForL1:
                throw JSONRPCError.server("no block: the L1 watcher is catching up with L1; try again")
            case .failed(let error):
                throw JSONRPCError.server("no block: \(error)")
            case .disabled, .nothingToInclude:
                throw JSONRPCError.server("no block was produced")
            }
        }
    }

    func snapshot() async throws -> UInt64 {
        let head = chain.headBlock
        return snapshots.withLock { s in
            defer { s.next += 1 }
            s.heads[s.next] = (head.number, head.hash)
            return s.next
        }
    }

    func revert(to id: UInt64) async throws -> Bool {
        guard let target = snapshots.withLock({ $0.heads[id] }) else { return false }
        let result: Result<Void, any Error> = await sequencer.betweenSlots {
            do {
                guard try chain.canonicalHash(number: target.number) == target.hash else {
                    throw JSONRPCError.server("snapshot \(id) is not on the chain any more (block \(target.number) was replaced)")
                }
                let from = chain.headBlock.number
                try await signer?.recordRollback(toHeight: target.number)
                let rollback = try chain.rollback(to: target.number)
                _ = try watcher?.unmarkIncluded(aboveL2Block: target.number)
                try mempool.headChanged(to: chain.mempoolHead, touchedAccounts: rollback.touchedAccounts)
                logger.info("evm_revert: rolled the chain back", metadata: [
                    "snapshot": "\(id)", "from": "\(from)", "to": "\(target.number)",
                    "transactions_dropped": "\(rollback.transactions.count)",
                ])
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success:
            snapshots.withLock { s in s.heads = s.heads.filter { $0.key < id } }
            return true
        case .failure(let error as JSONRPCError):
            throw error
        case .failure(let error):
            throw JSONRPCError.server("evm_revert failed: \(error)")
        }
    }
}
