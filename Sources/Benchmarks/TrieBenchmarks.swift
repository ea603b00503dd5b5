import Primitives

/// The state trie at scale: 1,000,000 accounts in an in-memory node store, then blocks of
/// 3,000 account writes (2,000 updates, 1,000 new accounts), each on a trie freshly opened at
/// the previous root, as the engine does per block.
enum TrieBenchmarks {
    static func account(_ i: UInt64, nonce: UInt64) -> [UInt8] {
        var w = RLPWriter(capacity: 80)
        w.writeList { w in
            w.write(nonce)
            w.write(U256(i &* 1_000_000_007))
            w.write(Hash32.emptyTrieRoot)
            w.write(Hash32.emptyCodeHash)
        }
        return w.bytes
    }

    static func address(_ i: UInt64) -> Address {
        Address(lastBytesOf: Keccak.hash256(withUnsafeBytes(of: i.bigEndian) { Array($0) }))
    }

    static func run(accounts: Int = 1_000_000, blocks: Int = 5) {
        let clock = ContinuousClock()
        let store = InMemoryTrieNodeStore()
        var root = Hash32.emptyTrieRoot
        let batch = 50_000
        let start = clock.now
        for first in stride(from: 0, to: accounts, by: batch) {
            var trie = SecureTrie(root: root, store: store)
            for i in first..<min(first + batch, accounts) {
                try! trie.insert(address(UInt64(i)), value: account(UInt64(i), nonce: 0))
            }
            let (newRoot, nodes) = trie.commit()
            store.write(nodes)
            root = newRoot
        }
        report("trie: build \(accounts) accounts (batches of \(batch))", seconds(start.duration(to: clock.now)), unit: "s", decimals: 2)
        report("trie: nodes in the store", Double(store.count), unit: "nodes", decimals: 0)

        var rng = UInt64(0x5eed)
        var next = UInt64(accounts)
        for block in 0..<blocks {
            let t0 = clock.now
            var trie = SecureTrie(root: root, store: store)
            for _ in 0..<2_000 {
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                let i = (rng >> 33) % UInt64(accounts)
                try! trie.insert(address(i), value: account(i, nonce: UInt64(block) + 1))
            }
            for _ in 0..<1_000 {
                try! trie.insert(address(next), value: account(next, nonce: 0))
                next += 1
            }
            let (newRoot, nodes) = trie.commit()
            let elapsed = seconds(t0.duration(to: clock.now))
            store.write(nodes)
            root = newRoot
            report("trie: block \(block): 3,000 account writes + commit", elapsed * 1000, unit: "ms")
            report("trie: block \(block): new nodes", Double(nodes.count), unit: "nodes", decimals: 0)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
