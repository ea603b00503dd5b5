import Engine
import L1Watcher
import RPC

/// The JSON-RPC methods the node serves.
enum NodeRPCMethods {
    static func table(chain: Chain, mempool: Mempool, sequencer: Sequencer<Mempool, ContinuousClock>?, watcher: L1Watcher?) -> RPCMethodTable {
        let inclusions = InclusionWaiters()
        chain.onNewHead { inclusions.blockCommitted($0) }
        var table = RPCMethodTable()
        table.registerNodeInfoMethods(chainID: chain.spec.chainID)
        // The suggested tip never goes below what the mempool accepts.
        let configuration = ChainMethodsConfiguration(minimumSuggestedTip: max(mempool.configuration.minimumTip, 1_000_000))
        table.registerChainMethods(backend: EngineRPCBackend(chain: chain, mempool: mempool, inclusions: inclusions),
                                   rollup: NodeRollupBackend(chain: chain, sequencer: sequencer, watcher: watcher), configuration: configuration)
        return table
    }
}
