import Engine
import L1Watcher
import Primitives
import RPC

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

/// Blocks on demand for evm_mine / anvil_mine (development chains with a sequencer).
struct NodeDevelopmentBackend: RPCDevelopmentBackend {
    let sequencer: Sequencer<Mempool, ContinuousClock>

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
}
