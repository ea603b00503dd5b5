import Foundation
import Testing
@testable import Storage

@Suite struct ReadWriteTests {
    @Test func putGetDeleteRoundTripInEachColumnFamily() throws {
        try withDatabase(columnFamilies: ["headers", "state"]) { db, _ in
            for name in ["default", "headers", "state"] {
                let cf = try db.columnFamily(named: name)
                try db.put(b("key"), b("value-\(name)"), in: cf)
                #expect(try db.get(b("key"), in: cf) == b("value-\(name)"))
                #expect(try db.exists(b("key"), in: cf))
                try db.put(b("key"), b("replaced"), in: cf, sync: true)
                #expect(try db.get(b("key"), in: cf) == b("replaced"))
                try db.delete(b("key"), in: cf)
                #expect(try db.get(b("key"), in: cf) == nil)
                #expect(try !db.exists(b("key"), in: cf))
            }
        }
    }

    /// Size properties (what the node's metrics export) grow once data reaches SST files;
    /// an unknown property or a closed database gives nil.
    @Test func integerPropertiesSumOverColumnFamilies() throws {
        try withDatabase(columnFamilies: ["a", "b"]) { db, _ in
            #expect(db.integerProperty("rocksdb.total-sst-files-size") == 0)
            for name in ["a", "b"] {
                let cf = try db.columnFamily(named: name)
                for i in 0..<2_000 { try db.put(b("key-\(i)"), [UInt8](repeating: UInt8(i & 0xff), count: 100), in: cf) }
            }
            try db.flush()
            let files = try #require(db.integerProperty("rocksdb.total-sst-files-size"))
            #expect(files > 2 * 2_000 * 10)  // some compression, but not to nothing
            #expect((db.integerProperty("rocksdb.estimate-live-data-size") ?? 0) > 0)
            #expect(db.integerProperty("rocksdb.estimate-pending-compaction-bytes") != nil)
            #expect(db.integerProperty("rocksdb.no-such-property") == nil)
            db.close()
            #expect(db.integerProperty("rocksdb.total-sst-files-size") == nil)
        }
    }

    @Test func missingKeyIsNil() throws {
        try withDatabase { db, _ in
            #expect(try db.get(b("absent"), in: db.defaultColumnFamily) == nil)
            try db.delete(b("absent"), in: db.defaultColumnFamily)
        }
    }

    @Test func columnFamiliesAreIsolated() throws {
        try withDatabase(columnFamilies: ["a", "b"]) { db, _ in
            let a = try db.columnFamily(named: "a")
            let bcf = try db.columnFamily(named: "b")
            try db.put(b("k"), b("in-a"), in: a)
            #expect(try db.get(b("k"), in: bcf) == nil)
            #expect(try db.get(b("k"), in: db.defaultColumnFamily) == nil)
            try db.put(b("k"), b("in-b"), in: bcf)
            try db.delete(b("k"), in: a)
            #expect(try db.get(b("k"), in: bcf) == b("in-b"))
            #expect(try keys(db.entries(in: bcf)) == [b("k")])
            #expect(try db.entries(in: a).isEmpty)
        }
    }

    @Test func emptyKeysAndValuesAndBinaryBytesRoundTrip() throws {
        try withDatabase { db, _ in
            let cf = db.defaultColumnFamily
            try db.put([], b("empty key"), in: cf)
            try db.put(b("empty value"), [], in: cf)
            let binary: [UInt8] = [0, 0xFF, 0, 1, 0x80]
            try db.put(binary, binary.reversed(), in: cf)
            #expect(try db.get([], in: cf) == b("empty key"))
            #expect(try db.get(b("empty value"), in: cf) == [])
            #expect(try db.get(binary, in: cf) == binary.reversed())
        }
    }

    @Test func multiGetReturnsValuesInKeyOrder() throws {
        try withDatabase(columnFamilies: ["t"]) { db, _ in
            let cf = try db.columnFamily(named: "t")
            try db.put(b("one"), b("1"), in: cf)
            try db.put(b("three"), b("3"), in: cf)
            try db.put([], b("empty"), in: cf)
            let values = try db.multiGet([b("three"), b("two"), b("one"), [], b("three")], in: cf)
            #expect(values == [b("3"), nil, b("1"), b("empty"), b("3")])
            #expect(try db.multiGet([], in: cf).isEmpty)
        }
    }

    @Test func columnFamiliesAreCreatedAndReopenedByName() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            do {
                let db = try RocksDatabase.open(path: path, columnFamilies: ["x", "y", "x"], options: .small)
                #expect(db.columnFamilyNames == ["default", "x", "y"])
                try db.put(b("k"), b("v"), in: db.columnFamily(named: "y"))
                db.close()
            }
            // Reopening without naming them still opens (and keeps) existing families.
            let db = try RocksDatabase.open(path: path, options: .small)
            defer { db.close() }
            #expect(Set(db.columnFamilyNames) == ["default", "x", "y"])
            #expect(try db.get(b("k"), in: db.columnFamily(named: "y")) == b("v"))
        }
    }

    @Test func unknownColumnFamilyIsAnInvalidArgument() throws {
        try withDatabase(columnFamilies: ["known"]) { db, path in
            let error = #expect(throws: StorageError.self) { try db.columnFamily(named: "unknown") }
            #expect(error?.code == .invalidArgument)
            #expect(error?.description.contains("unknown") == true)
            #expect(error?.path == path)
        }
    }

    @Test func columnFamilyOfAnotherDatabaseIsRejected() throws {
        try withDatabase(columnFamilies: ["t"]) { first, _ in
            try withDatabase(columnFamilies: ["t"]) { second, _ in
                let foreign = try first.columnFamily(named: "t")
                let error = #expect(throws: StorageError.self) { try second.put(b("k"), b("v"), in: foreign) }
                #expect(error?.code == .invalidArgument)
                #expect(try first.get(b("k"), in: foreign) == nil)
            }
        }
    }

    @Test func invalidConfigurationIsRejectedBeforeOpening() throws {
        try withTemporaryDirectory { dir in
            var configuration = StorageConfiguration.small
            configuration.maxOpenFiles = 3
            let error = #expect(throws: StorageError.self) {
                try RocksDatabase.open(path: dir + "/db", options: configuration)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("maxOpenFiles") == true)
        }
    }

    @Test func parentDirectoriesAreCreated() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/a/b/c/db"
            let db = try RocksDatabase.open(path: path, options: .small)
            defer { db.close() }
            try db.put(b("k"), b("v"), in: db.defaultColumnFamily)
            #expect(try files(in: path).contains("CURRENT"))
        }
    }

    @Test func aFileInPlaceOfTheDatadirIsReported() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/not-a-dir"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            let error = #expect(throws: StorageError.self) { try RocksDatabase.open(path: path) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.description.contains(path) == true)
        }
    }
}
