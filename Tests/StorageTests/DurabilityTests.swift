import Foundation
import Testing
@testable import Storage

@Suite struct DurabilityTests {
    @Test func reopeningAfterCloseKeepsData() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            let db = try RocksDatabase.open(path: path, columnFamilies: ["t"], options: .small)
            try db.put(b("k"), b("v"), in: db.columnFamily(named: "t"))
            try db.flush()
            try db.put(b("after-flush"), b("w"), in: db.columnFamily(named: "t"))
            db.close()

            let reopened = try RocksDatabase.open(path: path, columnFamilies: ["t"], options: .small)
            defer { reopened.close() }
            let cf = try reopened.columnFamily(named: "t")
            #expect(try reopened.get(b("k"), in: cf) == b("v"))
            #expect(try reopened.get(b("after-flush"), in: cf) == b("w"))
        }
    }

    /// A column family written once keeps the first log file alive until it is flushed;
    /// `maxTotalWALSize` makes RocksDB flush it, so the log files stay near the limit while
    /// another family takes 24 MiB (without the limit, all 24 MiB of log files stay).
    @Test func logFilesStayNearTheTotalLimitWhenAFamilyIsRarelyWritten() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            let options = StorageConfiguration(blockCacheSize: 1 << 20, writeBufferSize: 1 << 20, totalWriteBufferSize: 0,
                                               maxTotalWALSize: 2 << 20, maxOpenFiles: 64, minimumFreeSpace: 1 << 20)
            let db = try RocksDatabase.open(path: path, columnFamilies: ["busy", "rare"], options: options)
            defer { db.close() }
            let busy = try db.columnFamily(named: "busy"), rare = try db.columnFamily(named: "rare")
            try db.put(b("once"), b("v"), in: rare)
            let value = [UInt8](repeating: 7, count: 4096)
            for i in 0..<(24 * 256) { try db.put(b("key\(i)"), value, in: busy) }
            // Obsolete log files are deleted after a background flush: allow it a moment.
            func logBytes() throws -> Int {
                try files(in: path).filter { $0.hasSuffix(".log") }.reduce(0) { total, name in
                    // A log file RocksDB deletes between the listing and this call counts as 0 bytes.
                    total + (((try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? Int) ?? 0)
                }
            }
            var bytes = try logBytes()
            for _ in 0..<50 where bytes > 5 << 20 {
                Thread.sleep(forTimeInterval: 0.1)
                bytes = try logBytes()
            }
            #expect(bytes <= 5 << 20, "\(bytes) bytes of log files")
            #expect(try db.get(b("once"), in: rare) == b("v"))
        }
    }

    @Test func syncedWritesAreRecoveredFromTheWALAfterDroppingTheHandle() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            do {
                // No flush and no close: the handle is simply dropped.
                let db = try RocksDatabase.open(path: path, options: .small)
                for i in 0..<100 { try db.put(b("key\(i)"), b("value\(i)"), in: db.defaultColumnFamily, sync: true) }
            }
            let names = try files(in: path)
            #expect(!names.contains { $0.hasSuffix(".sst") }, "data should live only in the WAL: \(names)")
            #expect(names.contains { $0.hasSuffix(".log") })

            let db = try RocksDatabase.open(path: path, options: .small)
            defer { db.close() }
            #expect(try db.entries(in: db.defaultColumnFamily).count == 100)
            #expect(try db.get(b("key99"), in: db.defaultColumnFamily) == b("value99"))
        }
    }

    /// A copy of the files of a database that is still open is what a power cut leaves
    /// (for writes that were fsync'd): no clean shutdown, memtable lost, WAL on disk.
    @Test func copyOfALiveDatadirRecoversSyncedWrites() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            let crashed = dir + "/crashed"
            let db = try RocksDatabase.open(path: path, columnFamilies: ["t"], options: .small)
            defer { db.close() }
            let cf = try db.columnFamily(named: "t")
            try db.put(b("flushed"), b("1"), in: cf)
            try db.flush()
            var batch = WriteBatch()
            batch.put(b("batched-a"), b("2"), in: cf)
            batch.put(b("batched-b"), b("3"), in: cf)
            try db.write(batch, sync: true)
            try FileManager.default.copyItem(atPath: path, toPath: crashed)

            let recovered = try RocksDatabase.open(path: crashed, columnFamilies: ["t"], options: .small)
            defer { recovered.close() }
            let recoveredCF = try recovered.columnFamily(named: "t")
            #expect(try keys(recovered.entries(in: recoveredCF)) == [b("batched-a"), b("batched-b"), b("flushed")])
        }
    }

    /// A crash in the middle of a WAL append leaves a torn record at the end of the log;
    /// point-in-time recovery opens the database with everything before it.
    @Test func tornWALTailIsDroppedOnRecovery() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            let crashed = dir + "/crashed"
            let db = try RocksDatabase.open(path: path, options: .small)
            defer { db.close() }
            for i in 0..<10 { try db.put(b("key\(i)"), b("value\(i)"), in: db.defaultColumnFamily, sync: true) }
            try FileManager.default.copyItem(atPath: path, toPath: crashed)

            let logs = try files(in: crashed).filter { $0.hasSuffix(".log") }
            #expect(logs.count == 1)
            let log = try #require(FileHandle(forWritingAtPath: crashed + "/" + logs[0]))
            try log.seekToEnd()
            // A record header claiming a long payload that never made it to disk.
            try log.write(contentsOf: Data([0x12, 0x34, 0x56, 0x78, 0xFF, 0x7F, 0x01, 0xDE, 0xAD]))
            try log.close()

            let recovered = try RocksDatabase.open(path: crashed, options: .small)
            defer { recovered.close() }
            #expect(try recovered.entries(in: recovered.defaultColumnFamily).count == 10)
        }
    }
}
