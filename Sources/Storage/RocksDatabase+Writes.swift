internal import CRocksDB

extension RocksDatabase {
    /// Stores `value` under `key` in `columnFamily`, replacing any previous value.
    /// With `sync`, returns only after the WAL record is fsync'd (survives power loss);
    /// without it, a process crash loses nothing but a machine crash may lose recent writes.
    public func put(_ key: [UInt8], _ value: [UInt8], in columnFamily: ColumnFamily, sync: Bool = false) throws(StorageError) {
        try withOpenState { (state) throws(StorageError) in
            let cf = try handle(for: columnFamily, in: state)
            try freeSpace.reserve(2 * (key.count + value.count) + 64)
            try withCBytes(key) { (keyPointer, keyCount) throws(StorageError) in
                try withCBytes(value) { (valuePointer, valueCount) throws(StorageError) in
                    try rocksCall(path: path) { error in
                        rocksdb_put_cf(
                            state.db, state.options.writeOptions(sync: sync), cf,
                            keyPointer, keyCount, valuePointer, valueCount, error)
                    }
                }
            }
        }
    }

    /// Removes `key` from `columnFamily`; removing a missing key is not an error.
    public func delete(_ key: [UInt8], in columnFamily: ColumnFamily, sync: Bool = false) throws(StorageError) {
        try withOpenState { (state) throws(StorageError) in
            let cf = try handle(for: columnFamily, in: state)
            try freeSpace.reserve(2 * key.count + 64)
            try withCBytes(key) { (keyPointer, keyCount) throws(StorageError) in
                try rocksCall(path: path) { error in
                    rocksdb_delete_cf(state.db, state.options.writeOptions(sync: sync), cf, keyPointer, keyCount, error)
                }
            }
        }
    }

    /// Removes every key in `[start, end)` from `columnFamily`.
    /// - Throws: `.invalidArgument` if `start > end`.
    public func deleteRange(from start: [UInt8], to end: [UInt8], in columnFamily: ColumnFamily, sync: Bool = false) throws(StorageError) {
        var batch = WriteBatch()
        batch.deleteRange(from: start, to: end, in: columnFamily)
        try write(batch, sync: sync)
    }

    /// Applies every operation of `batch` atomically, in order.
    /// With `sync`, returns only after the WAL record is fsync'd.
    ///
    /// All write methods throw `.noSpace` without writing while the datadir's filesystem is
    /// below `StorageConfiguration.minimumFreeSpace`.
    /// - Throws: `.invalidArgument` if an operation names another database's column family
    ///   or a range with `start > end`; nothing is written then.
    public func write(_ batch: WriteBatch, sync: Bool = false) throws(StorageError) {
        try withOpenState { (state) throws(StorageError) in
            let native = rocksdb_writebatch_create()
            defer { rocksdb_writebatch_destroy(native) }
            var bytes = 64
            for operation in batch.operations {
                let cf = try handle(for: operation.columnFamily, in: state)
                switch operation {
                case .put(_, let key, let value):
                    bytes += 2 * (key.count + value.count) + 16
                    withCBytes(key) { keyPointer, keyCount in
                        withCBytes(value) { valuePointer, valueCount in
                            rocksdb_writebatch_put_cf(native, cf, keyPointer, keyCount, valuePointer, valueCount)
                        }
                    }
                case .delete(_, let key):
                    bytes += 2 * key.count + 16
                    withCBytes(key) { keyPointer, keyCount in
                        rocksdb_writebatch_delete_cf(native, cf, keyPointer, keyCount)
                    }
                case .deleteRange(_, let start, let end):
                    if bytesPrecede(end, start) {
                        throw .invalidArgument(
                            "deleteRange start \(hex(start)) is after end \(hex(end))", path: path)
                    }
                    guard start != end else { continue }
                    bytes += 2 * (start.count + end.count) + 16
                    withCBytes(start) { startPointer, startCount in
                        withCBytes(end) { endPointer, endCount in
                            rocksdb_writebatch_delete_range_cf(native, cf, startPointer, startCount, endPointer, endCount)
                        }
                    }
                }
            }
            try freeSpace.reserve(bytes)
            try rocksCall(path: path) { error in
                rocksdb_write(state.db, state.options.writeOptions(sync: sync), native, error)
            }
        }
    }
}

/// Short hex for error messages.
func hex(_ bytes: [UInt8]) -> String {
    let shown = bytes.prefix(32).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
    return "0x" + shown.joined() + (bytes.count > 32 ? "..." : "")
}
