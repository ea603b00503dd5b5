import Primitives
import Storage

/// Failures of the engine outside transaction execution.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The datadir was created for another chain.
    case genesisMismatch(datadir: Hash32, spec: Hash32)
    /// The datadir's blocks were made under another EVM rule set than the spec's `evm` names.
    case rulesMismatch(datadir: String, spec: String)
    case storage(StorageError)
    /// A record of the chain's database cannot be used: `record` says which, `problem` what is
    /// wrong with it (with the decoder's error when it did not decode).
    case corruptDatabase(ChainRecord, CorruptionProblem)
    /// The caller's extra writes for a block (the L1 watcher's inclusion records) failed.
    case stagingFailed(underlying: any Error)
    /// The state trie failed (`during` says what the engine was doing); the underlying error
    /// is the trie's or its node store's.
    case trie(during: TrieOperation, underlying: any Error)
    /// The block to commit does not extend the current head.
    case notOnHead(parent: Hash32, head: Hash32)
    /// A rollback target that is not a canonical block.
    case rollbackTargetNotCanonical(block: UInt64)
    /// A canonical block above the rollback target without its stored state diff.
    case stateDiffMissing(block: UInt64)
    /// The state of block `block` is older than what this node serves (`Chain.stateHistory`):
    /// `head` is the head's number and `kept` how many blocks below it are served.
    case stateNotKept(block: UInt64, hash: Hash32, stateRoot: Hash32, head: UInt64, kept: UInt64)
    /// Re-executing transaction `index` of block `block` (for a trace) did not give what the
    /// block recorded.
    case replayDiverged(block: UInt64, index: Int, reason: String)
    /// A traced call that cannot execute at all (geth's words: insufficient funds, ...).
    case callNotExecutable(String)
    /// A node of block `block`'s state trie is not in the database.
    case missingTrieNode(Hash32, stateRoot: Hash32, block: UInt64, hash: Hash32)

    /// What the engine was doing with the state trie when it failed.
    public enum TrieOperation: Sendable, Equatable, CustomStringConvertible {
        case readingHeadStateRoot
        case sealingBlock
        /// Reading or writing state while executing the block's transactions.
        case executingTransactions
        /// The pre-block system update (`Chain.build`'s `systemUpdate`).
        case systemUpdate
        /// Reading the state for eth_call.
        case simulatingCall
        /// Reading an older block's state through its state root.
        case readingHistoricalState(block: UInt64)

        public var description: String {
            switch self {
            case .readingHeadStateRoot: "reading the head's state root"
            case .sealingBlock: "updating the state trie of the block being sealed"
            case .executingTransactions: "reading or writing state while executing the block's transactions"
            case .systemUpdate: "the pre-block system update"
            case .simulatingCall: "reading the state for a call"
            case .readingHistoricalState(let n): "reading the state of block \(n)"
            }
        }
    }

    public var description: String {
        switch self {
        case .genesisMismatch(let d, let s):
            "the datadir holds a chain with genesis \(d), but the chain spec gives genesis \(s): use another --datadir or the chain spec it was created with"
        case .rulesMismatch(let d, let s):
            "the datadir's blocks were made under the EVM rules \(d), but the chain spec's `evm` says \(s): re-executing its history "
                + "under other rules would not give its blocks; use the chain spec it was created with, or another --datadir"
        case .storage(let e): "\(e)"
        case .corruptDatabase(let record, let problem): "database is corrupt: \(record) \(problem)"
        case .stagingFailed(let e): "staging the block's other records failed: \(e)"
        case .trie(let operation, let e): "state trie: \(operation): \(e)"
        case .notOnHead(let p, let h): "block does not extend the head: its parent is \(p), the head is \(h)"
        case .rollbackTargetNotCanonical(let n): "cannot roll back: block \(n) is not on the canonical chain"
        case .stateDiffMissing(let n): "cannot roll back: block \(n) has no stored state diff"
        case .stateNotKept(let n, let hash, let root, let head, let kept):
            "missing trie node \(root) (path ): the state of block \(n) (\(hash)) is not kept: this node serves the state of the last \(kept) blocks below its head \(head) (start it with --archive to serve every block)"
        case .callNotExecutable(let message): message
        case .replayDiverged(let n, let i, let reason):
            "re-executing transaction \(i) of block \(n) did not reproduce the block: \(reason)"
        case .missingTrieNode(let node, let root, let n, let hash):
            "missing trie node \(node) (state root \(root) of block \(n), \(hash))"
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
        case let (.rulesMismatch(d1, s1), .rulesMismatch(d2, s2)): d1 == d2 && s1 == s2
        case let (.storage(x), .storage(y)): x.code == y.code && x.description == y.description
        case let (.corruptDatabase(r1, _), .corruptDatabase(r2, _)): r1 == r2 && a.description == b.description
        case (.stagingFailed, .stagingFailed): a.description == b.description
        case let (.trie(o1, _), .trie(o2, _)): o1 == o2 && a.description == b.description
        case let (.notOnHead(p1, h1), .notOnHead(p2, h2)): p1 == p2 && h1 == h2
        case let (.rollbackTargetNotCanonical(x), .rollbackTargetNotCanonical(y)): x == y
        case let (.stateDiffMissing(x), .stateDiffMissing(y)): x == y
        case (.stateNotKept, .stateNotKept), (.missingTrieNode, .missingTrieNode), (.replayDiverged, .replayDiverged),
             (.callNotExecutable, .callNotExecutable):
            a.description == b.description
        default: false
        }
    }
}

