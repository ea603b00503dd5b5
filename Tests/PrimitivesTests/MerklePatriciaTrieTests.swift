import Testing
import TestSupport
@testable import Primitives

/// A store that counts reads, and can be told to fail.
final class CountingStore: TrieNodeStore, @unchecked Sendable {
    // Safety: used by one test at a time, from one thread.
    let inner = InMemoryTrieNodeStore()
    var reads = 0
    var failing = false

    struct Failure: Error {}

    func node(_ hash: Hash32) throws -> [UInt8]? {
        if failing { throw Failure() }
        reads += 1
        return try inner.node(hash)
    }
}

struct MerklePatriciaTrieTests {
    @Test func knowsTheEmptyRootsAndHashes() {
        #expect(Hash32.emptyTrieRoot == Keccak.hash256([0x80]))
        #expect(Hash32.emptyTrieRoot.hex == "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
        #expect(Hash32.emptyOmmersHash == Keccak.hash256([0xc0]))
        #expect(Hash32.emptyCodeHash.hex == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(orderedTrieRoot([]) == .emptyTrieRoot)
        #expect(trieRoot(of: []) == .emptyTrieRoot)
        var trie = MerklePatriciaTrie(store: InMemoryTrieNodeStore())
        let (root, nodes) = trie.commit()
        #expect(root == .emptyTrieRoot && nodes.isEmpty)
    }

    @Test func encodesPathsWithTheHexPrefix() {
        #expect(Nibbles.hexPrefix([1, 2, 3, 4, 5], isLeaf: false) == [0x11, 0x23, 0x45])
        #expect(Nibbles.hexPrefix([0, 1, 2, 3, 4, 5], isLeaf: false) == [0x00, 0x01, 0x23, 0x45])
        #expect(Nibbles.hexPrefix([0, 0x0f, 1, 0x0c, 0x0b, 8], isLeaf: true) == [0x20, 0x0f, 0x1c, 0xb8])
        #expect(Nibbles.hexPrefix([0x0f, 1, 0x0c, 0x0b, 8], isLeaf: true) == [0x3f, 0x1c, 0xb8])
        #expect(Nibbles.hexPrefix([UInt8](), isLeaf: true) == [0x20])
        for path: [UInt8] in [[], [7], [1, 2], [0, 1, 2], [15, 15, 15, 15]] {
            for leaf in [false, true] {
                let decoded = Nibbles.decodeHexPrefix(Nibbles.hexPrefix(path, isLeaf: leaf)[...])
                #expect(decoded?.path == path && decoded?.isLeaf == leaf)
            }
        }
        #expect(Nibbles.decodeHexPrefix([0x01][...]) == nil, "even flag with a nonzero pad nibble")
        #expect(Nibbles.decodeHexPrefix([0x40][...]) == nil, "flag above 3")
    }

    @Test func computesTheOrderedRootLikeTheIncrementalTrie() throws {
        // Keys are rlp(i): 0x80, 0x01, ..., 0x7f, 0x8180, ...
        let values = (0..<300).map { [UInt8](repeating: UInt8($0 % 251), count: 1 + $0 % 70) }
        var trie = MerklePatriciaTrie(store: InMemoryTrieNodeStore())
        for (i, v) in values.enumerated() {
            var w = RLPWriter()
            w.write(UInt64(i))
            try trie.insert(w.bytes, value: v)
        }
        #expect(trie.commit().root == orderedTrieRoot(values))
    }

    @Test func getsWhatWasInsertedAndNothingElse() throws {
        let store = InMemoryTrieNodeStore()
        var trie = MerklePatriciaTrie(store: store)
        try trie.insert(Array("dog".utf8), value: Array("puppy".utf8))
        try trie.insert(Array("doge".utf8), value: Array("coin".utf8))
        try trie.insert(Array("do".utf8), value: Array("verb".utf8))
        #expect(try trie.get(Array("dog".utf8)) == Array("puppy".utf8))
        #expect(try trie.get(Array("do".utf8)) == Array("verb".utf8))
        #expect(try trie.get(Array("d".utf8)) == nil)
        #expect(try trie.get(Array("dogs".utf8)) == nil)
        #expect(try trie.get(Array("cat".utf8)) == nil)
        let (root, nodes) = trie.commit()
        store.write(nodes)
        let reopened = MerklePatriciaTrie(root: root, store: store)
        #expect(try reopened.get(Array("doge".utf8)) == Array("coin".utf8))
        #expect(try reopened.get(Array("dogs".utf8)) == nil)
    }

