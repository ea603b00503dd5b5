import Primitives

/// The root of 10,000 random keys: the from-scratch functions (ordered trie keyed by rlp(index),
/// as for transactions and receipts; any-key trie) against the incremental trie (insert all,
/// commit), each timed over repeated runs.
enum TrieRootBenchmarks {
    static func run() {
        var rng = UInt64(0x1234_5678)
        func random(_ n: Int) -> [UInt8] {
            (0..<n).map { _ in
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: rng >> 33)
            }
        }
        let values = (0..<10_000).map { _ in random(100) }  // ~ a signed transfer's size
        let pairs = (0..<10_000).map { _ in (key: random(32), value: random(70)) }
        var acc: UInt64 = 0

        let ordered = measure(seconds: 2) { acc ^= orderedTrieRoot(values).w0 }
        report("trie root, 10,000 values, ordered (rlp(index) keys)", ordered.seconds / Double(ordered.operations) * 1000, unit: "ms")

        let scratch = measure(seconds: 2) { acc ^= trieRoot(of: pairs).w0 }
        report("trie root, 10,000 random 32-byte keys, from scratch", scratch.seconds / Double(scratch.operations) * 1000, unit: "ms")

        let incremental = measure(seconds: 2) {
            var trie = MerklePatriciaTrie(store: InMemoryTrieNodeStore())
            for p in pairs { try! trie.insert(p.key, value: p.value) }
            acc ^= trie.commit().root.w0
        }
        report("trie root, 10,000 random 32-byte keys, incremental", incremental.seconds / Double(incremental.operations) * 1000, unit: "ms")
        blackHole(acc)
    }
}
