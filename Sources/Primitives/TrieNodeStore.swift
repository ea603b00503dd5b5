/// Read access to persisted trie nodes, keyed by the keccak256 of their RLP encoding.
///
/// A trie never writes to its store: `MerklePatriciaTrie.commit()` returns the nodes created
/// since the last commit and the caller persists them (for the node, in the same RocksDB write
/// batch as the block), so that a block and its state become durable together. A store may
/// therefore hold nodes of many state roots at once; nodes are content-addressed, so writing a
/// node that is already present is harmless.
public protocol TrieNodeStore {
    /// The RLP encoding of the node whose keccak256 is `hash`, or nil when the store does not
    /// have it. Errors are the store's own (I/O) and are passed through by the trie.
    func node(_ hash: Hash32) throws -> [UInt8]?
}
