import Testing
import TestSupport
@testable import Storage

@Suite struct RandomizedTests {
    @Test(arguments: [UInt64(1), 0xC0FFEE])
    func randomPutsAndDeletesMatchADictionary(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        try withTemporaryDirectory { dir in
            let path = dir + "/db"
            var db = try RocksDatabase.open(path: path, columnFamilies: ["t"], options: .small)
            defer { db.close() }
            var model: [[UInt8]: [UInt8]] = [:]

            func randomKey() -> [UInt8] {
                // Short keys over a small alphabet (including 0x00 and 0xFF) collide often,
                // so deletes and overwrites hit existing keys and prefixes nest.
                let alphabet: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]
                return (0..<Int.random(in: 0...4, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            }

            for step in 0..<2_000 {
                let cf = try db.columnFamily(named: "t")
                let key = randomKey()
                switch UInt8.random(in: 0..<10, using: &random) {
                case 0..<6:
                    let value = (0..<Int.random(in: 0...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                    try db.put(key, value, in: cf)
                    model[key] = value
                case 6..<9:
                    try db.delete(key, in: cf)
                    model[key] = nil
                default:
                    var end = randomKey()
                    var start = key
                    if end.lexicographicallyPrecedes(start) { swap(&start, &end) }
                    try db.deleteRange(from: start, to: end, in: cf)
                    for stored in model.keys where !stored.lexicographicallyPrecedes(start) && stored.lexicographicallyPrecedes(end) {
                        model[stored] = nil
                    }
                }
                if step == 1_000 {
                    // Halfway: push everything through an SST and reopen, so the rest runs
                    // against data spread over SST files, WAL and memtable.
                    try db.flush()
                    db.close()
                    db = try RocksDatabase.open(path: path, columnFamilies: ["t"], options: .small)
                }
            }

            let cf = try db.columnFamily(named: "t")
            let expected = model.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { KeyValue(key: $0.key, value: $0.value) }
            #expect(try db.entries(in: cf) == expected, "seed \(seed)")
            #expect(try db.entries(in: cf, reverse: true) == expected.reversed(), "seed \(seed)")
            for prefix: [UInt8] in [[0x00], [0xFF], [0x7F, 0x80], [0xFF, 0xFF]] {
                let expectedPrefix = expected.filter { $0.key.starts(with: prefix) }
                #expect(try db.entries(in: cf, prefix: prefix) == expectedPrefix, "seed \(seed) prefix \(prefix)")
            }
            let probes = (0..<50).map { _ in randomKey() }
            #expect(try db.multiGet(probes, in: cf) == probes.map { model[$0] }, "seed \(seed)")
        }
    }
}
