import Engine
import RPC

/// The JSON-RPC methods the node serves.
enum NodeRPCMethods {
    static func table(chain: Chain, mempool: Mempool, sequencer: Sequencer<Mempool, ContinuousClock>?) -> RPCMethodTable {
        var table = RPCMethodTable()
        table.registerNodeInfoMethods(chainID: chain.spec.chainID)
        return table
    }
}
