import Engine
import Primitives
import RPC
import Synchronization

/// The RPC layer's view of the chain and the mempool, over the engine.
struct EngineRPCBackend: RPCChainBackend {
    let chain: Chain
    let mempool: Mempool
    let inclusions: InclusionWaiters
    /// Where accepted transactions are announced (newPendingTransactions); nil: nowhere.
    var hub: RPCEventHub? = nil

    var chainID: UInt64 { chain.spec.chainID }

    func headNumber() async throws -> UInt64 { chain.headBlock.number }

    func block(number: UInt64) async throws -> RPCBlock? { try chain.block(number: number).map(Self.rpcBlock) }

    func block(hash: Hash32) async throws -> RPCBlock? { try chain.block(hash: hash).map(Self.rpcBlock) }

    func header(number: UInt64) async throws -> Header? {
        let head = chain.headBlock
        if number == head.number { return head.header }
        guard let hash = try chain.canonicalHash(number: number) else { return nil }
        return try chain.header(hash: hash)
    }

    func logBlocks(addresses: [Address], topics: [[Hash32]?], from: UInt64, to: UInt64) async throws -> [UInt64]? {
        try chain.logBlocks(addresses: addresses, topics: topics, from: from, to: to)
    }

    func transactionLocation(hash: Hash32) async throws -> RPCTransactionLocation? {
        try chain.transactionLocation(hash).map { RPCTransactionLocation(blockHash: $0.blockHash, blockNumber: $0.blockNumber, index: $0.index) }
    }

    func nextBaseFee() async throws -> U256 { chain.nextBaseFee }

    func execute(_ call: RPCCall) async throws -> RPCCallOutcome {
        let outcome: Chain.CallOutcome = try Self.clientVerdicts { () throws(EngineError) in
            try chain.call(from: call.from, to: call.to, gas: call.gas, maxFeePerGas: call.maxFeePerGas,
                           maxPriorityFeePerGas: call.maxPriorityFeePerGas, value: call.value, data: call.data,
                           accessList: call.accessList, pending: call.pending, block: call.block.map { ($0.header, $0.hash) },
                           overrides: Self.engineOverrides(call.overrides), authorizationList: call.authorizationList)
        }
        return Self.rpcOutcome(outcome)
    }

    func l1Fee(_ call: RPCCall) async throws -> U256 {
        try Self.clientVerdicts { () throws(EngineError) in
            try chain.callL1Fee(from: call.from, to: call.to, gas: call.gas, maxFeePerGas: call.maxFeePerGas,
                                maxPriorityFeePerGas: call.maxPriorityFeePerGas, value: call.value, data: call.data,
                                accessList: call.accessList, pending: call.pending, block: call.block.map { ($0.header, $0.hash) },
                                overrides: Self.engineOverrides(call.overrides), authorizationList: call.authorizationList)
        }
    }

    func createAccessList(_ call: RPCCall) async throws -> (accessList: [AccessListEntry], outcome: RPCCallOutcome) {
        let (list, outcome) = try Self.clientVerdicts { () throws(EngineError) in
            try chain.createAccessList(from: call.from, to: call.to, gas: call.gas, maxFeePerGas: call.maxFeePerGas,
                                       maxPriorityFeePerGas: call.maxPriorityFeePerGas, value: call.value, data: call.data,
                                       accessList: call.accessList, pending: call.pending, block: call.block.map { ($0.header, $0.hash) },
                                       overrides: Self.engineOverrides(call.overrides), authorizationList: call.authorizationList)
        }
        return (list, Self.rpcOutcome(outcome))
    }

    /// The RPC layer's parsed overrides as the engine takes them.
    static func engineOverrides(_ o: RPCCallOverrides) -> CallOverrides {
        func words(_ map: [Hash32: Hash32]) -> [U256: U256] {
            Dictionary(uniqueKeysWithValues: map.map { (U256(bigEndian: $0.key.bytes)!, U256(bigEndian: $0.value.bytes)!) })
        }
        var out = CallOverrides()
        for (address, a) in o.accounts {
            out.accounts[address] = AccountOverride(balance: a.balance, nonce: a.nonce, code: a.code, state: a.state.map(words),
                                                    stateDiff: words(a.stateDiff))
        }
        let b = o.block
        out.block = BlockOverrides(number: b.number, timestamp: b.time, gasLimit: b.gasLimit, coinbase: b.feeRecipient,
                                   baseFee: b.baseFeePerGas, prevRandao: b.prevRandao)
        return out
    }

