import Primitives

extension ChainSpec {
    /// The genesis header: always the same for the same spec. Its state root is the secure trie
    /// of the alloc; parent hash, beneficiary, difficulty and mix hash are zero.
    public func genesisHeader() -> Header {
        Header(parentHash: .zero, beneficiary: .zero, stateRoot: genesisState().root,
               number: 0, gasLimit: genesis.gasLimit, timestamp: genesis.timestamp,
               extraData: genesis.extraData, baseFeePerGas: genesis.baseFeePerGas)
    }

    /// The genesis block hash.
    public var genesisHash: Hash32 { genesisHeader().hash }

    /// The alloc as accounts (with their storage words and code), with the state root and the
    /// trie nodes of the account trie and every storage trie.
    func genesisState() -> GenesisState {
        var state = GenesisState()
        let store = InMemoryTrieNodeStore()
        var trie = SecureTrie(store: store)
        for (address, a) in genesis.alloc.sorted(by: { $0.key < $1.key }) {
            var account = Account(nonce: a.nonce, balance: a.balance)
            if !a.code.isEmpty {
                account.codeHash = Keccak.hash256(a.code)
                state.code[account.codeHash] = a.code
            }
            if !a.storage.isEmpty {
                // An in-memory trie over an empty store never fails.
                var storage = SecureTrie(store: store)
                for (slot, value) in a.storage {
                    var w = RLPWriter(capacity: 33)
                    w.write(value)
                    try! storage.insert(slot.bigEndianBytes, value: w.bytes)
                }
                let (root, nodes) = storage.commit()
                account.storageRoot = root
                state.nodes.merge(nodes) { a, _ in a }
                state.storage[address] = a.storage
            }
            if account.isEmpty && a.storage.isEmpty { continue }
            state.accounts[address] = account
            try! trie.insert(address, value: account.rlp)
        }
        let (root, nodes) = trie.commit()
        state.root = root
        state.nodes.merge(nodes) { a, _ in a }
        return state
    }
}

/// A chain spec's genesis state, as `Chain` writes it into an empty datadir.
struct GenesisState {
    var accounts: [Address: Account] = [:]
    var storage: [Address: [U256: U256]] = [:]
    var code: [Hash32: [UInt8]] = [:]
    var root: Hash32 = .emptyTrieRoot
    var nodes: [Hash32: [UInt8]] = [:]
}
