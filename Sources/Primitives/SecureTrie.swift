/// A Merkle-Patricia trie whose keys are hashed with keccak256 before use, as in Ethereum's
/// state trie (accounts keyed by keccak256(address)) and storage tries (keccak256(slot)).
///
/// The trie does not remember the unhashed keys.
public struct SecureTrie<Store: TrieNodeStore> {
    /// The underlying trie, keyed by keccak256(key).
    public var trie: MerklePatriciaTrie<Store>

    /// Opens the secure trie whose root hash is `root`.
    public init(root: Hash32 = .emptyTrieRoot, store: Store) {
        trie = MerklePatriciaTrie(root: root, store: store)
    }

    /// The value stored under keccak256(`key`), or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try trie.get(Keccak.hash256(key).bytes)
    }

    /// The EIP-1186 proof of keccak256(`key`) (see `MerklePatriciaTrie.proof(_:)`).
    public func proof(_ key: [UInt8]) throws -> [[UInt8]] {
        try trie.proof(Keccak.hash256(key).bytes)
    }

    /// Sets the value stored under keccak256(`key`); an empty value deletes the key.
    public mutating func insert(_ key: [UInt8], value: [UInt8]) throws {
        try trie.insert(Keccak.hash256(key).bytes, value: value)
    }

    /// Deletes keccak256(`key`); returns whether it was present.
    @discardableResult
    public mutating func delete(_ key: [UInt8]) throws -> Bool {
        try trie.delete(Keccak.hash256(key).bytes)
    }

    /// See `MerklePatriciaTrie.commit()`.
    public mutating func commit() -> (root: Hash32, newNodes: [Hash32: [UInt8]]) {
        trie.commit()
    }

    /// See `MerklePatriciaTrie.hasUncommittedChanges`.
    public var hasUncommittedChanges: Bool { trie.hasUncommittedChanges }

    /// See `MerklePatriciaTrie.unloadNodes()`.
    public mutating func unloadNodes() { trie.unloadNodes() }
}

extension SecureTrie: Sendable where Store: Sendable {}

extension SecureTrie {
    /// The value stored for an account address (keyed by keccak256(address)).
    public func get(_ address: Address) throws -> [UInt8]? { try get(address.bytes) }

    /// Sets the value stored for an account address; an empty value deletes it.
    public mutating func insert(_ address: Address, value: [UInt8]) throws { try insert(address.bytes, value: value) }

    /// Deletes an account address; returns whether it was present.
    @discardableResult
    public mutating func delete(_ address: Address) throws -> Bool { try delete(address.bytes) }
}
