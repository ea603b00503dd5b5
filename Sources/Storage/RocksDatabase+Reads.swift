internal import CRocksDB

extension RocksDatabase {
    /// The latest value stored under `key`, or nil if there is none.
    public func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StorageError) -> [UInt8]? {
        try get(key, in: columnFamily, readOptions: nil)
    }

    /// The latest values for `keys`, in order; nil where missing.
    public func multiGet(_ keys: [[UInt8]], in columnFamily: ColumnFamily) throws(StorageError) -> [[UInt8]?] {
        try multiGet(keys, in: columnFamily, readOptions: nil)
    }

    /// `get` with explicit read options (a snapshot's); nil means the default ones.
    func get(_ key: [UInt8], in columnFamily: ColumnFamily, readOptions: OpaquePointer?) throws(StorageError) -> [UInt8]? {
        try withOpenState { (state) throws(StorageError) in
            let cf = try handle(for: columnFamily, in: state)
            let options = readOptions ?? state.options.readOptions
            let slice = try withCBytes(key) { (keyPointer, keyCount) throws(StorageError) in
                try rocksCall(path: path) { error in
                    rocksdb_get_pinned_cf(state.db, options, cf, keyPointer, keyCount, error)
                }
            }
            guard let slice else { return nil }
            defer { rocksdb_pinnableslice_destroy(slice) }
            var count = 0
            let value = rocksdb_pinnableslice_value(slice, &count)
            return copyBytes(value, count: count)
        }
    }

    /// `multiGet` with explicit read options (a snapshot's); nil means the default ones.
    func multiGet(_ keys: [[UInt8]], in columnFamily: ColumnFamily, readOptions: OpaquePointer?) throws(StorageError) -> [[UInt8]?] {
        guard !keys.isEmpty else {
            return try withOpenState { (state) throws(StorageError) in
                _ = try handle(for: columnFamily, in: state)
                return []
            }
        }
        return try withOpenState { (state) throws(StorageError) in
            let cf = try handle(for: columnFamily, in: state)
            let options = readOptions ?? state.options.readOptions
            // All keys in one buffer so every key pointer stays valid during the call.
            let flat = keys.flatMap { $0 }
            var offsets: [Int] = []
            offsets.reserveCapacity(keys.count)
            var offset = 0
            for key in keys { offsets.append(offset); offset += key.count }
            let sizes = keys.map(\.count)
            let families = [OpaquePointer?](repeating: cf, count: keys.count)
            var values = [UnsafeMutablePointer<CChar>?](repeating: nil, count: keys.count)
            var valueSizes = [Int](repeating: 0, count: keys.count)
            var errors = [UnsafeMutablePointer<CChar>?](repeating: nil, count: keys.count)
            flat.withUnsafeBufferPointer { buffer in
                // When every key is empty there is no buffer; nil with size 0 is a valid slice.
                let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                    buffer.baseAddress.map { UnsafeRawPointer($0 + offset).assumingMemoryBound(to: CChar.self) }
                }
                rocksdb_multi_get_cf(
                    state.db, options, families, keys.count, pointers, sizes,
                    &values, &valueSizes, &errors)
            }
            var firstError: StorageError?
            var result: [[UInt8]?] = []
            result.reserveCapacity(keys.count)
            for index in keys.indices {
                if let error = errors[index] {
                    let storageError = takeRocksError(error, path: path)
                    if firstError == nil { firstError = storageError }
                }
                if let value = values[index] {
                    result.append(copyBytes(value, count: valueSizes[index]))
                    rocksdb_free(value)
                } else {
                    result.append(nil)
                }
            }
            if let firstError { throw firstError }
            return result
        }
    }
}
