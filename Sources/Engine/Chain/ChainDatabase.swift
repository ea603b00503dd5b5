import Primitives
import Storage

/// The engine's tables in RocksDB, and how their keys and values are encoded.
///
/// | column family | key | value |
/// |---|---|---|
/// | `meta` | a name (`head`, `genesis`, …) | see `MetaKey` |
/// | `meta` | `stateEdits/` ‖ block hash | rlp([state edit…]): a development block's anvil_set* edits, for followers |
/// | `meta` | `rollbackNotice/` ‖ to number (8 bytes) ‖ from hash | `RollbackNotice` RLP: every signed rollback, for followers |
/// | `headers` | block hash | header RLP |
/// | `bodies` | block hash | rlp([[tx envelope…], [sender…]]) |
/// | `receipts` | block hash | rlp([receipt envelope…]) |
/// | `canonical` | number, 8 bytes big-endian | block hash |
/// | `txindex` | transaction hash | rlp([block hash, index]) |
/// | `signatures` | block hash | 65-byte block signature r‖s‖v |
/// | `accounts` | address | account RLP: the head state, flat, for fast reads |
/// | `trie` | node hash | node RLP: the state trie (nodes are never deleted) |
/// | `statediffs` | number, 8 bytes big-endian | rlp([[address, previous account RLP or empty]…]) for rollbacks |
/// | `storage` | address ‖ slot (20 + 32 bytes) | the nonzero word, minimal big-endian: the head's storage, flat |
/// | `code` | code hash | the code (content-addressed, never deleted) |
/// | `storagediffs` | number, 8 bytes big-endian | rlp([[address, slot, previous word]…]) for rollbacks (absent: no slot changed) |
/// | `l1cursor` | number, 8 bytes big-endian | the next L1 queue index after that block, 8 bytes big-endian |
/// | `logindex` | see `ChainDatabase+LogIndex.swift` | empty |
public struct ChainDatabase: Sendable {
    public static let columnFamilies = ["meta", "headers", "bodies", "receipts", "canonical", "txindex",
                                        "signatures", "accounts", "trie", "statediffs", "l1cursor",
                                        "storage", "code", "storagediffs", "logindex"]

    public let db: RocksDatabase
    let meta: ColumnFamily, headers: ColumnFamily, bodies: ColumnFamily, receipts: ColumnFamily
    let canonical: ColumnFamily, txIndex: ColumnFamily, signatures: ColumnFamily
    let accounts: ColumnFamily, trie: ColumnFamily, stateDiffs: ColumnFamily, l1Cursor: ColumnFamily
    let storageSlots: ColumnFamily, code: ColumnFamily, storageDiffs: ColumnFamily
    let logIndex: ColumnFamily

    /// Wraps a database opened with (at least) `ChainDatabase.columnFamilies`.
    public init(_ db: RocksDatabase) throws(StorageError) {
        self.db = db
        meta = try db.columnFamily(named: "meta")
        headers = try db.columnFamily(named: "headers")
        bodies = try db.columnFamily(named: "bodies")
        receipts = try db.columnFamily(named: "receipts")
        canonical = try db.columnFamily(named: "canonical")
        txIndex = try db.columnFamily(named: "txindex")
        signatures = try db.columnFamily(named: "signatures")
        accounts = try db.columnFamily(named: "accounts")
        trie = try db.columnFamily(named: "trie")
        stateDiffs = try db.columnFamily(named: "statediffs")
        l1Cursor = try db.columnFamily(named: "l1cursor")
        storageSlots = try db.columnFamily(named: "storage")
        code = try db.columnFamily(named: "code")
        storageDiffs = try db.columnFamily(named: "storagediffs")
        logIndex = try db.columnFamily(named: "logindex")
    }

