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

    /// The alloc as accounts, with the state root and trie nodes.
    func genesisState() -> (accounts: [Address: Account], root: Hash32, nodes: [Hash32: [UInt8]]) {
        var accounts: [Address: Account] = [:]
        var trie = SecureTrie(store: InMemoryTrieNodeStore())
        for (address, a) in genesis.alloc.sorted(by: { $0.key < $1.key }) {
            let account = Account(nonce: a.nonce, balance: a.balance)
            if account.isEmpty { continue }
            accounts[address] = account
            // An in-memory trie over an empty store never fails.
            try! trie.insert(address, value: account.rlp)
        }
        let (root, nodes) = trie.commit()
        return (accounts, root, nodes)
    }
}
