import Testing
@testable import Storage

@Suite struct IterationTests {
    /// Keys chosen so that byte order differs from numeric and from length order.
    static let sortedKeys: [[UInt8]] = [
        [], [0x00], [0x00, 0x00], [0x01], [0x01, 0xFF], [0x02], [0x7F], [0x80], [0xFF], [0xFF, 0x00], [0xFF, 0xFF],
    ]

    func filled(_ body: (RocksDatabase, ColumnFamily) throws -> Void) throws {
        try withDatabase(columnFamilies: ["t"]) { db, _ in
            let cf = try db.columnFamily(named: "t")
            for key in Self.sortedKeys.shuffled() { try db.put(key, key + [0xAA], in: cf) }
            try body(db, cf)
        }
    }

    @Test func fullIterationIsInLexicographicByteOrder() throws {
        try filled { (db, cf) throws in
            let entries = try db.entries(in: cf)
            #expect(entries.map(\.key) == Self.sortedKeys)
            #expect(entries.allSatisfy { $0.value == $0.key + [0xAA] })
            #expect(try keys(db.entries(in: cf, reverse: true)) == Self.sortedKeys.reversed())
        }
    }

    @Test func rangeStartIsInclusiveAndEndIsExclusive() throws {
        try filled { (db, cf) throws in
            #expect(try keys(db.entries(in: cf, from: [0x01], to: [0x7F])) == [[0x01], [0x01, 0xFF], [0x02]])
            #expect(try keys(db.entries(in: cf, from: [0x01, 0x00], to: [0x80, 0x00]))
                == [[0x01, 0xFF], [0x02], [0x7F], [0x80]])
            #expect(try keys(db.entries(in: cf, from: [0xFF])) == [[0xFF], [0xFF, 0x00], [0xFF, 0xFF]])
            #expect(try keys(db.entries(in: cf, to: [0x00, 0x00])) == [[], [0x00]])
            #expect(try keys(db.entries(in: cf, from: [0x01], limit: 2)) == [[0x01], [0x01, 0xFF]])
        }
    }

    @Test func reverseIterationWalksTheSameRangeBackwards() throws {
        try filled { (db, cf) throws in
            #expect(try keys(db.entries(in: cf, from: [0x01], to: [0x7F], reverse: true))
                == [[0x02], [0x01, 0xFF], [0x01]])
            #expect(try keys(db.entries(in: cf, from: [0x01, 0x00], to: [0x80, 0x00], reverse: true))
                == [[0x80], [0x7F], [0x02], [0x01, 0xFF]])
            #expect(try keys(db.entries(in: cf, from: [0xFF, 0x00], reverse: true)) == [[0xFF, 0xFF], [0xFF, 0x00]])
        }
    }

    @Test func lastEntryBeforeKeyIsTheGreatestSmallerKey() throws {
        try filled { (db, cf) throws in
            #expect(try db.lastEntry(in: cf, before: [0x7F])?.key == [0x02])
            #expect(try db.lastEntry(in: cf, before: [0x7E, 0xFF])?.key == [0x02])
            #expect(try db.lastEntry(in: cf, before: [0x7F, 0x00])?.key == [0x7F])  // "at or below 0x7F"
            #expect(try db.lastEntry(in: cf, before: [0x00])?.key == [])
            #expect(try db.lastEntry(in: cf, before: []) == nil)
            #expect(try db.lastEntry(in: cf)?.key == [0xFF, 0xFF])
            #expect(try db.firstEntry(in: cf, from: [0x03])?.key == [0x7F])
            #expect(try db.firstEntry(in: cf)?.key == [])
        }
    }

    @Test func prefixIterationVisitsExactlyTheKeysWithThePrefix() throws {
        try withDatabase { db, _ in
            let cf = db.defaultColumnFamily
            let stored: [[UInt8]] = [b("acc"), b("acc/1"), b("acc/2"), b("acc0"), b("acb"), b("ac"), b("blk/1"),
                                   [0xFF], [0xFF, 0x01], [0xFF, 0xFF, 0x02]]
            for key in stored { try db.put(key, [1], in: cf) }
            #expect(try keys(db.entries(in: cf, prefix: b("acc/"))) == [b("acc/1"), b("acc/2")])
            #expect(try keys(db.entries(in: cf, prefix: b("acc"))) == [b("acc"), b("acc/1"), b("acc/2"), b("acc0")])
            #expect(try keys(db.entries(in: cf, prefix: b("acc"), reverse: true))
                == [b("acc0"), b("acc/2"), b("acc/1"), b("acc")])
            #expect(try keys(db.entries(in: cf, prefix: [0xFF])) == [[0xFF], [0xFF, 0x01], [0xFF, 0xFF, 0x02]])
            #expect(try keys(db.entries(in: cf, prefix: [0xFF, 0xFF], reverse: true)) == [[0xFF, 0xFF, 0x02]])
            #expect(try db.entries(in: cf, prefix: []).count == stored.count)
            #expect(try db.entries(in: cf, prefix: b("zz")).isEmpty)

            var visited: [[UInt8]] = []
            try db.forEach(in: cf, prefix: b("acc/")) { key, value in
                visited.append(key)
                #expect(value == [1])
                return true
            }
            #expect(visited == [b("acc/1"), b("acc/2")])
        }
    }

    @Test func prefixUpperBoundSkipsTrailingFFBytes() {
        #expect(prefixUpperBound([0x01, 0x02]) == [0x01, 0x03])
        #expect(prefixUpperBound([0x01, 0xFF]) == [0x02])
        #expect(prefixUpperBound([0xFF, 0xFF]) == nil)
        #expect(prefixUpperBound([]) == nil)
    }

    @Test(arguments: [
        (from: [UInt8]([0x05]), to: [UInt8]([0x05])),  // start == end
        (from: [0x06], to: [0x05]),                      // start > end
        (from: [0x03], to: [0x03, 0x00]),                // nothing stored inside
        (from: [], to: []),                              // nothing is below the empty key
    ])
    func emptyRangesVisitNothing(range: (from: [UInt8], to: [UInt8])) throws {
        try withDatabase { db, _ in
            let cf = db.defaultColumnFamily
            for key: UInt8 in [0x01, 0x02, 0x04, 0x05, 0x06] { try db.put([key], [key], in: cf) }
            #expect(try db.entries(in: cf, from: range.from, to: range.to).isEmpty)
            #expect(try db.entries(in: cf, from: range.from, to: range.to, reverse: true).isEmpty)
        }
    }

    @Test func emptyColumnFamilyVisitsNothing() throws {
        try withDatabase { (db, _) throws in
            #expect(try db.entries(in: db.defaultColumnFamily).isEmpty)
            #expect(try db.entries(in: db.defaultColumnFamily, reverse: true).isEmpty)
            #expect(try db.lastEntry(in: db.defaultColumnFamily) == nil)
        }
    }

    @Test func bodyCanStopEarlyAndItsErrorIsRethrown() throws {
        struct Stop: Error {}
        try filled { (db, cf) throws in
            var seen = 0
            try db.forEach(in: cf) { _, _ in
                seen += 1
                return seen < 3
            }
            #expect(seen == 3)

            seen = 0
            #expect(throws: Stop.self) {
                try db.forEach(in: cf, reverse: true) { _, _ in
                    seen += 1
                    if seen == 2 { throw Stop() }
                    return true
                }
            }
            #expect(seen == 2)
            // The database is still usable: the iterator was released.
            #expect(try db.entries(in: cf).count == Self.sortedKeys.count)
        }
    }

    @Test func iterationSkipsDeletedAndRangeDeletedKeys() throws {
        try withDatabase { db, _ in
            let cf = db.defaultColumnFamily
            for i: UInt8 in 0..<20 { try db.put([i], [i], in: cf) }
            try db.flush()
            try db.delete([3], in: cf)
            try db.deleteRange(from: [10], to: [15], in: cf)
            let expected: [UInt8] = Array(0..<3) + Array(4..<10) + Array(15..<20)
            #expect(try db.entries(in: cf).map { $0.key[0] } == expected)
            #expect(try db.entries(in: cf, reverse: true).map { $0.key[0] } == expected.reversed())
            #expect(try db.lastEntry(in: cf, before: [15])?.key == [9])
        }
    }

    @Test func snapshotSeesDataAsOfItsCreation() throws {
        try withDatabase(columnFamilies: ["t"]) { db, _ in
            let cf = try db.columnFamily(named: "t")
            try db.put(b("a"), b("1"), in: cf)
            try db.put(b("b"), b("1"), in: cf)
            let snapshot = try db.snapshot()
            try db.put(b("a"), b("2"), in: cf)
            try db.delete(b("b"), in: cf)
            try db.put(b("c"), b("2"), in: cf)

            #expect(try snapshot.get(b("a"), in: cf) == b("1"))
            #expect(try snapshot.multiGet([b("a"), b("b"), b("c")], in: cf) == [b("1"), b("1"), nil])
            #expect(try keys(snapshot.entries(in: cf)) == [b("a"), b("b")])
            #expect(try snapshot.lastEntry(in: cf)?.key == b("b"))
            #expect(try keys(db.entries(in: cf)) == [b("a"), b("c")])
            #expect(try db.get(b("a"), in: cf) == b("2"))
        }
    }

    @Test func snapshotReadsAfterCloseThrowClosed() throws {
        try withDatabase { db, _ in
            try db.put(b("k"), b("v"), in: db.defaultColumnFamily)
            let snapshot = try db.snapshot()
            db.close()
            let error = #expect(throws: StorageError.self) { try snapshot.get(b("k"), in: db.defaultColumnFamily) }
            #expect(error?.code == .closed)
            #expect(throws: StorageError.self) { try snapshot.entries(in: db.defaultColumnFamily) }
        }
    }
}
