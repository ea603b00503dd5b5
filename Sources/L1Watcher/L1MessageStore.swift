import Primitives
import Storage

/// The watcher's tables in RocksDB.
///
/// | column family | key | value |
/// |---|---|---|
/// | `l1messages` | queue index, 8 bytes big-endian | `L1Message` storage RLP |
/// | `l1inclusions` | queue index, 8 bytes big-endian | L2 block number (8 bytes BE) ‖ L2 transaction hash (32) |
/// | `l1headers` | L1 block number, 8 bytes BE | hash (32) ‖ parent hash (32): unfinalized headers seen, plus one finalized anchor |
/// | `l1meta` | a name | `cursor`: last processed L1 block (8 BE) ‖ its hash (32, absent when unknown); `identity`: chain id ‖ queue ‖ start block ‖ first queue index; `reorgCheckFrom`: 8 BE |
///
/// Messages and the cursor are always written in one batch, so after a crash the cursor never
/// points past a message that is not stored, nor before one that is.
struct L1MessageStore: Sendable {
    static let columnFamilies = ["l1messages", "l1inclusions", "l1headers", "l1meta"]

    let db: RocksDatabase
    let messages: ColumnFamily, inclusions: ColumnFamily, headers: ColumnFamily, meta: ColumnFamily

    init(_ db: RocksDatabase) throws(L1WatcherError) {
        self.db = db
        do {
            messages = try db.columnFamily(named: "l1messages")
            inclusions = try db.columnFamily(named: "l1inclusions")
            headers = try db.columnFamily(named: "l1headers")
            meta = try db.columnFamily(named: "l1meta")
        } catch {
            throw L1WatcherError(code: .invalidConfiguration,
                                 message: "the database was not opened with L1Watcher.columnFamilies (\(error.message))",
                                 underlying: error, isTransient: false)
        }
    }

    static func key(_ n: UInt64) -> [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }

