/// Nibble paths and the hex-prefix encoding of trie node paths (yellow paper, appendix C).
///
/// A trie key of n bytes is a path of 2n nibbles, high nibble first. Paths are stored one nibble
/// per byte.
enum Nibbles {
    /// The nibbles of `bytes`, high nibble first.
    static func of<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(b >> 4)
            out.append(b & 0x0f)
        }
        return out
    }

    /// Hex-prefix encoding: a flag nibble (2 for a leaf, +1 for an odd length), padded with a zero
    /// nibble when the length is even, then the path nibbles packed two per byte.
    static func hexPrefix<C: Collection>(_ path: C, isLeaf: Bool) -> [UInt8] where C.Element == UInt8 {
        let odd = path.count % 2 == 1
        let flag: UInt8 = (isLeaf ? 2 : 0) + (odd ? 1 : 0)
        var out: [UInt8] = []
        out.reserveCapacity(path.count / 2 + 1)
        var it = path.makeIterator()
        if odd {
            out.append(flag << 4 | it.next()!)
        } else {
            out.append(flag << 4)
        }
        while let high = it.next(), let low = it.next() {
            out.append(high << 4 | low)
        }
        return out
    }

    /// Decodes a hex-prefix encoded path; nil when the flag nibble or the padding is invalid.
    static func decodeHexPrefix(_ bytes: ArraySlice<UInt8>) -> (path: [UInt8], isLeaf: Bool)? {
        guard let first = bytes.first else { return nil }
        let flag = first >> 4
        guard flag <= 3 else { return nil }
        let isLeaf = flag >= 2, odd = flag & 1 == 1
        var path: [UInt8] = []
        path.reserveCapacity(bytes.count * 2)
        if odd {
            path.append(first & 0x0f)
        } else if first & 0x0f != 0 {
            return nil
        }
        for b in bytes.dropFirst() {
            path.append(b >> 4)
            path.append(b & 0x0f)
        }
        return (path, isLeaf)
    }

    /// The length of the longest common prefix of `a` and `b`.
    static func commonPrefixLength<A: Collection, B: Collection>(_ a: A, _ b: B) -> Int
    where A.Element == UInt8, B.Element == UInt8 {
        var n = 0
        for (x, y) in zip(a, b) {
            guard x == y else { break }
            n += 1
        }
        return n
    }
}
