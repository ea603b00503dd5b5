import Primitives

extension RPCMethodTable {
    /// Registers every chain method: the `eth_` and `txpool_` methods over `backend`
    /// (``registerEthMethods(backend:configuration:)``) and the `rollupNode_` and
    /// `rollupNodeAdmin_` methods over `rollup` (``registerRollupNodeMethods(rollup:chain:configuration:)``).
    /// `web3_` and `net_` come from ``registerNodeInfoMethods(chainID:clientVersion:)``.
    public mutating func registerChainMethods(
        backend: any RPCChainBackend, rollup: any RPCRollupBackend, configuration: ChainMethodsConfiguration = ChainMethodsConfiguration(),
        accountKeys: [PrivateKey] = [], impersonation: Impersonation? = nil
    ) {
        registerEthMethods(backend: backend, configuration: configuration)
        registerAccountMethods(keys: accountKeys, backend: backend, configuration: configuration, impersonation: impersonation)
        registerDebugRawMethods(backend: backend, configuration: configuration)
        registerRollupNodeMethods(rollup: rollup, chain: backend, configuration: configuration)
    }

    /// Registers the `eth_` and `txpool_` methods (parameters in brackets, `?` optional):
    ///
    /// - eth_chainId, eth_blockNumber, eth_syncing (`false`), eth_gasPrice, eth_maxPriorityFeePerGas,
    ///   eth_feeHistory [count, newest, percentiles?]
    /// - eth_getBlockByNumber / eth_getBlockByHash [block, full], eth_getBlockTransactionCountBy
    ///   Number / Hash [block], eth_getBlockReceipts [block]: null for unknown blocks
    /// - eth_getTransactionByHash [hash] (pool transactions too), eth_getTransactionByBlock
    ///   HashAndIndex / NumberAndIndex [block, index], eth_getTransactionReceipt [hash]: null
    ///   when not found
    /// - eth_getBalance, eth_getTransactionCount, eth_getCode [address, block?],
    ///   eth_getStorageAt [address, slot, block?], eth_getProof [address, keys, block?]: the
    ///   state of the head or of a block the backend keeps
    /// - eth_call, eth_estimateGas [tx, block?, stateOverrides?, blockOverrides?]
    /// - eth_sendRawTransaction [raw], eth_sendRawTransactionSync [raw, timeoutMs?]
    /// - eth_getLogs [filter]
    /// - txpool_status, txpool_content, txpool_contentFrom [address], txpool_inspect
    ///
    /// Constant answers run ``Execution/inline``; everything that asks the backend runs guarded
    /// by the request timeout.
    public mutating func registerEthMethods(backend: any RPCChainBackend, configuration: ChainMethodsConfiguration = ChainMethodsConfiguration()) {
        let m = ChainMethods(backend: backend, configuration: configuration)
        let chainID = ChainJSON.quantity(backend.chainID)
        register("eth_chainId", execution: .inline) { _ in chainID }
        register("eth_syncing", execution: .inline) { _ in false }
        register("eth_blockNumber", m.blockNumber)
        register("eth_gasPrice", m.gasPrice)
        register("eth_maxPriorityFeePerGas", m.maxPriorityFeePerGas)
        register("eth_feeHistory", parameters: 2...3, m.feeHistory)

        register("eth_getBlockByNumber", parameters: 2, m.getBlockByNumber)
        register("eth_getBlockByHash", parameters: 2, m.getBlockByHash)
        register("eth_getBlockTransactionCountByNumber", parameters: 1, m.getBlockTransactionCountByNumber)
        register("eth_getBlockTransactionCountByHash", parameters: 1, m.getBlockTransactionCountByHash)
        register("eth_getBlockReceipts", parameters: 1, m.getBlockReceipts)

        register("eth_getTransactionByHash", parameters: 1, m.getTransactionByHash)
        register("eth_getTransactionByBlockHashAndIndex", parameters: 2, m.getTransactionByBlockHashAndIndex)
        register("eth_getTransactionByBlockNumberAndIndex", parameters: 2, m.getTransactionByBlockNumberAndIndex)
        register("eth_getTransactionReceipt", parameters: 1, m.getTransactionReceipt)

        register("eth_getBalance", parameters: 1...2, m.getBalance)
        register("eth_getTransactionCount", parameters: 1...2, m.getTransactionCount)
        register("eth_getCode", parameters: 1...2, m.getCode)
        register("eth_getStorageAt", parameters: 2...3, m.getStorageAt)
        register("eth_getProof", parameters: 2...3, m.getProof)
        register("eth_createAccessList", parameters: 1...2, m.createAccessList)

        register("eth_call", parameters: 1...4, m.call)
        register("eth_estimateGas", parameters: 1...4, m.estimateGas)
        register("eth_sendRawTransaction", parameters: 1, m.sendRawTransaction)
        register("eth_sendRawTransactionSync", parameters: 1...2, m.sendRawTransactionSync)
        register("eth_getLogs", parameters: 1, m.getLogs)

        register("txpool_status", m.txPoolStatus)
        register("txpool_content", m.txPoolContent)
        register("txpool_contentFrom", parameters: 1, m.txPoolContentFrom)
        register("txpool_inspect", m.txPoolInspect)
    }

    /// Registers the Scroll namespaces:
    ///
    /// - rollupNode_status, rollupNode_getBlockSignature [block hash, number or tag],
    ///   rollupNode_getL1MessageByIndex [index]
    /// - rollupNodeAdmin_enableAutomaticSequencing, rollupNodeAdmin_disableAutomaticSequencing
    ///   (no parameters; return a boolean), rollupNodeAdmin_revertToL1Block [l1BlockNumber]
    ///
    /// `rollupNodeAdmin` is served only when the dispatcher enables that namespace.
    public mutating func registerRollupNodeMethods(
        rollup: any RPCRollupBackend, chain: any RPCChainBackend, configuration: ChainMethodsConfiguration = ChainMethodsConfiguration()
    ) {
        let m = RollupNodeMethods(rollup: rollup, chain: ChainMethods(backend: chain, configuration: configuration))
        register("rollupNode_status", m.status)
        register("rollupNode_getBlockSignature", parameters: 1, m.getBlockSignature)
        register("rollupNode_getL1MessageByIndex", parameters: 1, m.getL1MessageByIndex)
        register("rollupNodeAdmin_enableAutomaticSequencing", m.enableAutomaticSequencing)
        register("rollupNodeAdmin_disableAutomaticSequencing", m.disableAutomaticSequencing)
        register("rollupNodeAdmin_revertToL1Block", parameters: 1, m.revertToL1Block)
    }
}
