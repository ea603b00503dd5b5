import Testing
@testable import Storage

@Suite struct WriteBatchTests {
    @Test func reopeningKeepsCommittedBatch() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            do {
                let db = try RocksDatabase.open(path: path, columnFamilies: ["a", "b"], options: .small)
                defer { db.close() }
                try db.put(b("old"), b("gone"), in: db.columnFamily(named: "a"))
                var batch = WriteBatch()
                for i in 0..<100 {
                    batch.put(b("a\(i)"), b("\(i)"), in: try db.columnFamily(named: "a"))
                    batch.put(b("b\(i)"), b("\(i)"), in: try db.columnFamily(named: "b"))
                }
                batch.delete(b("old"), in: try db.columnFamily(named: "a"))
                #expect(batch.count == 201)
                try db.write(batch, sync: true)
            }
            let db = try RocksDatabase.open(path: path, columnFamilies: ["a", "b"], options: .small)
            defer { db.close() }
            let a = try db.columnFamily(named: "a")
            let bcf = try db.columnFamily(named: "b")
            #expect(try db.entries(in: a).count == 100)
            #expect(try db.entries(in: bcf).count == 100)
            #expect(try db.get(b("a42"), in: a) == b("42"))
            #expect(try db.get(b("old"), in: a) == nil)
        }
    }

    @Test func batchWithAnInvalidOperationWritesNothing() throws {
        try withDatabase(columnFamilies: ["t"]) { db, _ in
            let cf = try db.columnFamily(named: "t")
            var batch = WriteBatch()
            batch.put(b("first"), b("1"), in: cf)
            batch.deleteRange(from: b("z"), to: b("a"), in: cf)  // start > end
            batch.put(b("last"), b("2"), in: cf)
            let error = #expect(throws: StorageError.self) { try db.write(batch) }
            #expect(error?.code == .invalidArgument)
            #expect(try db.entries(in: cf).isEmpty)
        }
    }

    @Test func batchWithAForeignColumnFamilyWritesNothing() throws {
        try withDatabase(columnFamilies: ["t"]) { db, _ in
            try withDatabase(columnFamilies: ["t"]) { other, _ in
                var batch = WriteBatch()
                batch.put(b("mine"), b("1"), in: try db.columnFamily(named: "t"))
                batch.put(b("theirs"), b("2"), in: try other.columnFamily(named: "t"))
                #expect(throws: StorageError.self) { try db.write(batch) }
                #expect(try db.entries(in: db.columnFamily(named: "t")).isEmpty)
            }
        }
    }

    @Test func operationsApplyInOrder() throws {
        try withDatabase { db, _ in
            let cf = db.defaultColumnFamily
            var batch = WriteBatch()
            batch.put(b("k"), b("1"), in: cf)
            batch.delete(b("k"), in: cf)
            batch.put(b("k"), b("2"), in: cf)
            batch.put(b("gone"), b("x"), in: cf)
            batch.deleteRange(from: b("g"), to: b("h"), in: cf)
            try db.write(batch)
            #expect(try db.entries(in: cf) == [KeyValue(key: b("k"), value: b("2"))])
        }
    }

    @Test func deleteRangeRemovesHalfOpenRange() throws {
        try withDatabase(columnFamilies: ["t", "other"]) { db, _ in
            let cf = try db.columnFamily(named: "t")
            let other = try db.columnFamily(named: "other")
            for key in ["a", "b", "b0", "c", "d"] {
                try db.put(b(key), b(key), in: cf)
                try db.put(b(key), b(key), in: other)
            }
            var batch = WriteBatch()
            batch.deleteRange(from: b("b"), to: b("d"), in: cf)
            batch.deleteRange(from: b("a"), to: b("a"), in: cf)  // empty range: no-op
            try db.write(batch)
            #expect(try keys(db.entries(in: cf)) == [b("a"), b("d")])
            #expect(try db.entries(in: other).count == 5)

            try db.deleteRange(from: b("a"), to: b("b"), in: cf, sync: true)
            #expect(try keys(db.entries(in: cf)) == [b("d")])
            let error = #expect(throws: StorageError.self) { try db.deleteRange(from: b("b"), to: b("a"), in: cf) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func deleteRangeSurvivesFlushAndReopen() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            do {
                let db = try RocksDatabase.open(path: path, options: .small)
                defer { db.close() }
                for i in 0..<50 { try db.put([UInt8(i)], b("v"), in: db.defaultColumnFamily) }
                try db.flush()
                try db.deleteRange(from: [10], to: [40], in: db.defaultColumnFamily)
                try db.flush()
            }
            let db = try RocksDatabase.open(path: path, options: .small)
            defer { db.close() }
            let keys = try db.entries(in: db.defaultColumnFamily).map { $0.key[0] }
            #expect(keys == Array(0..<10) + Array(40..<50))
        }
    }

    @Test func emptyBatchIsANoOp() throws {
        try withDatabase { db, _ in
            var batch = WriteBatch()
            #expect(batch.isEmpty)
            try db.write(batch, sync: true)
            batch.put(b("k"), b("v"), in: db.defaultColumnFamily)
            batch.removeAll()
            try db.write(batch)
            #expect(try db.entries(in: db.defaultColumnFamily).isEmpty)
        }
    }
}
