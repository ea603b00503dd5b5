import Foundation
import Testing
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FullDiskTests {
    /// Runs `body` with a tiny tmpfs mounted at a fresh directory, unmounting afterwards.
    func withTinyFilesystem(size: String, _ body: (String) throws -> Void) throws {
        try withTemporaryDirectory { dir in
            #if os(Linux)
            guard mount("tmpfs", dir, "tmpfs", 0, "size=\(size)") == 0 else {
                Issue.record("mount tmpfs failed: \(String(cString: strerror(errno)))")
                return
            }
            defer { umount2(dir, Int32(MNT_DETACH)) }
            try body(dir)
            #endif
        }
    }

    /// RocksDB's own ENOSPC path, with the free-space guard off. RocksDB's LOG goes to
    /// another filesystem: Debian's assert-enabled librocksdb 7.8 aborts when its LOG
    /// writer fails twice (see FreeSpaceGuard).
    func unguardedConfiguration(logDirectory: String) -> StorageConfiguration {
        var configuration = StorageConfiguration.small
        configuration.minimumFreeSpace = 0
        configuration.infoLogDirectory = logDirectory
        return configuration
    }

    @Test(.enabled(if: TinyFilesystem.canMount, "needs root and permission to mount a tmpfs"))
    func rocksDBWriteFailureOnAFullDiskIsNoSpace() throws {
        try withTemporaryDirectory { logs in
            try withTinyFilesystem(size: "2m") { dir in
                let path = dir + "/db"
                let db = try RocksDatabase.open(path: path, options: unguardedConfiguration(logDirectory: logs))
                defer { db.close() }
                let value = [UInt8](repeating: 0x5A, count: 64 << 10)
                var failure: StorageError?
                for i in 0..<1_000 {  // 64 MiB: far more than the filesystem holds
                    do {
                        try db.put(b("key-\(i)"), value, in: db.defaultColumnFamily, sync: true)
                    } catch let error as StorageError {
                        failure = error
                        break
                    }
                }
                let error = try #require(failure, "writing 64 MiB to a 2 MiB filesystem did not fail")
                #expect(error.code == .noSpace, "\(error)")
                #expect(error.path == path)
                #expect(error.description.contains("no space left on the device holding datadir \(path)"))
                #expect(error.message.contains("No space left on device"))  // RocksDB's own text
                // Reads keep working, and closing after the failure is clean.
                #expect(try db.get(b("key-0"), in: db.defaultColumnFamily) == value)
            }
        }
    }

    @Test(.enabled(if: TinyFilesystem.canMount, "needs root and permission to mount a tmpfs"))
    func rocksDBOpenOnAFullDiskIsNoSpace() throws {
        try withTemporaryDirectory { logs in
            try withTinyFilesystem(size: "512k") { dir in
                try fill(dir)
                let path = dir + "/db"
                let error = #expect(throws: StorageError.self) {
                    try RocksDatabase.open(path: path, options: unguardedConfiguration(logDirectory: logs))
                }
                #expect(error?.code == .noSpace, "\(String(describing: error))")
                #expect(error?.message.contains("No space left on device") == true)
                #expect(error?.description.contains(path) == true)
            }
        }
    }

    @Test(.enabled(if: TinyFilesystem.canMount, "needs root and permission to mount a tmpfs"))
    func freeSpaceGuardRefusesWritesBeforeTheDiskFillsAndResumesWhenSpaceIsFreed() throws {
        try withTinyFilesystem(size: "16m") { dir in
            let filler = dir + "/filler"
            try Data(count: 6 << 20).write(to: URL(fileURLWithPath: filler))
            let path = dir + "/db"
            var configuration = StorageConfiguration.small  // LOG stays in the datadir
            configuration.minimumFreeSpace = 4 << 20
            let db = try RocksDatabase.open(path: path, options: configuration)
            defer { db.close() }
            let value = [UInt8](repeating: 0x5A, count: 32 << 10)
            var failure: StorageError?
            var written = 0
            for i in 0..<1_000 {
                do {
                    try db.put(b("key-\(i)"), value, in: db.defaultColumnFamily, sync: true)
                    written += 1
                } catch let error as StorageError {
                    failure = error
                    break
                }
            }
            let error = try #require(failure, "the guard never refused a write")
            #expect(error.code == .noSpace, "\(error)")
            #expect(error.message.contains("minimumFreeSpace"))
            #expect(error.description.contains(path))
            #expect(written > 0)
            #expect(try db.get(b("key-0"), in: db.defaultColumnFamily) == value)
            // Batches are guarded too. Background flushes may free a little space (old WAL
            // files), so keep writing until the guard refuses again.
            var batch = WriteBatch()
            batch.put(b("more"), value, in: db.defaultColumnFamily)
            var batchFailure: StorageError?
            for _ in 0..<1_000 {
                do { try db.write(batch, sync: true) } catch let error as StorageError { batchFailure = error; break }
            }
            #expect(batchFailure?.code == .noSpace)

            try FileManager.default.removeItem(atPath: filler)
            try db.write(batch, sync: true)
            #expect(try db.get(b("more"), in: db.defaultColumnFamily) == value)
        }
    }

    @Test(.enabled(if: TinyFilesystem.canMount, "needs root and permission to mount a tmpfs"))
    func freeSpaceGuardRefusesToOpenANearlyFullDisk() throws {
        try withTinyFilesystem(size: "2m") { dir in
            let path = dir + "/db"
            var configuration = StorageConfiguration.small
            configuration.minimumFreeSpace = 4 << 20
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path, options: configuration) }
            #expect(error?.code == .noSpace)
            #expect(error?.message.contains("minimumFreeSpace") == true)
            #expect(error?.description.contains(path) == true)
            let created = try files(in: path)
            #expect(created.isEmpty, "RocksDB should not have been started")
        }
    }

    /// Writes zeros to a file in `dir` until the filesystem is full.
    func fill(_ dir: String) throws {
        #expect(FileManager.default.createFile(atPath: dir + "/filler", contents: nil))
        let filler = try #require(FileHandle(forWritingAtPath: dir + "/filler"))
        let chunk = Data(repeating: 0, count: 4096)
        while (try? filler.write(contentsOf: chunk)) != nil {}
        try? filler.close()
    }

    /// Real RocksDB 7.x status strings (from the lines above and RocksDB's env_posix /
    /// fs_posix / db_impl sources) and the code each must map to.
    @Test(arguments: [
        ("IO error: While lock file: /data/db/LOCK: Resource temporarily unavailable", StorageError.Code.lockHeld),
        ("IO error: lock hold by current process, acquire time 1700000000 acquiring thread 139872: /data/db/LOCK: No locks available", .lockHeld),
        ("IO error: No space left on device: While appending to file: /data/db/000004.log: No space left on device", .noSpace),
        ("IO error: No space left on device: While open a file for appending: /data/db/MANIFEST-000005: No space left on device", .noSpace),
        ("Corruption: CURRENT file does not end with newline", .corruption),
        ("Corruption: Sst file size mismatch: /data/db/000009.sst. Expected 2048, actual size 100\n", .corruption),
        ("Corruption: block checksum mismatch: stored = 1, computed = 2, type = 1  in /data/db/000009.sst offset 0 size 3000", .corruption),
        ("IO error: While open a file for appending: /data/db/LOCK: Permission denied", .permissionDenied),
        ("IO error: While opening a file for sequentially reading: /data/db/CURRENT: Input/output error", .ioError),
        ("Invalid argument: Column families not opened: extra", .invalidArgument),
        ("NotFound: ", .notFound),
        ("Resource busy: ", .busy),
        ("Operation timed out: ", .busy),
        ("Shutdown in progress: ", .closed),
        ("IO error: No space left on device: While appending to file: /data/db/000000.dbtmp: No space left on device", .noSpace),
        ("IO error: No space left on device: While appending to file: /data/db/000011.sst: No space left on device", .noSpace),
        ("Not implemented: Not supported operation in read only mode.", .unknown),
    ])
    func rocksDBMessagesAreClassified(message: String, code: StorageError.Code) {
        let error = StorageError(rocksDBMessage: message, path: "/data/db")
        #expect(error.code == code)
        #expect(error.message == message)
        #expect(error.description.contains("/data/db"))
        #expect(error.description.contains(message))
    }

    @Test func descriptionsSpeakToTheOperator() {
        let locked = StorageError(rocksDBMessage: "IO error: While lock file: /x/LOCK: Resource temporarily unavailable", path: "/x")
        #expect(locked.description.hasPrefix("datadir /x is in use by another process"))
        #expect(locked.description.hasSuffix("(RocksDB: IO error: While lock file: /x/LOCK: Resource temporarily unavailable)"))
        #expect(StorageError.closed(path: "/x").description == "database in datadir /x is closed")
        #expect(StorageError(rocksDBMessage: "IO error: boom", path: "/x").isTransient)
        #expect(!StorageError(rocksDBMessage: "Corruption: bad", path: "/x").isTransient)
    }
}

/// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, as on the dev/CI
/// machines); probed once by mounting and unmounting one.
enum TinyFilesystem {
    static let canMount: Bool = {
        #if os(Linux)
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("storage-mount-probe-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil else {
            return false
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount2(dir, Int32(MNT_DETACH))
        return true
        #else
        return false
        #endif
    }()
}