    static func rpcOutcome(_ outcome: Chain.CallOutcome) -> RPCCallOutcome {
        switch outcome {
        case .success(let output, let gasUsed): .success(output: output, gasUsed: gasUsed)
        case .reverted(let output, let gasUsed): .reverted(output: output, gasUsed: gasUsed)
        case .halted(let reason): .halted(reason: reason)
        case .invalid(let message): .invalid(message)
        }
    }

    func callGasLimit() async throws -> UInt64 { chain.headBlock.header.gasLimit }

    func blockSignature(hash: Hash32) async throws -> [UInt8]? { try chain.signature(blockHash: hash) }

    func account(_ address: Address, at block: RPCStateBlock?) async throws -> RPCAccount? {
        try Self.clientVerdicts { () throws(EngineError) in
            try state(at: block).account(address).map { RPCAccount(nonce: $0.nonce, balance: $0.balance, codeHash: $0.codeHash) }
        }
    }

    func code(_ address: Address, at block: RPCStateBlock?) async throws -> [UInt8] {
        try Self.clientVerdicts { () throws(EngineError) in
            let state = try state(at: block)
            guard let account = try state.account(address), account.hasCode else { return [] }
            return try state.code(hash: account.codeHash) ?? []
        }
    }

    func storage(_ address: Address, slot: Hash32, at block: RPCStateBlock?) async throws -> Hash32 {
        try Self.clientVerdicts { () throws(EngineError) in
            Hash32(try state(at: block).storage(address, slot: U256(bigEndian: slot.bytes)!).bigEndianBytes)
        }
    }

    func proof(_ address: Address, slots: [Hash32], at block: RPCStateBlock?) async throws -> RPCAccountProof {
        let proof = try Self.clientVerdicts { () throws(EngineError) in
            try chain.proof(of: address, slots: slots.map { U256(bigEndian: $0.bytes)! }, at: block.map { ($0.header, $0.hash) })
        }
        return RPCAccountProof(
            account: proof.account.map { RPCAccount(nonce: $0.nonce, balance: $0.balance, codeHash: $0.codeHash) },
            storageRoot: proof.account?.storageRoot ?? .emptyTrieRoot, accountProof: proof.accountProof,
            storage: proof.storage.map { RPCAccountProof.Entry(key: Hash32($0.slot.bigEndianBytes), value: $0.value, proof: $0.proof) })
    }

    /// The head's flat tables for nil, else the named block's state trie.
    private func state(at block: RPCStateBlock?) throws(EngineError) -> any ContractStateReader {
        guard let block else { return chain.headContractState }
        return try chain.state(at: block.header, hash: block.hash)
    }

