internal import CRocksDB

/// A consistent, read-only view of a `RocksDatabase` at the moment it was taken: later
/// writes are invisible to it. Released when the last reference goes away (or when the
/// database closes, after which its reads throw `.closed`).
///
/// Holding a snapshot keeps RocksDB from discarding the old versions it can see, so keep
/// it short-lived.
public final class StorageSnapshot: KeyValueReader, @unchecked Sendable {
    // Safety: `snapshot` and `readOptions` are immutable after init. The snapshot is only
    // released in `deinit` or by the database's `close()` under its exclusive lock, and
    // every read runs under the database's shared lock after checking it is still open.

    /// The database this snapshot reads.
    public let database: RocksDatabase
    private let snapshot: OpaquePointer
    private let readOptions: OpaquePointer

    init(database: RocksDatabase, snapshot: OpaquePointer) {
        self.database = database
        self.snapshot = snapshot
        readOptions = rocksdb_readoptions_create()
        rocksdb_readoptions_set_snapshot(readOptions, snapshot)
    }

    deinit {
        database.releaseSnapshot(snapshot)
        rocksdb_readoptions_destroy(readOptions)
    }

    /// The value stored under `key` when the snapshot was taken.
    public func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StorageError) -> [UInt8]? {
        try database.get(key, in: columnFamily, readOptions: readOptions)
    }

    /// The values for `keys` when the snapshot was taken, in order; nil where missing.
    public func multiGet(_ keys: [[UInt8]], in columnFamily: ColumnFamily) throws(StorageError) -> [[UInt8]?] {
        try database.multiGet(keys, in: columnFamily, readOptions: readOptions)
    }

    /// Visits the entries as of the snapshot; see `KeyValueReader.scan`.
    public func scan(
        in columnFamily: ColumnFamily,
        from start: [UInt8]?,
        to end: [UInt8]?,
        reverse: Bool,
        _ body: (_ key: [UInt8], _ value: [UInt8]) -> Bool
    ) throws(StorageError) {
        try database.scan(in: columnFamily, from: start, to: end, reverse: reverse, snapshot: snapshot, body)
    }
}

extension RocksDatabase {
    /// Takes a consistent read-only view of the current data.
    public func snapshot() throws(StorageError) -> StorageSnapshot {
        let pointer = try withOpenState { (state) throws(StorageError) -> OpaquePointer in
            guard let pointer = rocksdb_create_snapshot(state.db) else {
                throw StorageError(code: .unknown, message: "rocksdb_create_snapshot returned nothing", path: path)
            }
            liveSnapshots.withLock { _ = $0.insert(UInt(bitPattern: pointer)) }
            return pointer
        }
        return StorageSnapshot(database: self, snapshot: pointer)
    }

    /// Releases `snapshot` unless `close()` already did.
    func releaseSnapshot(_ snapshot: OpaquePointer) {
        lock.withReadLock {
            guard let db = openHandle else { return }
            let wasLive = liveSnapshots.withLock { $0.remove(UInt(bitPattern: snapshot)) != nil }
            if wasLive { rocksdb_release_snapshot(db, snapshot) }
        }
    }
}
