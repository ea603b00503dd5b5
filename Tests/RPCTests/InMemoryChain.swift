import Primitives
import Synchronization
@testable import RPC

/// An in-memory chain that behaves like the engine towards the RPC layer: a few sealed and
/// signed blocks with legacy, EIP-2930, EIP-1559 and L1 message (0x7E) transactions and their
/// receipts, a head state, a pool with pending and queued transactions, and a rollup status.
///
/// Blocks: 0 genesis (unsigned, no transactions); 1 an L1 message, a protected legacy transfer,
/// an access-list transfer and a dynamic-fee transfer (with synthetic logs, as an EVM would
/// emit them); 2 an L1 message, a dynamic-fee transfer with calldata and an unprotected legacy
/// transfer; 3 empty. `mine()` seals the pending pool into a new block.
final class InMemoryChain: RPCChainBackend, RPCRollupBackend {
    static let chainID: UInt64 = 534_352
    static let alice = DevelopmentKeys.privateKey(0)
    static let bob = DevelopmentKeys.privateKey(1)
    static let sequencer = DevelopmentKeys.privateKey(2)
    static let carol = try! Address(hex: "0x90f79bf6eb2c4f870365e785982e1f101e93b906")
    static let l1Sender = try! Address(hex: "0x1111111111111111111111111111111111111111")
    static let contract = try! Address(hex: "0xc0dec0dec0dec0dec0dec0dec0dec0dec0dec0de")
    static let contractCode: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0xf3]
    static let feeVault = try! Address(hex: "0x5300000000000000000000000000000000000005")
    static let logEmitter = try! Address(hex: "0x2222222222222222222222222222222222222222")
    static let transferTopic = Keccak.hash256(Array("Transfer(address,address,uint256)".utf8))
    static let gwei: U256 = 1_000_000_000
    static let ether: U256 = 1_000_000_000_000_000_000
    static let gasLimit: UInt64 = 30_000_000

    struct State {
        var blocks: [RPCBlock] = []
        var byHash: [Hash32: RPCBlock] = [:]
        var signatures: [Hash32: [UInt8]] = [:]
        var locations: [Hash32: RPCTransactionLocation] = [:]
        var accounts: [Address: RPCAccount] = [:]
        var code: [Address: [UInt8]] = [:]
        var storage: [Address: [Hash32: Hash32]] = [:]
        var pending: [RPCPoolTransaction] = []
        var queued: [RPCPoolTransaction] = []
        var nextBaseFee: U256 = 9_000_000
        var callL1Fee: U256 = .zero
        var automaticSequencing = true
        var follower: RPCFollowerStatus?
        var revertedTo: UInt64?
        var l1Messages: [UInt64: RPCL1Message] = [:]
        var nextQueueIndex: UInt64 = 0
        /// How many times a whole block was loaded through the backend.
        var blockLoads = 0
    }

    let state = Mutex(State())
    /// The timeouts of the waits for an inclusion that callers started, in order.
    let inclusionWaits = Mutex<[Duration]>([])
    /// Off: a wait for an inclusion lasts until the transaction is included (the test mines it).
    /// On: a wait for a transaction not yet included ends at once, as if its timeout had passed.
    /// No real time is involved either way, so a busy machine cannot change the outcome.
    let inclusionWaitsExpire = Atomic<Bool>(false)
    var chainID: UInt64 { Self.chainID }

    init() {
        state.withLock { s in
            s.accounts[Self.alice.address] = RPCAccount(nonce: 0, balance: Self.ether * 100)
            s.accounts[Self.bob.address] = RPCAccount(nonce: 0, balance: Self.ether * 50)
            s.accounts[Self.contract] = RPCAccount(nonce: 1, balance: .zero, codeHash: Keccak.hash256(Self.contractCode))
            s.code[Self.contract] = Self.contractCode
            s.storage[Self.contract] = [Hash32.zero: Hash32(U256(42).bigEndianBytes)]
        }
        seal([], baseFee: 10_000_000, timestamp: 1_700_000_000)  // genesis

        let m0 = L1MessageTransaction(queueIndex: 0, gasLimit: 100_000, to: Self.bob.address, value: Self.ether, sender: Self.l1Sender)
        let legacy = Self.sign(.legacy(LegacyTransaction(chainID: Self.chainID, nonce: 0, gasPrice: Self.gwei * 2, gasLimit: 21_000,
                                                        to: Self.carol, value: 1_000)), Self.alice)
        let accessList = Self.sign(.accessList(AccessListTransaction(
            chainID: Self.chainID, nonce: 1, gasPrice: Self.gwei, gasLimit: 30_000, to: Self.carol, value: 2_000,
            accessList: [AccessListEntry(address: Self.contract, storageKeys: [Hash32.zero])])), Self.alice)
        let dynamic = Self.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: Self.chainID, nonce: 0, maxPriorityFeePerGas: Self.gwei / 2, maxFeePerGas: Self.gwei * 3,
            gasLimit: 21_000, to: Self.alice.address, value: 3_000)), Self.bob)
        let transferLog = Log(address: Self.logEmitter, topics: [Self.transferTopic, Hash32(Self.alice.address.bytes.leftPadded),
                                                               Hash32(Self.carol.bytes.leftPadded)], data: U256(1_000).bigEndianBytes)
        let otherLog = Log(address: Self.contract, topics: [Self.transferTopic], data: [])
        let anonymousLog = Log(address: Self.logEmitter, topics: [], data: [0xab])
        seal([(SignedTransaction(l1Message: m0), []), (legacy, [transferLog]), (accessList, []), (dynamic, [otherLog, anonymousLog])],
             baseFee: 10_000_000, timestamp: 1_700_000_001)

        let m1 = L1MessageTransaction(queueIndex: 1, gasLimit: 200_000, to: Self.carol, value: .zero, data: [0xde, 0xad],
                                      sender: Self.l1Sender)
        let withData = Self.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: Self.chainID, nonce: 2, maxPriorityFeePerGas: Self.gwei * 2, maxFeePerGas: Self.gwei * 4, gasLimit: 50_000,
            to: Self.bob.address, value: .zero, data: [0x00, 0x01, 0x02, 0x00])), Self.alice)
        let unprotected = Self.sign(.legacy(LegacyTransaction(chainID: nil, nonce: 1, gasPrice: Self.gwei, gasLimit: 21_000,
                                                             to: Self.carol, value: 5)), Self.bob)
        seal([(SignedTransaction(l1Message: m1), []), (withData, [transferLog]), (unprotected, [])],
             baseFee: 9_500_000, timestamp: 1_700_000_002)
        seal([], baseFee: 9_000_000, timestamp: 1_700_000_003)

        state.withLock { s in
            s.l1Messages[0] = RPCL1Message(message: m0, l1BlockNumber: 100, l2BlockNumber: 1, queueHash: Keccak.hash256([0]))
            s.l1Messages[1] = RPCL1Message(message: m1, l1BlockNumber: 101, l2BlockNumber: 2, queueHash: Keccak.hash256([1]))
            s.l1Messages[2] = RPCL1Message(message: L1MessageTransaction(queueIndex: 2, gasLimit: 50_000, to: Self.carol,
                                                                         value: 7, sender: Self.l1Sender), l1BlockNumber: 102)
            s.nextQueueIndex = 2
        }
        // One pending transaction (alice's next nonce) and one queued behind a nonce gap.
        let pooled = Self.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: Self.chainID, nonce: 3, maxPriorityFeePerGas: Self.gwei, maxFeePerGas: Self.gwei * 5, gasLimit: 21_000,
            to: Self.carol, value: 10)), Self.alice)
        let gapped = Self.sign(.legacy(LegacyTransaction(chainID: Self.chainID, nonce: 5, gasPrice: Self.gwei, gasLimit: 21_000,
                                                        to: nil, value: 0, data: [0x60])), Self.bob)
        state.withLock { s in
            s.pending = [RPCPoolTransaction(transaction: pooled, sender: Self.alice.address)]
            s.queued = [RPCPoolTransaction(transaction: gapped, sender: Self.bob.address)]
        }
    }

    static func sign(_ tx: Transaction, _ key: PrivateKey) -> SignedTransaction { try! tx.signed(with: key) }

    /// Seals `transactions` (with the logs each "emits") on the head, signs the block and
    /// applies nonces and balances as the engine would.
    @discardableResult
    func seal(_ transactions: [(SignedTransaction, [Log])], baseFee: U256, timestamp: UInt64) -> RPCBlock {
        state.withLock { s in
            var receipts: [Receipt] = []
            var senders: [Address] = []
            var cumulative: UInt64 = 0
            var bloom = Bloom()
            for (tx, logs) in transactions {
                let sender = try! tx.recoverSender()
                senders.append(sender)
                cumulative += tx.transaction.intrinsicGas
                let receipt = Receipt(type: tx.type.rawValue, status: .succeeded, cumulativeGasUsed: cumulative, logs: logs)
                bloom.formUnion(receipt.bloom)
                receipts.append(receipt)
                let t = tx.transaction
                var from = s.accounts[sender] ?? RPCAccount(nonce: 0, balance: .zero)
                if case .l1Message = t {} else {
                    from.nonce += 1
                    from.balance -= U256(t.intrinsicGas) * t.effectiveGasPrice(baseFee: baseFee) + t.value
                }
                s.accounts[sender] = from
                if let to = t.to {
                    var account = s.accounts[to] ?? RPCAccount(nonce: 0, balance: .zero)
                    account.balance += t.value
                    s.accounts[to] = account
                }
            }
            let number = UInt64(s.blocks.count)
            let header = Header(
                parentHash: s.blocks.last?.hash ?? .zero, beneficiary: Self.feeVault,
                stateRoot: Keccak.hash256(Array("state \(number)".utf8)),
                transactionsRoot: transactions.isEmpty ? .emptyTrieRoot : Keccak.hash256(Array("txs \(number)".utf8)),
                receiptsRoot: transactions.isEmpty ? .emptyTrieRoot : Keccak.hash256(Array("receipts \(number)".utf8)),
                logsBloom: bloom, number: number, gasLimit: Self.gasLimit, gasUsed: cumulative, timestamp: timestamp,
                extraData: number == 0 ? [] : Array("rollup-node".utf8), baseFeePerGas: baseFee)
            let block = RPCBlock(header: header, transactions: transactions.map(\.0), senders: senders, receipts: receipts)
            s.blocks.append(block)
            s.byHash[block.hash] = block
            s.signatures[block.hash] = number == 0 ? [] : try! Self.sequencer.sign(digest: header.signatureDigest).compact
            for (i, tx) in block.transactions.enumerated() {
                s.locations[tx.hash] = RPCTransactionLocation(blockHash: block.hash, blockNumber: number, index: i)
            }
            return block
        }
    }

    /// Seals the pending pool into a new block (an empty one when nothing is pending).
    @discardableResult
    func mine() -> RPCBlock {
        let (pending, baseFee, timestamp) = state.withLock { s in
            defer { s.pending = [] }
            return (s.pending, s.nextBaseFee, s.blocks.last!.header.timestamp + 1)
        }
        return seal(pending.map { ($0.transaction, []) }, baseFee: baseFee, timestamp: timestamp)
    }

    var blocks: [RPCBlock] { state.withLock { $0.blocks } }
    var pool: RPCPoolContent { state.withLock { RPCPoolContent(pending: $0.pending, queued: $0.queued) } }

    // MARK: RPCChainBackend

    func headNumber() async throws -> UInt64 { state.withLock { UInt64($0.blocks.count - 1) } }

    func block(number: UInt64) async throws -> RPCBlock? {
        state.withLock { s in
            s.blockLoads += 1
            return number < s.blocks.count ? s.blocks[Int(number)] : nil
        }
    }

    func block(hash: Hash32) async throws -> RPCBlock? {
        state.withLock { s in
            s.blockLoads += 1
            return s.byHash[hash]
        }
    }

    /// Headers alone, as the engine reads them (not counted as block loads).
    func header(number: UInt64) async throws -> Header? {
        state.withLock { number < $0.blocks.count ? $0.blocks[Int(number)].header : nil }
    }

    func transactionLocation(hash: Hash32) async throws -> RPCTransactionLocation? { state.withLock { $0.locations[hash] } }

    func nextBaseFee() async throws -> U256 { state.withLock { $0.nextBaseFee } }

    /// A settable L1 fee for calls with fee fields (eth_estimateGas's allowance).
    func l1Fee(_ call: RPCCall) async throws -> U256 { call.maxFeePerGas == nil ? .zero : state.withLock { $0.callL1Fee } }

    /// A model of execution for the RPC layer's tests: transfers use their intrinsic gas;
    /// `contract` needs 60,000 gas (using 40,000 of it: the rest is what the 63/64 rule keeps
    /// back) and returns its calldata, except that calldata 0xdead reverts with
    /// Error("nope") and 0xbeef halts with an invalid opcode.
    func execute(_ call: RPCCall) async throws -> RPCCallOutcome {
        try requireHead(call.block)
        let intrinsic = 21_000 + call.data.reduce(UInt64(0)) { $0 + ($1 == 0 ? 4 : 16) }
            + call.accessList.reduce(UInt64(0)) { $0 + 2_400 + UInt64($1.storageKeys.count) * 1_900 }
        if call.gas < intrinsic { return .invalid("intrinsic gas too low: gas \(call.gas), minimum needed \(intrinsic)") }
        let (baseFee, balance) = state.withLock { s in
            (call.pending ? s.nextBaseFee : s.blocks.last!.header.baseFeePerGas!, s.accounts[call.from]?.balance ?? .zero)
        }
        if let cap = call.maxFeePerGas, cap < baseFee {
            return .invalid("max fee per gas less than block base fee: address \(call.from.checksummed), maxFeePerGas: \(cap), baseFee: \(baseFee)")
        }
        let want = U256(call.gas) * (call.maxFeePerGas ?? .zero) + call.value
        if balance < want { return .invalid("insufficient funds for gas * price + value: address \(call.from.checksummed) have \(balance) want \(want)") }
        guard call.to == Self.contract else { return .success(output: [], gasUsed: intrinsic) }
        if call.data == [0xde, 0xad] {
            var output: [UInt8] = [0x08, 0xc3, 0x79, 0xa0] + U256(32).bigEndianBytes + U256(4).bigEndianBytes
            output += Array("nope".utf8) + [UInt8](repeating: 0, count: 28)
            return .reverted(output: output, gasUsed: intrinsic + 100)
        }
        if call.data == [0xbe, 0xef] { return .halted(reason: "invalid opcode") }
        if call.gas < 60_000 { return .halted(reason: "out of gas") }
        return .success(output: call.data, gasUsed: 40_000)
    }

    func callGasLimit() async throws -> UInt64 { Self.gasLimit }

    func blockSignature(hash: Hash32) async throws -> [UInt8]? { state.withLock { $0.signatures[hash] } }

    func account(_ address: Address, at block: RPCStateBlock?) async throws -> RPCAccount? {
        try requireHead(block)
        return state.withLock { $0.accounts[address] }
    }

    func code(_ address: Address, at block: RPCStateBlock?) async throws -> [UInt8] {
        try requireHead(block)
        return state.withLock { $0.code[address] ?? [] }
    }

    func storage(_ address: Address, slot: Hash32, at block: RPCStateBlock?) async throws -> Hash32 {
        try requireHead(block)
        return state.withLock { $0.storage[address]?[slot] ?? .zero }
    }

    /// No EVM here: the request's own list, and the outcome `execute` gives.
    func createAccessList(_ call: RPCCall) async throws -> (accessList: [AccessListEntry], outcome: RPCCallOutcome) {
        (call.accessList, try await execute(call))
    }

    /// Real proofs over tries built from this fake's head state (storage words as RLP, accounts
    /// as rlp([nonce, balance, storageRoot, codeHash])).
    func proof(_ address: Address, slots: [Hash32], at block: RPCStateBlock?) async throws -> RPCAccountProof {
        try requireHead(block)
        let (accounts, storage) = state.withLock { ($0.accounts, $0.storage) }
        let store = InMemoryTrieNodeStore()
        var roots: [Address: Hash32] = [:]
        var tries: [Address: SecureTrie<InMemoryTrieNodeStore>] = [:]
        for (owner, words) in storage {
            var trie = SecureTrie(store: store)
            for (slot, word) in words where word != .zero {
                var w = RLPWriter(capacity: 33)
                w.write(U256(bigEndian: word.bytes)!)
                try trie.insert(slot.bytes, value: w.bytes)
            }
            roots[owner] = trie.commit().root
            tries[owner] = trie
        }
        var accountTrie = SecureTrie(store: store)
        for (owner, account) in accounts {
            var w = RLPWriter(capacity: 80)
            w.writeList { w in
                w.write(account.nonce); w.write(account.balance); w.write(roots[owner] ?? .emptyTrieRoot); w.write(account.codeHash)
            }
            try accountTrie.insert(owner.bytes, value: w.bytes)
        }
        _ = accountTrie.commit()
        let storageTrie = tries[address] ?? SecureTrie(store: store)
        return RPCAccountProof(
            account: accounts[address], storageRoot: roots[address] ?? .emptyTrieRoot, accountProof: try accountTrie.proof(address.bytes),
            storage: try slots.map { slot in
                RPCAccountProof.Entry(key: slot, value: U256(bigEndian: (storage[address]?[slot] ?? .zero).bytes)!,
                                      proof: try storageTrie.proof(slot.bytes))
            })
    }

    /// This fake keeps the head's state only, and says so as the engine does for a block whose
    /// state it does not serve.
    func requireHead(_ block: RPCStateBlock?) throws {
        guard let block, block.hash != state.withLock({ $0.blocks.last!.hash }) else { return }
        throw JSONRPCError.server(Self.stateNotKept(block.number))
    }

    static func stateNotKept(_ number: UInt64) -> String { "state of block \(number) is not kept by this fake" }

    func pendingNonce(_ address: Address) async throws -> UInt64 {
        state.withLock { s in
            var nonce = s.accounts[address]?.nonce ?? 0
            while s.pending.contains(where: { $0.sender == address && $0.transaction.transaction.nonce == nonce }) { nonce += 1 }
            return nonce
        }
    }

    func poolTransaction(hash: Hash32) async throws -> RPCPoolTransaction? {
        state.withLock { s in (s.pending + s.queued).first { $0.transaction.hash == hash } }
    }

    func poolContent() async throws -> RPCPoolContent { pool }

    /// Rejections in geth's words, as the engine's mempool words them.
    func sendRawTransaction(_ bytes: [UInt8]) async throws -> RPCSubmission {
        let tx = try SignedTransaction(encoded: bytes)
        if tx.type == .l1Message { throw JSONRPCError.server("transaction type not supported") }
        let sender = try tx.validate(chainID: Self.chainID)
        let t = tx.transaction
        let nonce = t.nonce ?? 0
        let next = try await pendingNonce(sender)
        return try state.withLock { s throws(JSONRPCError) in
            if s.locations[tx.hash] != nil || (s.pending + s.queued).contains(where: { $0.transaction.hash == tx.hash }) {
                throw .rejected(.alreadyKnown)
            }
            let account = s.accounts[sender] ?? RPCAccount(nonce: 0, balance: .zero)
            if nonce < account.nonce { throw .rejected(.nonceTooLow, detail: "next nonce \(account.nonce), tx nonce \(nonce)") }
            let cost = U256(t.gasLimit) * t.maxFeePerGas + t.value
            if cost > account.balance {
                throw .rejected(.insufficientFunds, detail: "balance \(account.balance), tx cost \(cost)")
            }
            let pooled = RPCPoolTransaction(transaction: tx, sender: sender)
            if nonce == next { s.pending.append(pooled) } else { s.queued.append(pooled) }
            return RPCSubmission(hash: tx.hash, isPending: nonce == next)
        }
    }

    func waitForInclusion(of hash: Hash32, timeout: Duration) async throws -> Bool {
        inclusionWaits.withLock { $0.append(timeout) }
        while true {
            if state.withLock({ $0.locations[hash] != nil }) { return true }
            if inclusionWaitsExpire.load(ordering: .relaxed) { return false }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: RPCRollupBackend

    func setFollowerStatus(_ status: RPCFollowerStatus?) { state.withLock { $0.follower = status } }

    func rollupStatus() async throws -> RPCRollupStatus {
        state.withLock { s in
            RPCRollupStatus(automaticSequencing: s.automaticSequencing, headNumber: UInt64(s.blocks.count - 1),
                            headHash: s.blocks.last!.hash, l1Latest: 120, l1Finalized: 100, l1Processed: 118,
                            nextL1QueueIndex: s.nextQueueIndex, pendingL1Messages: UInt64(s.l1Messages.count) - s.nextQueueIndex,
                            isSyncing: false, mode: s.follower == nil ? "node" : "follower", follower: s.follower)
        }
    }

    func l1Message(queueIndex: UInt64) async throws -> RPCL1Message? { state.withLock { $0.l1Messages[queueIndex] } }

    func setAutomaticSequencing(_ enabled: Bool) async throws -> Bool {
        state.withLock { $0.automaticSequencing = enabled }
        return true
    }

    func revertToL1Block(_ number: UInt64) async throws -> Bool {
        state.withLock { $0.revertedTo = number }
        return true
    }
}

extension Array where Element == UInt8 {
    /// Left-padded with zeros to 32 bytes.
    var leftPadded: [UInt8] { [UInt8](repeating: 0, count: Swift.max(0, 32 - count)) + self }
}

/// A dispatcher over an in-memory chain with every namespace enabled; no request timeout (the
/// timeout tests drive theirs on a testing loop), so a busy machine cannot fail a call.
enum ChainFixture {
    static func dispatcher(_ chain: InMemoryChain = InMemoryChain(), configuration: ChainMethodsConfiguration = .init(),
                           timeout: Duration? = nil, accountKeys: [PrivateKey] = []) -> RPCDispatcher {
        var table = RPCMethodTable()
        table.registerNodeInfoMethods(chainID: InMemoryChain.chainID)
        table.registerChainMethods(backend: chain, rollup: chain, configuration: configuration, accountKeys: accountKeys)
        return RPCDispatcher(methods: table, configuration: .init(
            enabledNamespaces: ["eth", "net", "web3", "txpool", "rollupNode", "rollupNodeAdmin", "debug"], requestTimeout: timeout))
    }
}
