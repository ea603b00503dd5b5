internal import CRocksDB

/// Owns the RocksDB option objects of one open database and frees them in `deinit`.
final class NativeOptions {
    let options: OpaquePointer
    let tableOptions: OpaquePointer
    let blockCache: OpaquePointer?
    /// Plain reads without a snapshot.
    let readOptions: OpaquePointer
    let writeOptions: OpaquePointer
    /// Writes whose WAL record is fsync'd before they return.
    let syncWriteOptions: OpaquePointer
    let flushOptions: OpaquePointer

    init(_ configuration: StorageConfiguration) {
        options = rocksdb_options_create()
        rocksdb_options_set_create_if_missing(options, 1)
        rocksdb_options_set_create_missing_column_families(options, 1)
        rocksdb_options_set_paranoid_checks(options, 1)
        // kPointInTimeRecovery: replay the WAL up to the first torn or corrupt record,
        // which is what a crash mid-write leaves behind.
        rocksdb_options_set_wal_recovery_mode(options, 2)
        rocksdb_options_set_max_open_files(options, Int32(configuration.maxOpenFiles))
        rocksdb_options_set_write_buffer_size(options, configuration.writeBufferSize)
        rocksdb_options_set_db_write_buffer_size(options, configuration.totalWriteBufferSize)
        rocksdb_options_set_max_total_wal_size(options, UInt64(configuration.maxTotalWALSize))
        rocksdb_options_increase_parallelism(options, Int32(configuration.backgroundThreads))
        // RocksDB's diagnostic LOG: at most 10 files of 16 MiB.
        rocksdb_options_set_max_log_file_size(options, 16 << 20)
        rocksdb_options_set_keep_log_file_num(options, 10)
        if let directory = configuration.infoLogDirectory {
            rocksdb_options_set_db_log_dir(options, directory)
        }

        tableOptions = rocksdb_block_based_options_create()
        if configuration.blockCacheSize > 0 {
            let cache = rocksdb_cache_create_lru(configuration.blockCacheSize)
            rocksdb_block_based_options_set_block_cache(tableOptions, cache)
            blockCache = cache
        } else {
            rocksdb_block_based_options_set_no_block_cache(tableOptions, 1)
            blockCache = nil
        }
        if configuration.bloomFilterBitsPerKey > 0 {
            // The table options take ownership of the policy.
            rocksdb_block_based_options_set_filter_policy(
                tableOptions, rocksdb_filterpolicy_create_bloom(configuration.bloomFilterBitsPerKey))
        }
        rocksdb_options_set_block_based_table_factory(options, tableOptions)

        readOptions = rocksdb_readoptions_create()
        writeOptions = rocksdb_writeoptions_create()
        syncWriteOptions = rocksdb_writeoptions_create()
        rocksdb_writeoptions_set_sync(syncWriteOptions, 1)
        flushOptions = rocksdb_flushoptions_create()
        rocksdb_flushoptions_set_wait(flushOptions, 1)
    }

    func writeOptions(sync: Bool) -> OpaquePointer {
        sync ? syncWriteOptions : writeOptions
    }

    deinit {
        rocksdb_flushoptions_destroy(flushOptions)
        rocksdb_writeoptions_destroy(syncWriteOptions)
        rocksdb_writeoptions_destroy(writeOptions)
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_block_based_options_destroy(tableOptions)
        if let blockCache { rocksdb_cache_destroy(blockCache) }
        rocksdb_options_destroy(options)
    }
}
