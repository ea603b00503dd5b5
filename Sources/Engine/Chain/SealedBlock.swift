import Primitives

/// A block with its hash, transactions (with recovered senders) and receipts: what is stored and
/// served once committed.
public struct SealedBlock: Sendable, Equatable {
    public var header: Header
    public var hash: Hash32
    public var transactions: [SignedTransaction]
    /// The sender of each transaction (for an L1 message, its L1 sender).
    public var senders: [Address]
    public var receipts: [Receipt]
    /// Scroll's L1 data fee each transaction paid (zero for L1 messages), on a chain whose rules
    /// charge one; empty otherwise. Not part of the consensus receipt (Scroll's receipts root
    /// does not cover it): stored beside the receipts and served as receipts' `l1Fee`.
    public var l1Fees: [U256]

    public init(header: Header, transactions: [SignedTransaction], senders: [Address], receipts: [Receipt],
                l1Fees: [U256] = []) {
        self.header = header
        self.hash = header.hash
        self.transactions = transactions
        self.senders = senders
        self.receipts = receipts
        self.l1Fees = l1Fees
    }

    public var number: UInt64 { header.number }

    /// How many of the transactions are L1 messages (they come first).
    public var l1MessageCount: Int { transactions.prefix { $0.type == .l1Message }.count }

    /// Gas used by transaction `index` alone.
    public func gasUsed(at index: Int) -> UInt64 {
        receipts[index].cumulativeGasUsed - (index == 0 ? 0 : receipts[index - 1].cumulativeGasUsed)
    }
}

/// A block built on the head and sealed, with the state changes that committing it writes.
public struct BuiltBlock: Sendable {
    public var block: SealedBlock
    /// The digest the block signer signs: keccak256(rlp(header without extraData)).
    public var signatureDigest: Hash32 { block.header.signatureDigest }
    /// Final values of the accounts this block changed.
    var stateChanges: [Address: Account]
    /// The parent's values of the same accounts (nil: absent), kept for rollbacks.
    var originals: [Address: Account?]
    /// Storage words this block changed (zero: deleted), their parent values, and code it
    /// deployed.
    var storageChanges: [Address: [U256: U256]] = [:]
    var storageOriginals: [Address: [U256: U256]] = [:]
    var newCode: [Hash32: [UInt8]] = [:]
    /// State and storage trie nodes created by this block.
    var trieNodes: [Hash32: [UInt8]]
    /// The state trie after this block, in memory.
    var trie: SecureTrie<RocksTrieNodeStore>
    /// The queue index of the first L1 message after this block.
    var nextL1QueueIndex: UInt64
    /// Indexes of mempool transactions that turned out invalid while building (to drop).
    public var invalidTransactions: [Hash32]
    /// How long building and sealing took.
    public var buildDuration: Duration
    /// The development state edits the block applied (recorded with its inputs).
    public var stateEdits: [StateEdit] = []
    /// How long sealing (storage and state roots, transaction and receipt roots) took, after
    /// the last transaction: part of the slot's work that comes after the building deadline.
    public var sealDuration: Duration = .zero
}