    static func number(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    enum MetaKey: String { case cursor, identity, reorgCheckFrom }

    static func metaKey(_ k: MetaKey) -> [UInt8] { Array(k.rawValue.utf8) }

    // MARK: Reads

    func message(_ queueIndex: UInt64) throws(L1WatcherError) -> L1Message? {
        let bytes: [UInt8]?
        do { bytes = try db.get(Self.key(queueIndex), in: messages) } catch { throw .storage(error, "reading message \(queueIndex)") }
        guard let bytes else { return nil }
        return try decodeMessage(bytes, queueIndex)
    }

    func decodeMessage(_ bytes: [UInt8], _ queueIndex: UInt64) throws(L1WatcherError) -> L1Message {
        do { return try L1Message(storage: bytes) } catch {
            throw L1WatcherError(code: .storage, message: "L1 watcher storage: message \(queueIndex) is corrupt", underlying: error, isTransient: false)
        }
    }

    func lastMessage() throws(L1WatcherError) -> L1Message? {
        let entry: KeyValue?
        do { entry = try db.lastEntry(in: messages) } catch { throw .storage(error, "reading the last message") }
        guard let entry, let index = Self.number(entry.key) else { return nil }
        return try decodeMessage(entry.value, index)
    }

    /// Stored messages from `queueIndex` on, ascending, until `body` returns false.
    func forEachMessage(from queueIndex: UInt64, _ body: (UInt64, [UInt8]) -> Bool) throws(L1WatcherError) {
        do {
            try db.scan(in: messages, from: Self.key(queueIndex), to: nil, reverse: false) { key, value in
                guard let index = Self.number(key) else { return false }
                return body(index, value)
            }
        } catch { throw .storage(error, "reading messages from \(queueIndex)") }
    }

    /// The lowest queue index stored in an L1 block above `block`, scanning backwards from the end.
    func lowestMessage(aboveBlock block: UInt64) throws(L1WatcherError) -> UInt64? {
        var lowest: UInt64?
        var failure: L1WatcherError?
        do {
            try db.scan(in: messages, from: nil, to: nil, reverse: true) { key, value in
                guard let index = Self.number(key) else { return false }
                do {
                    let m = try L1Message(storage: value)
                    if m.l1BlockNumber > block { lowest = index; return true }
                    return false
                } catch {
                    failure = L1WatcherError(code: .storage, message: "L1 watcher storage: message \(index) is corrupt",
                                             underlying: error, isTransient: false)
                    return false
                }
            }
        } catch { throw .storage(error, "scanning messages") }
        if let failure { throw failure }
        return lowest
    }

    func cursor() throws(L1WatcherError) -> L1Cursor? {
        let bytes: [UInt8]?
        do { bytes = try db.get(Self.metaKey(.cursor), in: meta) } catch { throw .storage(error, "reading the cursor") }
        guard let bytes else { return nil }
        guard bytes.count == 8 || bytes.count == 40, let n = Self.number(bytes.prefix(8)) else {
            throw L1WatcherError(code: .storage, message: "L1 watcher storage: the cursor is corrupt", isTransient: false)
        }
        return L1Cursor(number: n, hash: bytes.count == 40 ? Hash32(bytes[8...]) : nil)
    }

    static func encode(_ cursor: L1Cursor) -> [UInt8] {
        key(cursor.number) + (cursor.hash?.bytes ?? [])
    }

    struct StoredHeader: Equatable { var hash: Hash32; var parentHash: Hash32 }

    func header(_ number: UInt64) throws(L1WatcherError) -> StoredHeader? {
        let bytes: [UInt8]?
        do { bytes = try db.get(Self.key(number), in: headers) } catch { throw .storage(error, "reading L1 header \(number)") }
        guard let bytes, bytes.count == 64 else { return nil }
        return StoredHeader(hash: Hash32(bytes[0..<32]), parentHash: Hash32(bytes[32...]))
    }

    func lowestHeaderNumber() throws(L1WatcherError) -> UInt64? {
        do { return try db.firstEntry(in: headers).flatMap { Self.number($0.key) } } catch { throw .storage(error, "reading L1 headers") }
    }

    static func encode(_ header: L1BlockHeader) -> [UInt8] { header.hash.bytes + header.parentHash.bytes }

    struct Inclusion: Equatable { var l2Block: UInt64; var transactionHash: Hash32 }

    static func encode(_ inclusion: Inclusion) -> [UInt8] { key(inclusion.l2Block) + inclusion.transactionHash.bytes }

    static func decodeInclusion(_ bytes: [UInt8]) -> Inclusion? {
        guard bytes.count == 40, let block = number(bytes.prefix(8)) else { return nil }
        return Inclusion(l2Block: block, transactionHash: Hash32(bytes[8...]))
    }

    func inclusion(_ queueIndex: UInt64) throws(L1WatcherError) -> Inclusion? {
        do { return try db.get(Self.key(queueIndex), in: inclusions).flatMap(Self.decodeInclusion) } catch {
            throw .storage(error, "reading the inclusion of message \(queueIndex)")
        }
    }

    func inclusions(from queueIndex: UInt64, limit: Int = .max) throws(L1WatcherError) -> [(UInt64, Inclusion)] {
        do {
            return try db.entries(in: inclusions, from: Self.key(queueIndex), limit: limit).compactMap { kv in
                guard let i = Self.number(kv.key), let inc = Self.decodeInclusion(kv.value) else { return nil }
                return (i, inc)
            }
        } catch { throw .storage(error, "reading inclusions") }
    }

    func lastInclusion() throws(L1WatcherError) -> (UInt64, Inclusion)? {
        do {
            guard let kv = try db.lastEntry(in: inclusions), let i = Self.number(kv.key), let inc = Self.decodeInclusion(kv.value) else { return nil }
            return (i, inc)
        } catch { throw .storage(error, "reading inclusions") }
    }

    func metaNumber(_ key: MetaKey) throws(L1WatcherError) -> UInt64? {
        do { return try db.get(Self.metaKey(key), in: meta).flatMap { Self.number($0) } } catch { throw .storage(error, "reading \(key.rawValue)") }
    }

    func metaBytes(_ key: MetaKey) throws(L1WatcherError) -> [UInt8]? {
        do { return try db.get(Self.metaKey(key), in: meta) } catch { throw .storage(error, "reading \(key.rawValue)") }
    }

    func write(_ batch: WriteBatch, _ what: String) throws(L1WatcherError) {
        do { try db.write(batch, sync: true) } catch { throw .storage(error, "writing \(what)") }
    }
}

/// The last L1 block whose logs are processed, and its hash when known (unknown only after
/// `revertToL1Block` or a gap rewind to a block whose header was never stored).
public struct L1Cursor: Sendable, Hashable {
    public var number: UInt64
    public var hash: Hash32?
    public init(number: UInt64, hash: Hash32?) { self.number = number; self.hash = hash }
}