    @Test func treatsAnEmptyValueAsADeletion() throws {
        var trie = MerklePatriciaTrie(store: InMemoryTrieNodeStore())
        try trie.insert([1, 2], value: [3])
        try trie.insert([1, 3], value: [4])
        try trie.insert([1, 2], value: [])
        #expect(try trie.get([1, 2]) == nil)
        #expect(trie.commit().root == trieRoot(of: [(key: [1, 3], value: [4])]))
    }

    @Test func reportsAMissingNodeAndStaysUsableAfterAStoreFailure() throws {
        let store = CountingStore()
        var trie = MerklePatriciaTrie(store: store)
        for i in 0..<64 { try trie.insert(Keccak.hash256([UInt8(i)]).bytes, value: [UInt8](repeating: UInt8(i), count: 40)) }
        let (root, nodes) = trie.commit()
        store.inner.write(nodes)

        let unknown = Keccak.hash256([0xff, 0xee])
        #expect(throws: TrieError.missingNode(unknown)) {
            try MerklePatriciaTrie(root: unknown, store: store).get([1])
        }

        var reopened = MerklePatriciaTrie(root: root, store: store)
        try reopened.insert(Keccak.hash256([UInt8(1)]).bytes, value: [9])
        store.failing = true
        // Inserting, deleting and reading elsewhere need nodes the store cannot give now.
        #expect(throws: CountingStore.Failure.self) { try reopened.insert(Keccak.hash256([UInt8(2)]).bytes, value: [9]) }
        #expect(throws: CountingStore.Failure.self) { try reopened.delete(Keccak.hash256([UInt8(3)]).bytes) }
        store.failing = false
        try reopened.delete(Keccak.hash256([UInt8(3)]).bytes)
        var expected = (0..<64).map { (key: Keccak.hash256([UInt8($0)]).bytes, value: [UInt8](repeating: UInt8($0), count: 40)) }
        expected[1].value = [9]
        expected.remove(at: 3)
        #expect(reopened.commit().root == trieRoot(of: expected))
    }

    @Test func rejectsMalformedStoredNodes() throws {
        let bogus: [[UInt8]] = [
            [0xc0],                                   // a list of 0 items
            [0xc3, 0x82, 0x20, 0x01],                 // a list of 1 item
            RLP.encode(.list([.bytes([0x20]), .bytes([])])),  // a leaf with an empty value
            RLP.encode(.list([.bytes([0x00]), .bytes([1, 2, 3])])),  // extension child neither hash nor node
            RLP.encode(.list([.bytes([0x50]), .bytes([1])])),  // bad hex-prefix flag
            RLP.encode(.list(Array(repeating: .bytes([7]), count: 17))),  // branch child of 1 byte
        ]
        for node in bogus {
            let hash = Keccak.hash256(node)
            let store = InMemoryTrieNodeStore([hash: node])
            #expect(throws: TrieError.malformedNode(hash)) {
                try MerklePatriciaTrie(root: hash, store: store).get([0x12])
            }
        }
    }

    /// Updating a few keys of a large stored trie reads and writes nodes only along their paths.
    @Test func costsInProportionToTheUpdatesNotTheTrie() throws {
        let store = CountingStore()
        var trie = MerklePatriciaTrie(store: store)
        let count = 20_000
        func key(_ i: Int) -> [UInt8] { Keccak.hash256(withUnsafeBytes(of: UInt64(i)) { Array($0) }).bytes }
        func account(_ i: Int, _ version: UInt8) -> [UInt8] {
            var w = RLPWriter()
            w.writeList { w in
                w.write(UInt64(i)); w.write(U256(UInt64(i) * 1_000_000_007)); w.write(Hash32.emptyTrieRoot)
                w.write(Hash32.emptyCodeHash); w.write(UInt64(version))
            }
            return w.bytes
        }
        for i in 0..<count { try trie.insert(key(i), value: account(i, 0)) }
        let (root, nodes) = trie.commit()
        store.inner.write(nodes)
        #expect(store.reads == 0)

        var block = MerklePatriciaTrie(root: root, store: store)
        let updated = stride(from: 0, to: count, by: 200).map { $0 }  // 100 updates
        for i in updated { try block.insert(key(i), value: account(i, 1)) }
        for i in 0..<20 { try block.delete(key(count - 1 - i * 7)) }
        let (newRoot, newNodes) = block.commit()
        // Depth is about log16(20,000) + 1 = 5 levels: each change touches at most that many
        // nodes, plus a sibling when a deletion collapses a branch.
        let changes = updated.count + 20
        #expect(store.reads <= changes * 6, "read \(store.reads) nodes for \(changes) changes")
        #expect(newNodes.count <= changes * 5, "wrote \(newNodes.count) nodes for \(changes) changes")
        print("trie: \(count) keys, \(changes) changes: \(store.reads) nodes read, \(newNodes.count) written")

        var expected = (0..<count).map { (key: key($0), value: account($0, 0)) }
        for i in updated { expected[i].value = account(i, 1) }
        for i in 0..<20 { expected[count - 1 - i * 7].value = [] }
        #expect(newRoot == trieRoot(of: expected))
    }

    @Test func keepsCopiesIndependent() throws {
        var a = MerklePatriciaTrie(store: InMemoryTrieNodeStore())
        try a.insert([1], value: [1])
        try a.insert([2], value: [2])
        _ = a.commit()
        var b = a
        try b.insert([3], value: [3])
        try b.delete([1])
        #expect(try a.get([1]) == [1] && a.get([3]) == nil)
        #expect(a.commit().root == trieRoot(of: [(key: [1], value: [1]), (key: [2], value: [2])]))
        #expect(b.commit().root == trieRoot(of: [(key: [2], value: [2]), (key: [3], value: [3])]))
    }

    @Test func deletingEverythingGivesTheEmptyRoot() throws {
        let store = InMemoryTrieNodeStore()
        var trie = MerklePatriciaTrie(store: store)
        var rng = SplitMix64(seed: 99)
        let keys = (0..<500).map { i -> [UInt8] in rng.bytes(1 + i % 6) }
        for k in keys { try trie.insert(k, value: rng.bytes(1 + Int(rng.next() % 50))) }
        let (root, nodes) = trie.commit()
        store.write(nodes)
        #expect(root != .emptyTrieRoot)
        var reopened = MerklePatriciaTrie(root: root, store: store)
        for k in keys.shuffled(using: &rng) { try reopened.delete(k) }
        #expect(reopened.commit().root == .emptyTrieRoot)
        for k in keys { try trie.delete(k) }
        let emptied = trie.commit()
        #expect(emptied.root == .emptyTrieRoot && emptied.newNodes.isEmpty)

        var secure = SecureTrie(store: store)
        try secure.insert(Address.zero, value: [1])
        try secure.insert(Array("x".utf8), value: [2])
        #expect(try secure.get(Address.zero) == [1])
        try secure.delete(Address.zero)
        try secure.delete(Array("x".utf8))
        #expect(secure.commit().root == .emptyTrieRoot)
    }

    /// 200 rounds of random inserts, updates and deletes; after each round the committed root
    /// equals the from-scratch root of the same key set. The trie is reopened from the store every
    /// few rounds, so later rounds load their nodes lazily; some keys share long prefixes so that
    /// extensions are split and merged.
    @Test(arguments: [false, true])
    func matchesTheFromScratchRootAfterRandomRounds(secure: Bool) async throws {
        let seed = SplitMix64.seedFromEnvironment(default: 0x5EED_7E1E)
        print("MerklePatriciaTrieTests random rounds (secure: \(secure)) seed \(seed) (replay with RN_TEST_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let store = InMemoryTrieNodeStore()
        var trie = TestTrie(secure: secure, store: store)
        var model: [[UInt8]: [UInt8]] = [:]
        let prefixes: [[UInt8]] = [[], [0xab], [0xab, 0xcd], [0xab, 0xcd, 0xef, 0x01], [0x12, 0x30]]

        func randomKey() -> [UInt8] {
            if !model.isEmpty && rng.next() % 3 == 0 { return model.keys.randomElement(using: &rng)! }
            let prefix = prefixes[Int(rng.next() % UInt64(prefixes.count))]
            return prefix + rng.bytes(Int(rng.next() % 4))
        }
        func randomValue() -> [UInt8] {
            // Short values give nodes under 32 bytes, which are embedded in their parent.
            rng.next() % 2 == 0 ? rng.bytes(1 + Int(rng.next() % 4)) : rng.bytes(1 + Int(rng.next() % 80))
        }

        for round in 0..<200 {
            await Task.yield()  // share the cooperative threads with the async tests alongside
            for _ in 0..<(1 + Int(rng.next() % 12)) {
                let key = randomKey()
                if rng.next() % 10 < 4 {
                    try trie.apply((key, nil))
                    model[key] = nil
                } else {
                    let value = randomValue()
                    try trie.apply((key, value))
                    model[key] = value
                }
            }
            let (root, nodes) = trie.commit()
            store.write(nodes)
            let pairs = model.map { (key: $0.key, value: $0.value) }
            let expected = secure ? secureTrieRoot(of: pairs) : trieRoot(of: pairs)
            #expect(root == expected, "round \(round), \(model.count) keys, seed \(seed)")
            if root != expected { return }
            if round % 5 == 4 {
                trie = TestTrie(secure: secure, root: root, store: store)
            }
        }
        for (key, value) in model { #expect(try trie.get(key) == value) }
    }
}
