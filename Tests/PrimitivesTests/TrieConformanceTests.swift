import Foundation
import Testing
import TestSupport
@testable import Primitives

/// ethereum/tests TrieTests, run through both the from-scratch root functions and the
/// incremental trie (committing after every operation, and reopening from the store halfway).
struct TrieConformanceTests {
    /// Files and whether their keys are hashed (secure trie).
    static let files: [(name: String, secure: Bool)] = [
        ("trietest.json", false),
        ("trieanyorder.json", false),
        ("trietest_secureTrie.json", true),
        ("trieanyorder_secureTrie.json", true),
        ("hex_encoded_securetrie_test.json", true),
    ]

    /// Cases that are not run, with the reason.
    static let excluded: [(file: String, reason: String)] = [
        ("trietestnextprev.json", "no roots: it tests iteration to the next/previous key, which the trie does not offer"),
    ]

    /// One step of a case: set `key` to `value`, or delete it when `value` is nil.
    typealias Operation = (key: [UInt8], value: [UInt8]?)

    @Test func passesEveryCase() throws {
        var executed = 0
        for file in Self.files {
            let url = FixtureLocation.url("ethereum-tests/TrieTests/\(file.name)")
            let cases = try #require(Fixtures.json(at: url) as? [String: [String: Any]])
            for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
                let expected = try Hash32(hex: try #require(body["root"] as? String))
                let label = "\(file.name)/\(name)"
                if let list = body["in"] as? [[Any]] {
                    let operations = try list.map { pair -> Operation in
                        (try Self.bytes(pair[0]), pair[1] is NSNull ? nil : try Self.bytes(pair[1]))
                    }
                    try Self.check(operations, secure: file.secure, expected: expected, label: label)
                } else {
                    let map = try #require(body["in"] as? [String: Any])
                    let operations = try map.map { key, value -> Operation in
                        (try Self.bytes(key), value is NSNull ? nil : try Self.bytes(value))
                    }
                    // Any order: sorted, reversed and shuffled must all give the root.
                    let sorted = operations.sorted { $0.key.lexicographicallyPrecedes($1.key) }
                    var generator = SplitMix64(seed: 0x7e1e)
                    for order in [sorted, sorted.reversed(), sorted.shuffled(using: &generator)] {
                        try Self.check(order, secure: file.secure, expected: expected, label: label)
                    }
                }
                executed += 1
            }
        }
        let excludedCount = try Self.excluded.reduce(0) { n, entry in
            let url = FixtureLocation.url("ethereum-tests/TrieTests/\(entry.file)")
            return n + (try #require(Fixtures.json(at: url) as? [String: Any])).count
        }
        #expect(executed == 5 + 7 + 3 + 7 + 3)
        #expect(excludedCount == 1)
        for entry in Self.excluded { print("conformance: TrieTests: excluded \(entry.file): \(entry.reason)") }
        Fixtures.report(suite: "TrieTests", executed: executed, excluded: excludedCount)
    }

    /// Applies `operations` in order and compares with `expected`: from scratch on the final key
    /// set; incrementally with a commit after every operation (each intermediate root checked
    /// against the from-scratch root of the keys so far); and incrementally with one commit
    /// halfway, the trie reopened from an in-memory store at that root.
    static func check(_ operations: [Operation], secure: Bool, expected: Hash32, label: String) throws {
        func scratchRoot(_ state: [[UInt8]: [UInt8]]) -> Hash32 {
            let pairs = state.map { (key: $0.key, value: $0.value) }
            return secure ? secureTrieRoot(of: pairs) : trieRoot(of: pairs)
        }

        // From scratch.
        var state: [[UInt8]: [UInt8]] = [:]
        for op in operations { state[op.key] = op.value }
        #expect(scratchRoot(state) == expected, "\(label): from scratch")
        if operations.allSatisfy({ $0.value != nil }) {
            let pairs = operations.map { (key: $0.key, value: $0.value!) }
            #expect((secure ? secureTrieRoot(of: pairs) : trieRoot(of: pairs)) == expected,
                    "\(label): from scratch, later duplicates win")
        }

        // Incremental, committing after every operation.
        let store = InMemoryTrieNodeStore()
        var trie = TestTrie(secure: secure, store: store)
        state = [:]
        var root = Hash32.emptyTrieRoot
        for op in operations {
            try trie.apply(op)
            state[op.key] = op.value
            let (newRoot, nodes) = trie.commit()
            store.write(nodes)
            root = newRoot
            #expect(root == scratchRoot(state), "\(label): incremental, after setting \(op.key)")
        }
        #expect(root == expected, "\(label): incremental")

        // Incremental, committing once halfway and reopening from the store.
        let store2 = InMemoryTrieNodeStore()
        var first = TestTrie(secure: secure, store: store2)
        let half = operations.count / 2
        for op in operations[..<half] { try first.apply(op) }
        let (midRoot, midNodes) = first.commit()
        store2.write(midNodes)
        var second = TestTrie(secure: secure, root: midRoot, store: store2)
        for op in operations[half...] { try second.apply(op) }
        #expect(second.commit().root == expected, "\(label): incremental, reopened halfway")
        for op in operations where state[op.key] != nil {
            #expect(try second.get(op.key) == state[op.key], "\(label): get after reopening")
        }
    }

    /// `0x`-prefixed strings are hex bytes, other strings UTF-8.
    static func bytes(_ json: Any) throws -> [UInt8] {
        guard let s = json as? String else { throw FixtureError.malformed("\(json)") }
        return s.hasPrefix("0x") ? try Fixtures.bytes(s) : Array(s.utf8)
    }
}

/// A plain or secure trie behind one interface, for tests that run both.
struct TestTrie {
    var plain: MerklePatriciaTrie<InMemoryTrieNodeStore>?
    var secure: SecureTrie<InMemoryTrieNodeStore>?

    init(secure isSecure: Bool, root: Hash32 = .emptyTrieRoot, store: InMemoryTrieNodeStore) {
        if isSecure { secure = SecureTrie(root: root, store: store) } else { plain = MerklePatriciaTrie(root: root, store: store) }
    }

    mutating func apply(_ op: TrieConformanceTests.Operation) throws {
        if let value = op.value {
            if secure != nil { try secure!.insert(op.key, value: value) } else { try plain!.insert(op.key, value: value) }
        } else {
            if secure != nil { try secure!.delete(op.key) } else { try plain!.delete(op.key) }
        }
    }

    func get(_ key: [UInt8]) throws -> [UInt8]? {
        try secure?.get(key) ?? plain?.get(key)
    }

    mutating func commit() -> (root: Hash32, newNodes: [Hash32: [UInt8]]) {
        secure != nil ? secure!.commit() : plain!.commit()
    }
}
