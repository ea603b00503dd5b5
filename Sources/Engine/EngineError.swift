import Primitives
import Storage

/// Failures of the engine outside transaction execution.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The datadir was created for another chain.
    case genesisMismatch(datadir: Hash32, spec: Hash32)
    case storage(StorageError)
    case corruptDatabase(String)
    case trie(String)
    /// The block to commit does not extend the current head.
    case notOnHead(parent: Hash32, head: Hash32)
    case unknownBlock(String)
    case invalidRollback(String)

    public var description: String {
        switch self {
        case .genesisMismatch(let d, let s):
            "the datadir holds a chain with genesis \(d), but the chain spec gives genesis \(s): use another --datadir or the chain spec it was created with"
        case .storage(let e): "\(e)"
        case .corruptDatabase(let m): "database is corrupt: \(m)"
        case .trie(let m): "state trie: \(m)"
        case .notOnHead(let p, let h): "block does not extend the head: its parent is \(p), the head is \(h)"
        case .unknownBlock(let m): "unknown block \(m)"
        case .invalidRollback(let m): "cannot roll back: \(m)"
        }
    }

    /// Whether retrying the same operation later can succeed (a full disk, a busy database).
    public var isTransient: Bool {
        if case .storage(let e) = self { return e.isTransient || e.code == .noSpace }
        return false
    }
}