/// A record of the chain's database, as `EngineError.corruptDatabase` names it.
public enum ChainRecord: Sendable, Equatable, CustomStringConvertible {
    case headPointer
    case genesisPointer
    case headBlock
    case canonicalHash(block: UInt64)
    case stateRoot(Hash32, block: UInt64)
    case header(Hash32)
    case body(Hash32)
    case receipts(Hash32)
    case transactionIndex(Hash32)
    case account(Address)
    case storageSlot(Address, slot: U256)
    case storageOf(Address)
    case storageDiff(block: UInt64)
    case logIndexStart
    case stateDiff(block: UInt64)
    case l1Cursor(block: UInt64)
    case pendingBlock(UInt64?)
    case stateEdits(Hash32)
    case rollbackNotices

    public var description: String {
        switch self {
        case .headPointer: "head pointer"
        case .genesisPointer: "genesis pointer"
        case .headBlock: "head block"
        case .canonicalHash(let n): "canonical hash of block \(n)"
        case .stateRoot(let root, let n): "state root \(root) of head block \(n)"
        case .header(let h): "header \(h)"
        case .body(let h): "body \(h)"
        case .receipts(let h): "receipts of \(h)"
        case .transactionIndex(let h): "transaction index of \(h)"
        case .account(let a): "account \(a)"
        case .storageSlot(let a, let slot): "storage slot \(slot) of \(a)"
        case .storageOf(let a): "storage of \(a)"
        case .storageDiff(let n): "storage diff of block \(n)"
        case .logIndexStart: "log index start"
        case .stateDiff(let n): "state diff of block \(n)"
        case .l1Cursor(let n): "L1 cursor of block \(n)"
        case .pendingBlock(let n): n.map { "pending block \($0)" } ?? "pending block"
        case .stateEdits(let h): "state edits of \(h)"
        case .rollbackNotices: "rollback notices"
        }
    }
}

/// What is wrong with a `ChainRecord`.
public enum CorruptionProblem: Sendable, CustomStringConvertible {
    /// The record is not there though the chain needs it.
    case missing
    /// The bytes did not decode; the decoder's error.
    case undecodable(any Error)
    /// A fixed-size record with another size.
    case wrongLength(Int)
    /// A body or pending block whose sender list does not match its transactions.
    case sendersDoNotMatchTransactions(transactions: Int, senders: Int)
    /// A pending block with a user transaction in its L1 message list.
    case userTransactionAmongL1Messages
    /// A pending block that rebuilt with another digest than the one saved.
    case rebuiltWithAnotherDigest(rebuilt: Hash32, saved: Hash32)

    public var description: String {
        switch self {
        case .missing: "is missing"
        case .undecodable(let e): "does not decode: \(e)"
        case .wrongLength(let n): "has \(n) bytes"
        case .sendersDoNotMatchTransactions(let t, let s): "has \(t) transactions and \(s) senders"
        case .userTransactionAmongL1Messages: "has a user transaction among its L1 messages"
        case .rebuiltWithAnotherDigest(let rebuilt, let saved): "rebuilt with digest \(rebuilt), not the saved \(saved)"
        }
    }
}
