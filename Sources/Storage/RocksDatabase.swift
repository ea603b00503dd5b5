internal import CRocksDB
import Synchronization

/// Source of `RocksDatabase.id`, so a `ColumnFamily` can be checked against its owner.
private let nextDatabaseID = Atomic<UInt64>(1)

/// An open RocksDB database with its column families: the store the execution engine and
/// the L1 watcher keep their tables in.
///
/// Open it with `RocksDatabase.open(path:columnFamilies:options:)`. Every call is
/// synchronous and may block on disk I/O (a `sync: true` write waits for an fsync), so
/// callers on the cooperative thread pool should keep batches small or hop to a dedicated
/// thread. All methods throw `StorageError`; after `close()` they throw `.closed`.
public final class RocksDatabase: KeyValueReader, @unchecked Sendable {
    // Safety: RocksDB's DB, column-family handles, option objects and snapshots are
    // thread-safe for concurrent use. The only mutable Swift state, `state`, is read under
    // `lock`'s shared side and replaced only by `close()` under its exclusive side, so no
    // operation can use a handle while it is freed. The snapshot registry has its own Mutex.

    /// The datadir this database lives in.
    public let path: String
    /// The configuration it was opened with.
    public let configuration: StorageConfiguration
    /// Names of all open column families, "default" first.
    public let columnFamilyNames: [String]

    let id: UInt64
    let lock = ReadWriteLock()
    /// The C handles; nil once closed. Guarded by `lock`.
    private var state: OpenState?
    /// Live snapshots (bit patterns of `rocksdb_snapshot_t*`), released by `close()` if
    /// their owners have not released them yet.
    let liveSnapshots = Mutex<Set<UInt>>([])
    private let indexByName: [String: Int]
    let freeSpace: FreeSpaceGuard

    /// Everything that must be freed, in order, when the database closes.
    struct OpenState {
        let db: OpaquePointer
        let columnFamilies: [OpaquePointer]
        let options: NativeOptions
    }

    private init(path: String, configuration: StorageConfiguration, names: [String], state: OpenState) {
        self.path = path
        self.configuration = configuration
        self.columnFamilyNames = names
        self.state = state
        self.id = nextDatabaseID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.indexByName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        self.freeSpace = FreeSpaceGuard(path: path, minimum: configuration.minimumFreeSpace)
    }

    deinit {
        close()
    }

    /// Opens (creating if needed) the database in `path`.
    ///
    /// Creates the directory and its parents if missing, creates any column family in
    /// `columnFamilies` that does not exist yet, and also opens column families that exist
    /// on disk but were not asked for (RocksDB requires all of them). Paranoid checks are on
    /// and the WAL is replayed in point-in-time mode, so a crash loses at most unsynced
    /// writes.
    ///
    /// - Throws: `StorageError` with `.lockHeld` if another process or handle has the
    ///   datadir open, `.corruption` for a damaged database, `.noSpace` for a full disk
    ///   (or less free space than `minimumFreeSpace`),
    ///   `.invalidArgument` for a bad configuration or column-family name.
    public static func open(
        path: String,
        columnFamilies: [String] = [],
        options configuration: StorageConfiguration = StorageConfiguration()
    ) throws(StorageError) -> RocksDatabase {
        try configuration.validate(path: path)
        if let bad = columnFamilies.first(where: { $0.isEmpty || $0.contains("\0") }) {
            throw .invalidArgument("invalid column family name \(String(reflecting: bad))", path: path)
        }
        try Datadir.create(path)
        try FreeSpaceGuard(path: path, minimum: configuration.minimumFreeSpace).checkNow()

        let native = NativeOptions(configuration)
        var names = [ColumnFamily.defaultName]
        for name in columnFamilies + existingColumnFamilies(path: path, options: native.options)
            where !names.contains(name) {
            names.append(name)
        }

        var handles = [OpaquePointer?](repeating: nil, count: names.count)
        let cfOptions = [OpaquePointer?](repeating: native.options, count: names.count)
        let db = try withCStrings(names) { (cNames) throws(StorageError) in
            try rocksCall(path: path) { error in
                rocksdb_open_column_families(
                    native.options, path, Int32(names.count), cNames, cfOptions, &handles, error)
            }
        }
        guard let db else {
            throw StorageError(code: .unknown, message: "rocksdb_open returned no handle", path: path)
        }
        let state = OpenState(db: db, columnFamilies: handles.map { $0! }, options: native)
        return RocksDatabase(path: path, configuration: configuration, names: names, state: state)
    }