    public enum MetaKey: String, Sendable {
        /// Hash of the canonical head block.
        case head
        /// Hash of the genesis block this datadir was created for.
        case genesis
        /// Whether automatic sequencing was explicitly enabled (1) or disabled (0) by an admin call.
        case sequencing
        /// The inputs of a built block that is being signed and committed (see `PendingBlock`).
        case pendingBlock
        /// The first block number the log index covers, 8 bytes big-endian.
        case logIndexStart
        /// The name of the EVM rule set the datadir's blocks were made under (`EVMRules.name`).
        case rules
    }

    static func numberKey(_ n: UInt64) -> [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }

    static let stateEditsPrefix = Array("stateEdits/".utf8)
    static let rollbackNoticePrefix = Array("rollbackNotice/".utf8)

    func putStateEdits(_ edits: [StateEdit], block hash: Hash32, into batch: inout WriteBatch) {
        guard !edits.isEmpty else { return }
        batch.put(Self.stateEditsPrefix + hash.bytes, StateEdit.encodeList(edits), in: meta)
    }

    /// The development state edits block `hash` applied before its transactions (empty: none).
    func stateEdits(_ hash: Hash32) throws(EngineError) -> [StateEdit] {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(Self.stateEditsPrefix + hash.bytes, in: meta) }) else {
            return []
        }
        do { return try StateEdit.decodeList(bytes) } catch {
            throw .corruptDatabase(.stateEdits(hash), .undecodable(error))
        }
    }

    func putRollbackNotice(_ notice: RollbackNotice, into batch: inout WriteBatch) {
        batch.put(Self.rollbackNoticePrefix + Self.numberKey(notice.toNumber) + notice.fromHash.bytes, notice.encoded, in: meta)
    }

    /// Every rollback notice stored, by target height.
    func rollbackNotices() throws(EngineError) -> [RollbackNotice] {
        var raw: [[UInt8]] = []
        try storage { () throws(StorageError) in
            try db.scan(in: meta, from: Self.rollbackNoticePrefix, to: Self.rollbackNoticePrefix + [0xff], reverse: false) { _, value in
                raw.append(value)
                return true
            }
        }
        var notices: [RollbackNotice] = []
        for bytes in raw {
            do { notices.append(try RollbackNotice(encoded: bytes)) } catch {
                throw .corruptDatabase(.rollbackNotices, .undecodable(error))
            }
        }
        return notices
    }

    // MARK: - Reads

    public func metaValue(_ key: MetaKey) throws(StorageError) -> [UInt8]? {
        try db.get(Array(key.rawValue.utf8), in: meta)
    }

    public func setMetaValue(_ key: MetaKey, _ value: [UInt8]) throws(StorageError) {
        try db.put(Array(key.rawValue.utf8), value, in: meta, sync: true)
    }

    func headHash() throws(EngineError) -> Hash32? {
        guard let bytes = try storage({ () throws(StorageError) in try metaValue(.head) }) else { return nil }
        return try decodeHash(bytes, what: .headPointer)
    }

    func genesisHash() throws(EngineError) -> Hash32? {
        guard let bytes = try storage({ () throws(StorageError) in try metaValue(.genesis) }) else { return nil }
        return try decodeHash(bytes, what: .genesisPointer)
    }

    func header(_ hash: Hash32) throws(EngineError) -> Header? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(hash.bytes, in: headers) }) else { return nil }
        do { return try Header(encoded: bytes) } catch { throw .corruptDatabase(.header(hash), .undecodable(error)) }
    }

    func canonicalHash(_ number: UInt64) throws(EngineError) -> Hash32? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(Self.numberKey(number), in: canonical) }) else { return nil }
        return try decodeHash(bytes, what: .canonicalHash(block: number))
    }

    func body(_ hash: Hash32) throws(EngineError) -> (transactions: [SignedTransaction], senders: [Address])? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(hash.bytes, in: bodies) }) else { return nil }
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            try outer.finish()
            var txList = try list.readList()
            var senderList = try list.readList()
            try list.finish()
            var txs: [SignedTransaction] = []
            while !txList.isAtEnd { txs.append(try SignedTransaction(encoded: Array(try txList.readBytes()))) }
            var senders: [Address] = []
            while !senderList.isAtEnd { senders.append(try senderList.readAddress()) }
            guard senders.count == txs.count else { throw EngineError.corruptDatabase(.body(hash), .sendersDoNotMatchTransactions(transactions: txs.count, senders: senders.count)) }
            return (txs, senders)
        } catch let e as EngineError {
            throw e
        } catch {
            throw .corruptDatabase(.body(hash), .undecodable(error))
        }
    }

    /// The stored block with this header: its body, receipts and L1 fees.
    func sealedBlock(_ header: Header, hash: Hash32) throws(EngineError) -> SealedBlock {
        let body = try body(hash) ?? ([], [])
        let stored = try receiptsAndL1Fees(hash)
        return SealedBlock(header: header, transactions: body.transactions, senders: body.senders,
                           receipts: stored?.receipts ?? [], l1Fees: stored?.l1Fees ?? [])
    }

    func receipts(_ hash: Hash32) throws(EngineError) -> [Receipt]? {
        try receiptsAndL1Fees(hash)?.receipts
    }

    /// A block's receipts and, on a chain that charges Scroll's L1 fee, each transaction's fee
    /// (stored as a second list after the receipts; absent: none charged).
    func receiptsAndL1Fees(_ hash: Hash32) throws(EngineError) -> (receipts: [Receipt], l1Fees: [U256])? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(hash.bytes, in: receipts) }) else { return nil }
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            var out: [Receipt] = []
            while !list.isAtEnd { out.append(try Receipt(encoded: Array(try list.readBytes()))) }
            var fees: [U256] = []
            if !outer.isAtEnd {
                var feeList = try outer.readList()
                while !feeList.isAtEnd { fees.append(try feeList.readU256()) }
                guard fees.count == out.count else { throw RLPError.wrongFieldCount(expected: out.count, actual: fees.count) }
            }
            try outer.finish()
            return (out, fees)
        } catch {
            throw .corruptDatabase(.receipts(hash), .undecodable(error))
        }
    }

    func transactionLocation(_ txHash: Hash32) throws(EngineError) -> (block: Hash32, index: Int)? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(txHash.bytes, in: txIndex) }) else { return nil }
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            try outer.finish()
            let block = try list.readHash()
            let index = try list.readUInt64()
            try list.finish()
            return (block, Int(index))
        } catch {
            throw .corruptDatabase(.transactionIndex(txHash), .undecodable(error))
        }
    }

    func signature(_ hash: Hash32) throws(EngineError) -> [UInt8]? {
        try storage({ () throws(StorageError) in try db.get(hash.bytes, in: signatures) })
    }

    func account(_ address: Address) throws(EngineError) -> Account? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(address.bytes, in: accounts) }) else { return nil }
        do { return try Account(rlp: bytes) } catch { throw .corruptDatabase(.account(address), .undecodable(error)) }
    }

    static func storageKey(_ address: Address, _ slot: U256) -> [UInt8] { address.bytes + slot.bigEndianBytes }

    func storageValue(_ address: Address, slot: U256) throws(EngineError) -> U256 {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(Self.storageKey(address, slot), in: storageSlots) })
        else { return .zero }
        guard bytes.count <= 32, let value = U256(bigEndian: bytes) else {
            throw .corruptDatabase(.storageSlot(address, slot: slot), .wrongLength(bytes.count))
        }
        return value
    }

    func storageSlots(of address: Address) throws(EngineError) -> [(slot: U256, value: U256)] {
        var out: [(slot: U256, value: U256)] = []
        var bad = false
        var end = address.bytes
        var i = end.count - 1
        while i >= 0 && end[i] == 0xFF { end[i] = 0; i -= 1 }
        let upper: [UInt8]? = i < 0 ? nil : { end[i] += 1; return end }()
        try storage({ () throws(StorageError) in
            try db.scan(in: storageSlots, from: address.bytes, to: upper, reverse: false) { key, value in
                guard key.count == 52, let slot = U256(bigEndian: key[20...]), let word = U256(bigEndian: value) else {
                    bad = true; return false
                }
                out.append((slot, word))
                return true
            }
        })
        if bad { throw .corruptDatabase(.storageOf(address), .undecodable(MalformedStorageEntry())) }
        return out
    }

    func code(hash: Hash32) throws(EngineError) -> [UInt8]? {
        if hash == .emptyKeccak { return [] }
        return try storage({ () throws(StorageError) in try db.get(hash.bytes, in: code) })
    }

    func storageDiff(_ number: UInt64) throws(EngineError) -> [(Address, U256, U256)] {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(Self.numberKey(number), in: storageDiffs) }) else { return [] }
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            try outer.finish()
            var out: [(Address, U256, U256)] = []
            while !list.isAtEnd {
                var entry = try list.readList()
                let address = try entry.readAddress()
                let slot = try entry.readU256()
                let previous = try entry.readU256()
                try entry.finish()
                out.append((address, slot, previous))
            }
            return out
        } catch {
            throw .corruptDatabase(.storageDiff(block: number), .undecodable(error))
        }
    }

    func stateDiff(_ number: UInt64) throws(EngineError) -> [(Address, Account?)]? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(Self.numberKey(number), in: stateDiffs) }) else { return nil }
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            try outer.finish()
            var out: [(Address, Account?)] = []
            while !list.isAtEnd {
                var entry = try list.readList()
                let address = try entry.readAddress()
                let previous = try entry.readBytes()
                try entry.finish()
                out.append((address, previous.isEmpty ? nil : try Account(rlp: Array(previous))))
            }
            return out
        } catch {
            throw .corruptDatabase(.stateDiff(block: number), .undecodable(error))
        }
    }

    /// The next L1 queue index expected after block `number` (0 before any message).
    func nextL1QueueIndex(after number: UInt64) throws(EngineError) -> UInt64? {
        guard let bytes = try storage({ () throws(StorageError) in try db.get(Self.numberKey(number), in: l1Cursor) }) else { return nil }
        guard bytes.count == 8 else { throw .corruptDatabase(.l1Cursor(block: number), .wrongLength(bytes.count)) }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private func decodeHash(_ bytes: [UInt8], what: ChainRecord) throws(EngineError) -> Hash32 {
        guard bytes.count == 32 else { throw .corruptDatabase(what, .wrongLength(bytes.count)) }
        return Hash32(bytes)
    }

    // MARK: - Writes (into a batch)

    func putBlock(_ block: SealedBlock, signature: [UInt8], into batch: inout WriteBatch) {
        let hash = block.hash
        batch.put(hash.bytes, block.header.encoded, in: headers)
        var body = RLPWriter(capacity: block.transactions.count * 140 + 64)
        body.writeList { w in
            w.writeList { w in for tx in block.transactions { w.write(bytes: tx.encoded) } }
            w.writeList { w in for s in block.senders { w.write(s) } }
        }
        batch.put(hash.bytes, body.bytes, in: bodies)
        var receiptList = RLPWriter(capacity: block.receipts.count * 300 + 16)
        receiptList.writeList { w in for r in block.receipts { w.write(bytes: r.encoded) } }
        if !block.l1Fees.isEmpty { receiptList.writeList { w in for fee in block.l1Fees { w.write(fee) } } }
        batch.put(hash.bytes, receiptList.bytes, in: receipts)
        for (i, tx) in block.transactions.enumerated() {
            var loc = RLPWriter(capacity: 48)
            loc.writeList { w in w.write(hash); w.write(UInt64(i)) }
            batch.put(tx.hash.bytes, loc.bytes, in: txIndex)
        }
        batch.put(hash.bytes, signature, in: signatures)
        batch.put(Self.numberKey(block.header.number), hash.bytes, in: canonical)
        batch.put(Array(MetaKey.head.rawValue.utf8), hash.bytes, in: meta)
        putLogIndex(receipts: block.receipts, number: block.header.number, into: &batch)
    }

    func putL1Cursor(_ next: UInt64, number: UInt64, into batch: inout WriteBatch) {
        batch.put(Self.numberKey(number), Self.numberKey(next), in: l1Cursor)
    }

    func putState(changes: [Address: Account], originals: [Address: Account?], trieNodes: [Hash32: [UInt8]],
                  number: UInt64, into batch: inout WriteBatch) {
        for (address, account) in changes {
            if account.isEmpty { batch.delete(address.bytes, in: accounts) } else { batch.put(address.bytes, account.rlp, in: accounts) }
        }
        for (hash, node) in trieNodes { batch.put(hash.bytes, node, in: trie) }
        var diff = RLPWriter(capacity: originals.count * 100 + 8)
        diff.writeList { w in
            for (address, previous) in originals.sorted(by: { $0.key < $1.key }) {
                w.writeList { w in
                    w.write(address)
                    w.write(bytes: previous.map { $0.rlp } ?? [])
                }
            }
        }
        batch.put(Self.numberKey(number), diff.bytes, in: stateDiffs)
    }

    /// Writes a block's storage words and deployed code, and the words' previous values for
    /// rollbacks. Nothing is written for a block that changed no slot and deployed nothing.
    func putContractState(storage: [Address: [U256: U256]], originals: [Address: [U256: U256]], code newCode: [Hash32: [UInt8]],
                          number: UInt64, into batch: inout WriteBatch) {
        for (hash, bytes) in newCode { batch.put(hash.bytes, bytes, in: code) }
        guard !storage.isEmpty else { return }
        var diff = RLPWriter(capacity: 128)
        diff.writeList { w in
            for (address, slots) in storage.sorted(by: { $0.key < $1.key }) {
                for (slot, value) in slots.sorted(by: { $0.key < $1.key }) {
                    let key = Self.storageKey(address, slot)
                    if value.isZero { batch.delete(key, in: storageSlots) } else { batch.put(key, value.minimalBytes, in: storageSlots) }
                    w.writeList { w in
                        w.write(address); w.write(slot); w.write(originals[address]?[slot] ?? .zero)
                    }
                }
            }
        }
        batch.put(Self.numberKey(number), diff.bytes, in: storageDiffs)
    }

    func write(_ batch: WriteBatch) throws(EngineError) {
        try storage({ () throws(StorageError) in try db.write(batch, sync: true) })
    }
}

