import Engine
import Primitives
import RPC

/// rollupNode_ and rollupNodeAdmin_ over the sequencer (and, with an L1, the L1 watcher).
struct NodeRollupBackend: RPCRollupBackend {
    let chain: Chain
    let sequencer: Sequencer<Mempool, ContinuousClock>?

    func rollupStatus() async throws -> RPCRollupStatus {
        let head = chain.headBlock
        return RPCRollupStatus(automaticSequencing: sequencer?.isEnabled ?? false, headNumber: head.number, headHash: head.hash,
                               l1Latest: nil, l1Finalized: nil, l1Processed: nil, nextL1QueueIndex: chain.nextL1QueueIndex,
                               pendingL1Messages: 0, isSyncing: false)
    }

    func l1Message(queueIndex: UInt64) async throws -> RPCL1Message? { nil }

    func setAutomaticSequencing(_ enabled: Bool) async throws -> Bool {
        guard let sequencer else {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "this node is not a sequencer: start it with --sequencer.enabled")
        }
        try sequencer.setAutomaticSequencing(enabled)
        return true
    }

    func revertToL1Block(_ number: UInt64) async throws -> Bool {
        throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "no L1 is configured (--l1.url): there is nothing to revert to")
    }
}