    /// Column families already in the datadir; none if it holds no database yet (any real
    /// problem with the database is reported by the open that follows).
    private static func existingColumnFamilies(path: String, options: OpaquePointer) -> [String] {
        var count = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        let list = rocksdb_list_column_families(options, path, &count, &error)
        if let error { rocksdb_free(error) }
        guard let list else { return [] }
        defer { rocksdb_list_column_families_destroy(list, count) }
        return (0..<count).compactMap { list[$0].map { String(cString: $0) } }
    }

    // MARK: Column families

    /// The always-present "default" column family.
    public var defaultColumnFamily: ColumnFamily {
        ColumnFamily(name: ColumnFamily.defaultName, index: 0, databaseID: id)
    }

    /// The open column family called `name`.
    /// - Throws: `.invalidArgument` if it was not opened (pass it to `open`).
    public func columnFamily(named name: String) throws(StorageError) -> ColumnFamily {
        guard let index = indexByName[name] else {
            throw .invalidArgument(
                "column family \"\(name)\" is not open (open: \(columnFamilyNames.joined(separator: ", ")))",
                path: path)
        }
        return ColumnFamily(name: name, index: index, databaseID: id)
    }

    // MARK: Lifecycle

    /// Whether `close()` has been called.
    public var isClosed: Bool {
        lock.withReadLock { state == nil }
    }

    /// Flushes every column family's memtable to SST files and waits for it.
    /// Not needed for durability (the WAL provides that); useful before backups.
    public func flush() throws(StorageError) {
        try withOpenState { (state) throws(StorageError) in
            for handle in state.columnFamilies {
                try rocksCall(path: path) { error in
                    rocksdb_flush_cf(state.db, state.options.flushOptions, handle, error)
                }
            }
        }
    }

    /// The sum over all column families of a RocksDB integer property such as
    /// `rocksdb.estimate-live-data-size` or `rocksdb.estimate-pending-compaction-bytes`
    /// (nil when closed or when RocksDB does not know the property).
    public func integerProperty(_ name: String) -> UInt64? {
        try? withOpenState { (state) throws(StorageError) -> UInt64? in
            var total: UInt64 = 0
            for handle in state.columnFamilies {
                var value: UInt64 = 0
                guard rocksdb_property_int_cf(state.db, handle, name, &value) == 0 else { return nil }
                total &+= value
            }
            return total
        } ?? nil
    }

    /// Closes the database and frees its handles. Idempotent; later operations throw
    /// `.closed`. Waits for operations in progress. Must not be called from inside an
    /// iteration body of this database (it would wait for itself).
    public func close() {
        lock.withWriteLock {
            guard let open = state else { return }
            state = nil
            liveSnapshots.withLock { snapshots in
                for bits in snapshots {
                    rocksdb_release_snapshot(open.db, OpaquePointer(bitPattern: bits))
                }
                snapshots.removeAll()
            }
            for handle in open.columnFamilies { rocksdb_column_family_handle_destroy(handle) }
            rocksdb_close(open.db)
            // `open.options` (the last reference to the option objects and block cache)
            // is released here, after the DB that used them.
        }
    }

    // MARK: Internal access

    /// Runs `body` with the open handles under the shared lock; throws `.closed` after close.
    func withOpenState<R>(_ body: (OpenState) throws(StorageError) -> R) throws(StorageError) -> R {
        try lock.withReadLock { () throws(StorageError) -> R in
            guard let state else { throw .closed(path: path) }
            return try body(state)
        }
    }

    /// The DB handle, or nil once closed; call only under `lock`.
    var openHandle: OpaquePointer? { state?.db }

    /// The C handle for `columnFamily`, checking that it belongs to this database.
    func handle(for columnFamily: ColumnFamily, in state: OpenState) throws(StorageError) -> OpaquePointer {
        guard columnFamily.databaseID == id, state.columnFamilies.indices.contains(columnFamily.index) else {
            throw .invalidArgument(
                "column family \"\(columnFamily.name)\" belongs to another database", path: path)
        }
        return state.columnFamilies[columnFamily.index]
    }
}
