/// How a parent refers to a child node: nodes whose encoding is shorter than 32 bytes are
/// embedded in their parent, the others are referenced by the keccak256 of their encoding.
enum TrieNodeReference: Equatable, Sendable {
    case hash(Hash32)
    case inline([UInt8])
}

/// A node of the in-memory part of a Merkle-Patricia trie.
///
/// `reference` is the node's cached reference when the node is unchanged since it was loaded or
/// last committed ("clean"), and nil when it is dirty and must be re-encoded. A dirty node's
/// ancestors are always dirty too, so committing stops at the first clean node.
///
/// `empty` and `stored` are held inline (a branch's unloaded children cost no allocation); the
/// other cases are boxed.
enum TrieNode: Sendable {
    case empty
    /// A subtree that is in the store and has not been loaded yet.
    case stored(Hash32)
    indirect case leaf(path: [UInt8], value: [UInt8], reference: TrieNodeReference?)
    indirect case `extension`(path: [UInt8], child: TrieNode, reference: TrieNodeReference?)
    indirect case branch(children: [TrieNode], value: [UInt8]?, reference: TrieNodeReference?)

    static let noChildren = [TrieNode](repeating: .empty, count: 16)

    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    /// The cached reference of a clean node (`.stored` nodes are clean by definition).
    var cachedReference: TrieNodeReference? {
        switch self {
        case .empty: nil
        case .stored(let hash): .hash(hash)
        case .leaf(_, _, let r), .extension(_, _, let r), .branch(_, _, let r): r
        }
    }
}