/// Runs a storage call, wrapping its error as an engine error.
@inline(__always)
func storage<T>(_ body: () throws(StorageError) -> T) throws(EngineError) -> T {
    do { return try body() } catch { throw .storage(error) }
}

/// The state trie's nodes in RocksDB.
struct RocksTrieNodeStore: TrieNodeStore, Sendable {
    let db: RocksDatabase
    let trie: ColumnFamily
    func node(_ hash: Hash32) throws -> [UInt8]? { try db.get(hash.bytes, in: trie) }
}

/// The head state, read from the flat `accounts`, `storage` and `code` tables.
struct HeadStateReader: ContractStateReader {
    let database: ChainDatabase
    func account(_ address: Address) throws(EngineError) -> Account? { try database.account(address) }
    func storage(_ address: Address, slot: U256) throws(EngineError) -> U256 { try database.storageValue(address, slot: slot) }
    func storageSlots(_ address: Address) throws(EngineError) -> [(slot: U256, value: U256)] { try database.storageSlots(of: address) }
    func code(hash: Hash32) throws(EngineError) -> [UInt8]? { try database.code(hash: hash) }
}

/// A `storage` table entry whose key is not address ‖ slot or whose value is longer than a word.
struct MalformedStorageEntry: Error, CustomStringConvertible {
    var description: String { "a key that is not 52 bytes or a value longer than 32 bytes" }
}
