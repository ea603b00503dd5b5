internal import CRocksDB

/// Runs a RocksDB C call that reports failure through `char **errptr`, frees the C
/// message and throws it as a classified `StorageError` naming `path`.
func rocksCall<T>(
    path: String,
    _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
) throws(StorageError) -> T {
    var error: UnsafeMutablePointer<CChar>? = nil
    let result = body(&error)
    if let error {
        let message = String(cString: error)
        rocksdb_free(error)
        throw StorageError(rocksDBMessage: message, path: path)
    }
    return result
}

/// Takes ownership of a C error string that RocksDB allocated (e.g. one slot of
/// `rocksdb_multi_get_cf`'s `errs`), frees it and returns the classified error.
func takeRocksError(_ error: UnsafeMutablePointer<CChar>, path: String) -> StorageError {
    let message = String(cString: error)
    rocksdb_free(error)
    return StorageError(rocksDBMessage: message, path: path)
}
