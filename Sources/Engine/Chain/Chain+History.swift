import Primitives

/// Which blocks' state a node serves.
///
/// Every block's state stays reachable in the database: the state trie's nodes are
/// content-addressed and never deleted (there is no pruning yet), so the choice is what is
/// served, not yet what is stored. A node started without `--archive` serves the head and the
/// `recent` blocks below it (geth's and reth's full-node window of 128), so clients see the
/// same answers once pruning lands; `--archive` serves every block.
public enum StateHistory: Sendable, Equatable, CustomStringConvertible {
    /// The head and this many blocks below it.
    case recent(UInt64)
    /// Every block since genesis.
    case archive

    public static let defaultRecentBlocks: UInt64 = 128

    public var description: String {
        switch self {
        case .recent(let n): "the head and the \(n) blocks below it"
        case .archive: "every block (archive)"
        }
    }
}

extension Chain {
    /// The state of the stored block `header` (hash `hash`), read through its state trie.
    /// Throws `EngineError.stateNotKept` for a block outside `stateHistory` (measured from the
    /// current head).
    ///
    /// Also for the head itself: the flat tables (`headContractState`) move on when the next
    /// block commits, so a caller that named a block reads that block's trie, which does not.
    public func state(at header: Header, hash: Hash32) throws(EngineError) -> TrieStateReader {
        let head = headBlock
        if case .recent(let kept) = stateHistory, header.number < head.number, head.number - header.number > kept {
            throw .stateNotKept(block: header.number, hash: hash, stateRoot: header.stateRoot, head: head.number, kept: kept)
        }
        return TrieStateReader(database: database, header: header, hash: hash)
    }
}

/// An account's EIP-1186 proof and the proofs of some of its storage slots, against one block's
/// state root.
public struct AccountProof: Sendable, Equatable {
    /// The account; nil when it does not exist (the proof then proves its absence).
    public var account: Account?
    /// The state trie's nodes from the root towards keccak256(address).
    public var accountProof: [[UInt8]]
    /// Per requested slot: its word (zero when unset) and the storage trie's nodes.
    public var storage: [(slot: U256, value: U256, proof: [[UInt8]])]

    public static func == (a: AccountProof, b: AccountProof) -> Bool {
        a.account == b.account && a.accountProof == b.accountProof
            && a.storage.elementsEqual(b.storage) { $0.slot == $1.slot && $0.value == $1.value && $0.proof == $1.proof }
    }
}

extension Chain {
    /// The EIP-1186 proof of `address` and its `slots` in the state of the stored block `header`
    /// (hash `hash`), or of the head when nil; served for the same blocks as `state(at:hash:)`.
    public func proof(of address: Address, slots: [U256], at block: (header: Header, hash: Hash32)?) throws(EngineError) -> AccountProof {
        let head = headBlock
        let (header, hash) = block ?? (head.header, head.hash)
        return try state(at: header, hash: hash).proof(of: address, slots: slots)
    }
}

extension TrieStateReader {
    /// See `Chain.proof(of:slots:at:)`.
    public func proof(of address: Address, slots: [U256]) throws(EngineError) -> AccountProof {
        let store = RocksTrieNodeStore(db: database.db, trie: database.trie)
        let accountProof = try read { () throws in try SecureTrie(root: stateRoot, store: store).proof(address.bytes) }
        let account = try account(address)
        var storage: [(slot: U256, value: U256, proof: [[UInt8]])] = []
        for slot in slots {
            let root = account?.storageRoot ?? .emptyTrieRoot
            let proof = try read { () throws in try SecureTrie(root: root, store: store).proof(slot.bigEndianBytes) }
            storage.append((slot, try self.storage(address, slot: slot), proof))
        }
        return AccountProof(account: account, accountProof: accountProof, storage: storage)
    }
}
