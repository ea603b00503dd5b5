import Primitives
import Storage

/// Failures of the engine outside transaction execution.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The datadir was created for another chain.
    case genesisMismatch(datadir: Hash32, spec: Hash32)
    case storage(StorageError)
    case corruptDatabase(String)
    /// The state trie failed (`during` says what the engine was doing); the underlying error
    /// is the trie's or its node store's.
    case trie(during: TrieOperation, underlying: any Error)
    /// The block to commit does not extend the current head.
    case notOnHead(parent: Hash32, head: Hash32)
    /// A rollback target that is not a canonical block.
    case rollbackTargetNotCanonical(block: UInt64)
    /// A canonical block above the rollback target without its stored state diff.
    case stateDiffMissing(block: UInt64)

    /// What the engine was doing with the state trie when it failed.
    public enum TrieOperation: Sendable, Equatable, CustomStringConvertible {
        case readingHeadStateRoot
        case sealingBlock

        public var description: String {
            switch self {
            case .readingHeadStateRoot: "reading the head's state root"
            case .sealingBlock: "updating the state trie of the block being sealed"
            }
        }
    }

    public var description: String {
        switch self {
        case .genesisMismatch(let d, let s):
            "the datadir holds a chain with genesis \(d), but the chain spec gives genesis \(s): use another --datadir or the chain spec it was created with"
        case .storage(let e): "\(e)"
        case .corruptDatabase(let m): "database is corrupt: \(m)"
        case .trie(let operation, let e): "state trie: \(operation): \(e)"
        case .notOnHead(let p, let h): "block does not extend the head: its parent is \(p), the head is \(h)"
        case .rollbackTargetNotCanonical(let n): "cannot roll back: block \(n) is not on the canonical chain"
        case .stateDiffMissing(let n): "cannot roll back: block \(n) has no stored state diff"
        }
    }

    /// Whether retrying the same operation later can succeed (a full disk, a busy database).
    public var isTransient: Bool {
        if case .storage(let e) = self { return e.isTransient || e.code == .noSpace }
        return false
    }
}

extension EngineError: Equatable {
    /// The same case saying the same thing (the underlying storage and trie errors are not all
    /// `Equatable`; their descriptions carry what distinguishes them).
    public static func == (a: EngineError, b: EngineError) -> Bool {
        switch (a, b) {
        case let (.genesisMismatch(d1, s1), .genesisMismatch(d2, s2)): d1 == d2 && s1 == s2
        case let (.storage(x), .storage(y)): x.code == y.code && x.description == y.description
        case let (.corruptDatabase(x), .corruptDatabase(y)): x == y
        case let (.trie(o1, _), .trie(o2, _)): o1 == o2 && a.description == b.description
        case let (.notOnHead(p1, h1), .notOnHead(p2, h2)): p1 == p2 && h1 == h2
        case let (.rollbackTargetNotCanonical(x), .rollbackTargetNotCanonical(y)): x == y
        case let (.stateDiffMissing(x), .stateDiffMissing(y)): x == y
        default: false
        }
    }
}
