// Trie roots computed from scratch, in memory, without a node store. They build the trie
// bottom-up from the sorted keys: a different algorithm from the incremental
// `MerklePatriciaTrie`, so tests can check one against the other.

/// The root of the trie holding `values[i]` under the key rlp(i): the transactions root and the
/// receipts root of a block, with `values` the EIP-2718 encodings.
public func orderedTrieRoot(_ values: [[UInt8]]) -> Hash32 {
    var pairs: [(key: [UInt8], value: [UInt8])] = []
    pairs.reserveCapacity(values.count)
    for (i, value) in values.enumerated() {
        var w = RLPWriter()
        w.write(UInt64(i))
        pairs.append((w.bytes, value))
    }
    return trieRoot(of: pairs)
}

/// The root of the trie holding these key/value pairs. When a key appears more than once the
/// last pair wins; empty values are not stored (an empty value means "absent").
public func trieRoot(of pairs: [(key: [UInt8], value: [UInt8])]) -> Hash32 {
    var latest: [[UInt8]: [UInt8]] = [:]
    latest.reserveCapacity(pairs.count)
    for (key, value) in pairs { latest[key] = value }
    var entries: [(path: [UInt8], value: [UInt8])] = []
    entries.reserveCapacity(latest.count)
    for (key, value) in latest where !value.isEmpty { entries.append((Nibbles.of(key), value)) }
    guard !entries.isEmpty else { return .emptyTrieRoot }
    entries.sort { $0.path.lexicographicallyPrecedes($1.path) }
    return Keccak.hash256(TrieBuilder.encode(entries[...], depth: 0))
}

/// The root of the trie holding these pairs under keccak256(key) (Ethereum's secure trie).
public func secureTrieRoot(of pairs: [(key: [UInt8], value: [UInt8])]) -> Hash32 {
    trieRoot(of: pairs.map { (Keccak.hash256($0.key).bytes, $0.value) })
}

/// Bottom-up construction over sorted, distinct nibble paths.
enum TrieBuilder {
    /// The encoding of the node holding `entries`, all of which share their first `depth` nibbles.
    static func encode(_ entries: ArraySlice<(path: [UInt8], value: [UInt8])>, depth: Int) -> [UInt8] {
        let first = entries[entries.startIndex], last = entries[entries.endIndex - 1]
        if entries.count == 1 {
            return TrieNode.encodeLeaf(path: first.path[depth...], value: first.value)
        }
        // Sorted paths: the common prefix of the first and the last is that of all.
        let common = Nibbles.commonPrefixLength(first.path[depth...], last.path[depth...])
        if common > 0 {
            let child = encode(entries, depth: depth + common)
            return TrieNode.encodeExtension(path: first.path[depth..<(depth + common)],
                                            child: TrieNode.reference(toEncoding: child))
        }
        var children = [TrieNodeReference?](repeating: nil, count: 16)
        var value: [UInt8]?
        var i = entries.startIndex
        if first.path.count == depth {  // a key that ends here sorts first
            value = first.value
            i += 1
        }
        while i < entries.endIndex {
            let nibble = entries[i].path[depth]
            var j = i + 1
            while j < entries.endIndex && entries[j].path[depth] == nibble { j += 1 }
            children[Int(nibble)] = TrieNode.reference(toEncoding: encode(entries[i..<j], depth: depth + 1))
            i = j
        }
        return TrieNode.encodeBranch(children: children, value: value)
    }
}
