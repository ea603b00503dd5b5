import Engine
import L1Watcher
import Primitives
import RPC

/// The JSON-RPC methods the node serves (over HTTP and WebSocket alike).
enum NodeRPCMethods {
    static func table(chain: Chain, mempool: Mempool, sequencer: Sequencer<Mempool, ContinuousClock>?, watcher: L1Watcher?,
                      hub: RPCEventHub, maxLogBlockRange: UInt64 = 100_000, maxLogResults: Int = 20_000,
                      accountKeys: [PrivateKey] = [], development: (any RPCDevelopmentBackend)? = nil,
                      feed: SignedBlockFeed? = nil, follower: Follower? = nil, forwarder: TransactionForwarder? = nil) -> RPCMethodTable {
        let inclusions = InclusionWaiters()
        chain.onNewHead { inclusions.blockCommitted($0) }
        var table = RPCMethodTable()
        table.registerNodeInfoMethods(chainID: chain.spec.chainID)
        // The suggested tip never goes below what the mempool accepts.
        let configuration = ChainMethodsConfiguration(minimumSuggestedTip: max(mempool.configuration.minimumTip, 1_000_000),
                                                      maxLogBlockRange: maxLogBlockRange, maxLogResults: maxLogResults)
        let backend = EngineRPCBackend(chain: chain, mempool: mempool, inclusions: inclusions, hub: hub)
        // Impersonation exists only on development chains (with the evm/anvil namespaces).
        let impersonation = development == nil ? nil : Impersonation()
        table.registerChainMethods(backend: backend,
                                   rollup: NodeRollupBackend(chain: chain, sequencer: sequencer, watcher: watcher, follower: follower), configuration: configuration,
                                   accountKeys: accountKeys, impersonation: impersonation)
        table.registerDebugTraceMethods(backend: EngineTraceBackend(chain: chain), chain: backend, configuration: configuration)
        // Development chains: blocks on demand (served in the evm and anvil namespaces, which
        // only --test enables).
        if let development { table.registerDevelopmentMethods(backend: development, impersonation: impersonation) }
        table.registerSubscriptionMethods(maxLogFilterEntries: configuration.maxLogFilterEntries)
        table.registerFilterMethods(hub: hub, backend: backend, clock: ContinuousClock(), configuration: configuration)
        // Followers' transport (docs/followers.md), served by every node so that followers
        // can follow followers.
        if let feed { table.register("rollupNode_getSignedBlocks", parameters: 1, feed.getSignedBlocks) }
        // A follower sends transactions on to the node it follows, and asks it what only the
        // sequencer's pool knows (docs/followers.md): the pool, pending nonces, and transactions
        // not yet in a block. Everything else is answered from the follower's own chain.
        if let forwarder {
            for name in ["eth_sendRawTransaction", "eth_sendRawTransactionSync", "txpool_status", "txpool_content",
                         "txpool_contentFrom", "txpool_inspect"] {
                table.replaceHandler(of: name) { params in try await forwarder.forward(name, params) }
            }
            if let local = table["eth_getTransactionCount"]?.handler {
                table.replaceHandler(of: "eth_getTransactionCount") { params in
                    guard params.values.count > 1, params.values[1].stringValue == "pending" else { return try await local(params) }
                    return try await forwarder.forward("eth_getTransactionCount", params)
                }
            }
            if let local = table["eth_getTransactionByHash"]?.handler {
                table.replaceHandler(of: "eth_getTransactionByHash") { params in
                    let found = try await local(params)
                    guard found.isNull else { return found }
                    return (try? await forwarder.forward("eth_getTransactionByHash", params)) ?? .null
                }
            }
        }
        return table
    }
}
