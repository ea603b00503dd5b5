/// Why a trie operation could not read the trie. Errors thrown by the node store itself are
/// passed through unchanged.
public enum TrieError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The store has no node with this hash: the trie was opened at a root whose nodes were not
    /// all persisted (or were deleted).
    case missingNode(Hash32)
    /// The node stored under this hash (or a node embedded in it) is not a valid trie node.
    case malformedNode(Hash32)

    public var description: String {
        switch self {
        case .missingNode(let h): "trie: node \(h) is not in the store"
        case .malformedNode(let h): "trie: node \(h) is not a valid trie node"
        }
    }
}
