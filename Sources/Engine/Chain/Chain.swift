import Logging
import Primitives
import Storage
import Synchronization

/// The L2 chain in one datadir: the head, the head state, building blocks on the head and
/// committing them, and reading what was committed.
///
/// Reads may come from any thread. Building and committing are done by one sequencer at a time
/// (`build` then `commit`); a commit is one synced RocksDB batch, so call it off Swift's
/// cooperative pool.
public final class Chain: Sendable {
    public let spec: ChainSpec
    public let database: ChainDatabase
    public let genesisHash: Hash32
    /// Which blocks' state is served (`state(at:hash:)`).
    public let stateHistory: StateHistory
    let logger: Logger

    struct Head: Sendable {
        var block: SealedBlock
        var trie: SecureTrie<RocksTrieNodeStore>
        var nextL1QueueIndex: UInt64
        var blocksSinceTrieUnload: Int
    }
    let head: Mutex<Head>
    let listeners: Mutex<[@Sendable (SealedBlock) -> Void]> = Mutex([])
    /// Whole recent blocks for lookups by hash (receipts, transactions, blocks).
    let recentBlocks = Mutex(RecentBlocks(maxBlocks: Chain.recentBlockLimit, maxTransactions: Chain.recentTransactionLimit))

    /// Unload the in-memory state trie every this many blocks (its loaded nodes only grow).
    static let trieUnloadInterval = 256

    /// Recent blocks kept whole: at most this many blocks and this many transactions in total
    /// (about 24 MB; six blocks at 5,000 transactions each).
    static let recentBlockLimit = 32
    static let recentTransactionLimit = 30_000

    /// Opens the chain in `database`: creates genesis in an empty datadir, or checks that the
    /// datadir was created for this spec (`EngineError.genesisMismatch` names both hashes).
    public init(database: ChainDatabase, spec: ChainSpec, stateHistory: StateHistory = .recent(StateHistory.defaultRecentBlocks),
                logger: Logger = Logger(label: "engine")) throws(EngineError) {
        self.spec = spec
        self.stateHistory = stateHistory
        self.database = database
        self.logger = logger
        let genesisHeader = spec.genesisHeader()
        genesisHash = genesisHeader.hash
        let store = RocksTrieNodeStore(db: database.db, trie: database.trie)

        if let stored = try database.genesisHash() {
            guard stored == genesisHash else { throw .genesisMismatch(datadir: stored, spec: genesisHash) }
        } else {
            let state = spec.genesisState()
            var batch = WriteBatch()
            let genesis = SealedBlock(header: genesisHeader, transactions: [], senders: [], receipts: [])
            database.putBlock(genesis, signature: [], into: &batch)
            database.putState(changes: state.accounts, originals: [:], trieNodes: state.nodes, number: 0, into: &batch)
            database.putContractState(storage: state.storage, originals: [:], code: state.code, number: 0, into: &batch)
            database.putL1Cursor(0, number: 0, into: &batch)
            batch.put(Array(ChainDatabase.MetaKey.genesis.rawValue.utf8), genesisHash.bytes, in: database.meta)
            batch.put(Array(ChainDatabase.MetaKey.logIndexStart.rawValue.utf8), ChainDatabase.numberKey(0), in: database.meta)
            try database.write(batch)
            logger.info("Initialized datadir with genesis", metadata: ["genesis": "\(genesisHash)", "accounts": "\(state.accounts.count)"])
        }
        guard let headHash = try database.headHash(), let header = try database.header(headHash) else {
            throw .corruptDatabase(.headBlock, .missing)
        }
        // The rules are not in the genesis hash: the datadir remembers them, so a spec whose `evm`
        // changed cannot extend (or serve re-executions of) blocks made under other rules. A
        // datadir without the record (from before it, or holding only genesis) takes the spec's.
        let rules = spec.evmRules.name
        let storedRules = try storage { () throws(StorageError) in try database.metaValue(.rules) }.map { String(decoding: $0, as: UTF8.self) }
        if let storedRules, storedRules != rules, header.number > 0 {
            throw .rulesMismatch(datadir: storedRules, spec: rules)
        }
        if storedRules != rules {
            try storage { () throws(StorageError) in try database.setMetaValue(.rules, Array(rules.utf8)) }
        }
        if try database.logIndexStart() == nil {
            // A datadir from before the log index: it covers the blocks committed from now on.
            try storage { () throws(StorageError) in try database.setMetaValue(.logIndexStart, ChainDatabase.numberKey(header.number + 1)) }
        }
        let block = try database.sealedBlock(header, hash: headHash)
        let next = try database.nextL1QueueIndex(after: header.number) ?? 0
        let trie = SecureTrie(root: header.stateRoot, store: store)
        // The state root of the head must be readable: the trie's root node is in the store.
        if header.stateRoot != .emptyTrieRoot {
            let rootNode: [UInt8]?
            do { rootNode = try store.node(header.stateRoot) } catch { throw .trie(during: .readingHeadStateRoot, underlying: error) }
            guard rootNode != nil else { throw .corruptDatabase(.stateRoot(header.stateRoot, block: header.number), .missing) }
        }
        head = Mutex(Head(block: block, trie: trie, nextL1QueueIndex: next, blocksSinceTrieUnload: 0))
    }

    /// The newest committed block.
    public var headBlock: SealedBlock { head.withLock { $0.block } }

    /// The queue index of the next L1 message to include.
    public var nextL1QueueIndex: UInt64 { head.withLock { $0.nextL1QueueIndex } }

    /// The head state (latest committed), for the mempool and RPC.
    public var headState: AccountStateReader { HeadStateReader(database: database) }

    /// The head state with storage and code (eth_getStorageAt, eth_getCode).
    public var headContractState: any ContractStateReader { HeadStateReader(database: database) }

    /// Calls `listener` after each committed block (and after rollbacks, with the new head).
    public func onNewHead(_ listener: @escaping @Sendable (SealedBlock) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// The base fee of the block after the head.
    public var nextBaseFee: U256 {
        let h = headBlock.header
        return spec.baseFee.nextBaseFee(parentBaseFee: h.baseFeePerGas ?? spec.genesis.baseFeePerGas,
                                        parentGasUsed: h.gasUsed, parentGasLimit: h.gasLimit)
    }
}
