/// Tuning for a `RocksDatabase`; the defaults suit a node on a small machine.
public struct StorageConfiguration: Sendable, Hashable {
    /// Bytes of the shared LRU block cache (uncompressed data blocks). Default 256 MiB.
    public var blockCacheSize: Int
    /// Bytes of one memtable before it is flushed to an SST file. Default 64 MiB.
    public var writeBufferSize: Int
    /// Bytes all column families' memtables may hold together; past it the largest is flushed
    /// (RocksDB's `db_write_buffer_size`); 0: no total, only `writeBufferSize` per family.
    /// Default 128 MiB: with the chain's 15 column families, per-family buffers alone let the
    /// memtables grow for minutes under load (to about 550 MiB at 3,400 transfers/s).
    public var totalWriteBufferSize: Int
    /// Bytes of write-ahead log after which the column families still holding the oldest log
    /// file are flushed so that it can be deleted (RocksDB's `max_total_wal_size`); 0:
    /// RocksDB's default, four times all memtables. Default 256 MiB: families written a
    /// little per block (headers, signatures) would otherwise keep every log file since
    /// their last flush alive (2 GB after ten minutes of load), and a restart replays them.
    public var maxTotalWALSize: Int
    /// File descriptors RocksDB may keep open for SST files; -1 means no limit. Default 512.
    public var maxOpenFiles: Int
    /// Background flush and compaction threads. Default 2.
    public var backgroundThreads: Int
    /// Bits per key of the bloom filter in each SST file; 0 disables it. Default 10.
    public var bloomFilterBitsPerKey: Double
    /// Directory for RocksDB's own diagnostic LOG files; nil keeps them in the datadir.
    ///
    /// With Debian's librocksdb 7.8 (built with assertions), RocksDB aborts the process if
    /// the filesystem holding its LOG fills up. `minimumFreeSpace` protects the datadir;
    /// a directory on another filesystem removes the risk entirely.
    public var infoLogDirectory: String?
    /// Writes are refused with `.noSpace` (and opening fails) while the datadir's
    /// filesystem has fewer free bytes than this; 0 disables the check. Default 256 MiB.
    /// Background flushes and compactions are not gated and need headroom too.
    public var minimumFreeSpace: Int

    public init(
        blockCacheSize: Int = 256 << 20,
        writeBufferSize: Int = 64 << 20,
        totalWriteBufferSize: Int = 128 << 20,
        maxTotalWALSize: Int = 256 << 20,
        maxOpenFiles: Int = 512,
        backgroundThreads: Int = 2,
        bloomFilterBitsPerKey: Double = 10,
        infoLogDirectory: String? = nil,
        minimumFreeSpace: Int = 256 << 20
    ) {
        self.minimumFreeSpace = minimumFreeSpace
        self.infoLogDirectory = infoLogDirectory
        self.blockCacheSize = blockCacheSize
        self.writeBufferSize = writeBufferSize
        self.totalWriteBufferSize = totalWriteBufferSize
        self.maxTotalWALSize = maxTotalWALSize
        self.maxOpenFiles = maxOpenFiles
        self.backgroundThreads = backgroundThreads
        self.bloomFilterBitsPerKey = bloomFilterBitsPerKey
    }

    /// Throws `.invalidArgument` naming the offending field.
    func validate(path: String) throws(StorageError) {
        func fail(_ message: String) -> StorageError { .invalidArgument(message, path: path) }
        guard blockCacheSize >= 0 else { throw fail("blockCacheSize must be >= 0, got \(blockCacheSize)") }
        guard writeBufferSize >= 64 << 10 else {
            throw fail("writeBufferSize must be at least 64 KiB, got \(writeBufferSize)")
        }
        guard totalWriteBufferSize >= 0 else { throw fail("totalWriteBufferSize must be >= 0, got \(totalWriteBufferSize)") }
        guard maxTotalWALSize >= 0 else { throw fail("maxTotalWALSize must be >= 0, got \(maxTotalWALSize)") }
        guard maxOpenFiles == -1 || (maxOpenFiles >= 16 && maxOpenFiles <= Int(Int32.max)) else {
            throw fail("maxOpenFiles must be -1 or at least 16, got \(maxOpenFiles)")
        }
        guard backgroundThreads >= 1 && backgroundThreads <= 256 else {
            throw fail("backgroundThreads must be in 1...256, got \(backgroundThreads)")
        }
        guard minimumFreeSpace >= 0 else {
            throw fail("minimumFreeSpace must be >= 0, got \(minimumFreeSpace)")
        }
        if let infoLogDirectory, infoLogDirectory.isEmpty {
            throw fail("infoLogDirectory must not be empty (use nil for the datadir)")
        }
        guard bloomFilterBitsPerKey >= 0 && bloomFilterBitsPerKey <= 100 else {
            throw fail("bloomFilterBitsPerKey must be in 0...100, got \(bloomFilterBitsPerKey)")
        }
    }
}
