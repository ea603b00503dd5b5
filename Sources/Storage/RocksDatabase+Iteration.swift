internal import CRocksDB

extension RocksDatabase {
    /// Visits the latest entries with `from <= key < to`, ascending or (with `reverse`)
    /// descending, until `body` returns false. See `KeyValueReader.scan`.
    public func scan(
        in columnFamily: ColumnFamily,
        from start: [UInt8]?,
        to end: [UInt8]?,
        reverse: Bool,
        _ body: (_ key: [UInt8], _ value: [UInt8]) -> Bool
    ) throws(StorageError) {
        try scan(in: columnFamily, from: start, to: end, reverse: reverse, snapshot: nil, body)
    }

    /// The iteration core, optionally reading at `snapshot` (a `rocksdb_snapshot_t*`).
    ///
    /// The iterator is created and destroyed inside this call, and its status is checked
    /// after the last step, so a corrupt block surfaces as an error rather than as a
    /// silently shortened result.
    func scan(
        in columnFamily: ColumnFamily,
        from start: [UInt8]?,
        to end: [UInt8]?,
        reverse: Bool,
        snapshot: OpaquePointer?,
        _ body: (_ key: [UInt8], _ value: [UInt8]) -> Bool
    ) throws(StorageError) {
        try withOpenState { (state) throws(StorageError) in
            let cf = try handle(for: columnFamily, in: state)
            if let end {
                if end.isEmpty { return }
                if let start, !bytesPrecede(start, end) { return }
            }

            // Bounds let RocksDB skip tombstones outside the range; RocksDB keeps pointers
            // to them, so they live in pinned copies until the iterator is gone.
            let lower = start.map(PinnedBytes.init)
            let upper = end.map(PinnedBytes.init)
            let options = rocksdb_readoptions_create()
            defer {
                rocksdb_readoptions_destroy(options)
                lower?.deallocate()
                upper?.deallocate()
            }
            if let lower { rocksdb_readoptions_set_iterate_lower_bound(options, lower.pointer, lower.count) }
            if let upper { rocksdb_readoptions_set_iterate_upper_bound(options, upper.pointer, upper.count) }
            if let snapshot { rocksdb_readoptions_set_snapshot(options, snapshot) }

            guard let iterator = rocksdb_create_iterator_cf(state.db, options, cf) else {
                throw StorageError(code: .unknown, message: "rocksdb_create_iterator_cf returned no iterator", path: path)
            }
            defer { rocksdb_iter_destroy(iterator) }

            if reverse {
                if let upper {
                    rocksdb_iter_seek_for_prev(iterator, upper.pointer, upper.count)
                } else {
                    rocksdb_iter_seek_to_last(iterator)
                }
            } else {
                if let lower {
                    rocksdb_iter_seek(iterator, lower.pointer, lower.count)
                } else {
                    rocksdb_iter_seek_to_first(iterator)
                }
            }

            while rocksdb_iter_valid(iterator) != 0 {
                var keyCount = 0
                let key = copyBytes(rocksdb_iter_key(iterator, &keyCount), count: keyCount)
                // The bounds should already hold; checking again costs little and keeps the
                // half-open contract independent of RocksDB's bound handling.
                if let end, !bytesPrecede(key, end) {
                    if reverse { rocksdb_iter_prev(iterator); continue } else { break }
                }
                if let start, bytesPrecede(key, start) {
                    if reverse { break } else { rocksdb_iter_next(iterator); continue }
                }
                var valueCount = 0
                let value = copyBytes(rocksdb_iter_value(iterator, &valueCount), count: valueCount)
                guard body(key, value) else { return }
                if reverse { rocksdb_iter_prev(iterator) } else { rocksdb_iter_next(iterator) }
            }
            try rocksCall(path: path) { error in rocksdb_iter_get_error(iterator, error) }
        }
    }
}
