import Foundation
import Testing
@testable import Storage

@Suite struct FailureTests {
    @Test func openingTheSameDatadirTwiceReportsLockHeld() throws {
        try withDatabase { db, path in
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path, options: .small) }
            #expect(error?.code == .lockHeld)
            #expect(error?.path == path)
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains("in use") == true)
            #expect(error?.isTransient == false)
            // The first handle is unaffected.
            try db.put(b("k"), b("v"), in: db.defaultColumnFamily)
        }
    }

    @Test func datadirIsUsableAgainAfterTheHolderCloses() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            let first = try RocksDatabase.open(path: path, options: .small)
            first.close()
            let second = try RocksDatabase.open(path: path, options: .small)
            second.close()
        }
    }

    @Test(.enabled(if: OtherProcessLock.isAvailable, "needs python3 to hold the lock from another process"))
    func datadirLockedByAnotherProcessReportsLockHeld() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            try RocksDatabase.open(path: path, options: .small).close()
            let holder = try OtherProcessLock(file: path + "/LOCK")
            defer { holder.release() }
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path, options: .small) }
            #expect(error?.code == .lockHeld)
            #expect(error?.description.contains(path) == true)
            #expect(error?.message.contains("LOCK") == true)
        }
    }

    @Test func garbageCURRENTFileReportsCorruption() throws {
        try withTemporaryDirectory { dir in
            let path = try makeFlushedDatabase(in: dir)
            try Data("this is not a manifest name".utf8).write(to: URL(fileURLWithPath: path + "/CURRENT"))
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path, options: .small) }
            #expect(error?.code == .corruption)
            #expect(error?.path == path)
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains("corrupt") == true)
        }
    }

    @Test func garbageMANIFESTReportsCorruption() throws {
        try withTemporaryDirectory { dir in
            let path = try makeFlushedDatabase(in: dir)
            let manifest = try #require(try files(in: path).first { $0.hasPrefix("MANIFEST-") })
            let size = try FileManager.default.attributesOfItem(atPath: path + "/" + manifest)[.size] as! Int
            var garbage = SystemRandomNumberGenerator()
            let bytes = (0..<max(size, 64)).map { _ in UInt8.random(in: 0...255, using: &garbage) }
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + manifest))
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path, options: .small) }
            #expect(error?.code == .corruption)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func truncatedSSTReportsCorruption() throws {
        try withTemporaryDirectory { dir in
            let path = try makeFlushedDatabase(in: dir)
            let sst = try #require(try files(in: path).first { $0.hasSuffix(".sst") })
            let handle = try #require(FileHandle(forWritingAtPath: path + "/" + sst))
            try handle.truncate(atOffset: 100)
            try handle.close()
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path, options: .small) }
            #expect(error?.code == .corruption)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func flippedBytesInsideAnSSTReportCorruptionOnRead() throws {
        try withTemporaryDirectory { dir in
            let path = try makeFlushedDatabase(in: dir)
            let sst = try #require(try files(in: path).first { $0.hasSuffix(".sst") })
            // Data blocks start at offset 0; flip bytes there, keeping the file size and footer.
            let handle = try #require(FileHandle(forUpdatingAtPath: path + "/" + sst))
            try handle.seek(toOffset: 20)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 64))
            try handle.close()

            var seen: StorageError?
            do {
                let db = try RocksDatabase.open(path: path, options: .small)
                defer { db.close() }
                _ = try db.entries(in: db.defaultColumnFamily)
            } catch let error as StorageError {
                seen = error
            }
            #expect(seen?.code == .corruption)
            #expect(seen?.description.contains(path) == true)
        }
    }

    @Test func operationsAfterCloseThrowClosed() throws {
        try withDatabase(columnFamilies: ["t"]) { db, path in
            let cf = try db.columnFamily(named: "t")
            try db.put(b("k"), b("v"), in: cf)
            db.close()
            db.close()  // idempotent
            #expect(db.isClosed)

            var batch = WriteBatch()
            batch.put(b("k"), b("v"), in: cf)
            let operations: [(String, () throws -> Void)] = [
                ("get", { _ = try db.get(b("k"), in: cf) }),
                ("exists", { _ = try db.exists(b("k"), in: cf) }),
                ("multiGet", { _ = try db.multiGet([b("k")], in: cf) }),
                ("multiGet of nothing", { _ = try db.multiGet([], in: cf) }),
                ("put", { try db.put(b("k"), b("v"), in: cf) }),
                ("delete", { try db.delete(b("k"), in: cf) }),
                ("deleteRange", { try db.deleteRange(from: b("a"), to: b("z"), in: cf) }),
                ("write", { try db.write(batch, sync: true) }),
                ("forEach", { try db.forEach(in: cf) { _, _ in true } }),
                ("entries", { _ = try db.entries(in: cf, prefix: b("k")) }),
                ("lastEntry", { _ = try db.lastEntry(in: cf, before: b("z")) }),
                ("flush", { try db.flush() }),
                ("snapshot", { _ = try db.snapshot() }),
            ]
            for (name, operation) in operations {
                let error = #expect(throws: StorageError.self, "\(name)") { try operation() }
                #expect(error?.code == .closed, "\(name)")
                #expect(error?.path == path, "\(name)")
            }
        }
    }

    @Test func closingWhileOtherThreadsReadAndWriteNeverCrashes() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let db = try RocksDatabase.open(path: dir + "/db", options: .small)
            let cf = db.defaultColumnFamily
            try db.put(b("k"), b("v"), in: cf)
            let results = await withTaskGroup(of: (ok: Int, closed: Int).self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var counts = (ok: 0, closed: 0)
                        for i in 0..<2_000 {
                            do {
                                try db.put(b("w\(worker)-\(i)"), b("v"), in: cf)
                                _ = try db.get(b("k"), in: cf)
                                _ = try db.entries(in: cf, limit: 5)
                                counts.ok += 1
                            } catch let error as StorageError {
                                if error.code == .closed { counts.closed += 1 } else { Issue.record("\(error)") }
                            } catch {
                                Issue.record("\(error)")
                            }
                        }
                        return counts
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(20))
                    db.close()
                    return (0, 0)
                }
                return await group.reduce(into: (ok: 0, closed: 0)) { $0.ok += $1.ok; $0.closed += $1.closed }
            }
            #expect(results.ok + results.closed == 8_000)
            #expect(db.isClosed)
        }
    }

    /// A database with one flushed SST file, closed again; returns its path.
    private func makeFlushedDatabase(in dir: String) throws -> String {
        let path = dir + "/db"
        let db = try RocksDatabase.open(path: path, options: .small)
        defer { db.close() }
        for i in 0..<500 { try db.put(b("key-\(i)"), Array(repeating: UInt8(i % 251), count: 100), in: db.defaultColumnFamily) }
        try db.flush()
        return path
    }
}

/// `withTemporaryDirectory` for async bodies.
func withTemporaryDirectoryAsync<R>(_ body: (String) async throws -> R) async throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}
