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