    /// Runs engine work for a request; the engine's verdicts a client can act on (a block whose
    /// state is not served, a missing trie node, a traced call that cannot run, a replay that
    /// does not reproduce its block) answer -32000 in the engine's words, which name the block.
    static func clientVerdicts<T>(_ body: () throws(EngineError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .stateNotKept, .missingTrieNode, .callNotExecutable, .replayDiverged: throw JSONRPCError.server(error.description)
            default: throw error
            }
        }
    }

    func pendingNonce(_ address: Address) async throws -> UInt64 { try mempool.pendingNonce(of: address) }

    func poolTransaction(hash: Hash32) async throws -> RPCPoolTransaction? {
        mempool.transaction(hash: hash).map { RPCPoolTransaction(transaction: $0.transaction, sender: $0.sender) }
    }

    func poolContent() async throws -> RPCPoolContent {
        let content = mempool.content()
        func flatten(_ d: [Address: [UInt64: MempoolTransaction]]) -> [RPCPoolTransaction] {
            d.keys.sorted().flatMap { sender in
                d[sender]!.keys.sorted().map {
                    let tx = d[sender]![$0]!
                    return RPCPoolTransaction(transaction: tx.transaction, sender: sender,
                                              waitingReason: content.waitingReasons[tx.hash].map { "\($0)" })
                }
            }
        }
        return RPCPoolContent(pending: flatten(content.pending), queued: flatten(content.queued))
    }

    func sendRawTransaction(_ bytes: [UInt8]) async throws -> RPCSubmission {
        try admit { () throws(MempoolError) in try mempool.add(raw: bytes) }
    }

    func sendImpersonatedTransaction(_ tx: SignedTransaction, sender: Address) async throws -> RPCSubmission {
        try admit { () throws(MempoolError) in try mempool.add(tx, sender: sender) }
    }

    /// Pools a transaction: counts the verdict in the metrics and announces an admitted one
    /// (newPendingTransactions).
    private func admit(_ add: () throws(MempoolError) -> MempoolAdmission) throws -> RPCSubmission {
        let admission: MempoolAdmission
        do {
            admission = try add()
            NodeMetrics.recordAdmission(nil)
        } catch {
            NodeMetrics.recordAdmission(error)
            throw error
        }
        hub?.publish(.pendingTransaction(RPCPoolTransaction(transaction: admission.transaction.transaction, sender: admission.transaction.sender)))
        return RPCSubmission(hash: admission.transaction.hash, isPending: admission.isPending)
    }

    func waitForInclusion(of hash: Hash32, timeout: Duration) async throws -> Bool {
        try await inclusions.wait(for: hash, timeout: timeout) { try chain.transactionLocation(hash) != nil }
    }

    static func rpcBlock(_ b: SealedBlock) -> RPCBlock {
        RPCBlock(header: b.header, hash: b.hash, transactions: b.transactions, senders: b.senders, receipts: b.receipts,
                 l1Fees: b.l1Fees)
    }
}

/// Mempool rejections reach clients as -32000 with geth's wording; a failure to read state is
/// an internal error.
extension MempoolError: JSONRPCErrorConvertible {
    public var jsonRPCError: JSONRPCError {
        isRejection ? JSONRPCError(code: JSONRPCError.serverErrorCode, message: description) : .internalError
    }
}

/// Tasks waiting for transactions to be included, woken by each new head.
final class InclusionWaiters: Sendable {
    /// Times the waits out (`ContinuousClock` in the node).
    let clock: any Clock<Duration>
    private let waiters = Mutex<[Hash32: [UInt64: CheckedContinuation<Bool, Never>]]>([:])
    private let nextID = Atomic<UInt64>(0)

    init(clock: any Clock<Duration> = ContinuousClock()) { self.clock = clock }

    /// Called for every committed block.
    func blockCommitted(_ block: SealedBlock) {
        var ready: [CheckedContinuation<Bool, Never>] = []
        waiters.withLock { w in
            for tx in block.transactions { if let list = w.removeValue(forKey: tx.hash) { ready += list.values } }
        }
        for c in ready { c.resume(returning: true) }
    }

    /// Waits until `hash` is included (`isIncluded` answers for blocks committed before the wait
    /// began) or `timeout` passes.
    func wait(for hash: Hash32, timeout: Duration, isIncluded: @Sendable () throws -> Bool) async throws -> Bool {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                        // Under the lock that onCancel takes too: a cancellation that came first
                        // is seen here, one that comes later finds the continuation.
                        let cancelled = self.waiters.withLock { w -> Bool in
                            if Task.isCancelled { return true }
                            w[hash, default: [:]][id] = c
                            return false
                        }
                        if cancelled { c.resume(returning: false) }
                    }
                } onCancel: {
                    let c = self.waiters.withLock { w -> CheckedContinuation<Bool, Never>? in
                        let c = w[hash]?.removeValue(forKey: id)
                        if w[hash]?.isEmpty == true { w[hash] = nil }
                        return c
                    }
                    c?.resume(returning: false)
                }
            }
            // Registered or not yet: a block committed before registration is seen here.
            if try isIncluded() { group.cancelAll(); return true }
            group.addTask {
                try? await self.clock.sleep(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            if first { return true }
            return try isIncluded()
        }
    }
}
