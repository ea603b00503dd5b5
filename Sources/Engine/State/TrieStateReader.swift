import Primitives

/// The state of any stored block, read through the block's state root.
///
/// The `trie` table keeps every block's nodes (they are content-addressed and never deleted),
/// so the accounts and storage of an older block are reachable from its header's state root:
/// one RocksDB read per trie level, against one read for the head's flat tables
/// (`HeadStateReader`). Code is read from the `code` table, which is never pruned either.
/// A node that is not in the store is reported as `EngineError.missingTrieNode`, naming the
/// block.
public struct TrieStateReader: ContractStateReader {
    let database: ChainDatabase
    /// The state root of the block whose state this reads.
    public let stateRoot: Hash32
    /// That block's number and hash, for error messages.
    public let blockNumber: UInt64
    public let blockHash: Hash32

    init(database: ChainDatabase, header: Header, hash: Hash32) {
        self.database = database
        stateRoot = header.stateRoot
        blockNumber = header.number
        blockHash = hash
    }

    private var store: RocksTrieNodeStore { RocksTrieNodeStore(db: database.db, trie: database.trie) }

    public func account(_ address: Address) throws(EngineError) -> Account? {
        let leaf = try read { () throws in try SecureTrie(root: stateRoot, store: store).get(address) }
        guard let leaf else { return nil }
        do { return try Account(rlp: leaf) } catch { throw .corruptDatabase(.account(address), .undecodable(error)) }
    }

    public func storage(_ address: Address, slot: U256) throws(EngineError) -> U256 {
        guard let account = try account(address), account.storageRoot != .emptyTrieRoot else { return .zero }
        let leaf = try read { () throws in try SecureTrie(root: account.storageRoot, store: store).get(slot.bigEndianBytes) }
        guard let leaf else { return .zero }
        do {
            var reader = RLPReader(leaf)
            let word = try reader.readU256()
            try reader.finish()
            return word
        } catch {
            throw .corruptDatabase(.storageSlot(address, slot: slot), .undecodable(error))
        }
    }

    /// Not kept for older blocks: listing a storage trie is only needed to clear an account's
    /// storage while building a block, which happens on the head's state alone.
    public func storageSlots(_ address: Address) throws(EngineError) -> [(slot: U256, value: U256)] {
        throw .trie(during: .readingHistoricalState(block: blockNumber), underlying: StorageListingUnsupported())
    }

    public func code(hash: Hash32) throws(EngineError) -> [UInt8]? { try database.code(hash: hash) }

    func read<T>(_ body: () throws -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch let TrieError.missingNode(node) {
            throw .missingTrieNode(node, stateRoot: stateRoot, block: blockNumber, hash: blockHash)
        } catch {
            throw .trie(during: .readingHistoricalState(block: blockNumber), underlying: error)
        }
    }
}

/// `TrieStateReader.storageSlots`: the storage of an older block cannot be listed.
struct StorageListingUnsupported: Error, CustomStringConvertible {
    var description: String { "listing an account's storage is only supported on the head state" }
}
