extension TrieNode {
    /// Encodes a leaf: rlp([hexPrefix(path, leaf), value]).
    static func encodeLeaf(path: some Collection<UInt8>, value: some Collection<UInt8>) -> [UInt8] {
        var w = RLPWriter(capacity: value.count + path.count / 2 + 8)
        w.writeList { w in
            w.write(bytes: Nibbles.hexPrefix(path, isLeaf: true))
            w.write(bytes: value)
        }
        return w.bytes
    }

    /// Encodes an extension: rlp([hexPrefix(path, extension), child reference]).
    static func encodeExtension(path: some Collection<UInt8>, child: TrieNodeReference) -> [UInt8] {
        var w = RLPWriter(capacity: 40 + path.count / 2)
        w.writeList { w in
            w.write(bytes: Nibbles.hexPrefix(path, isLeaf: false))
            w.write(child)
        }
        return w.bytes
    }

    /// Encodes a branch: rlp([child 0, ..., child 15, value]); absent children and an absent value
    /// are empty strings.
    static func encodeBranch(children: [TrieNodeReference?], value: [UInt8]?) -> [UInt8] {
        var w = RLPWriter(capacity: 16 * 33 + 4)
        w.writeList { w in
            for child in children {
                if let child { w.write(child) } else { w.write(bytes: EmptyCollection<UInt8>()) }
            }
            w.write(bytes: value ?? [])
        }
        return w.bytes
    }

    /// The reference to a node with this encoding, as its parent writes it.
    static func reference(toEncoding encoding: [UInt8]) -> TrieNodeReference {
        encoding.count < 32 ? .inline(encoding) : .hash(Keccak.hash256(encoding))
    }

    /// Decodes a node loaded from the store under `hash` (or embedded in such a node).
    static func decode(_ bytes: [UInt8], reference: TrieNodeReference, storedAs hash: Hash32) throws(TrieError) -> TrieNode {
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            try outer.finish()
            switch try list.remainingCount() {
            case 2:
                guard let (path, isLeaf) = Nibbles.decodeHexPrefix(try list.readBytes()) else {
                    throw TrieError.malformedNode(hash)
                }
                if isLeaf {
                    let value = Array(try list.readBytes())
                    guard !value.isEmpty else { throw TrieError.malformedNode(hash) }
                    return .leaf(path: path, value: value, reference: reference)
                }
                let child = try decodeChild(&list, storedAs: hash)
                guard !path.isEmpty, !child.isEmpty else { throw TrieError.malformedNode(hash) }
                return .extension(path: path, child: child, reference: reference)
            case 17:
                var children = noChildren
                for i in 0..<16 { children[i] = try decodeChild(&list, storedAs: hash) }
                let value = try list.readBytes()
                return .branch(children: children, value: value.isEmpty ? nil : Array(value), reference: reference)
            default:
                throw TrieError.malformedNode(hash)
            }
        } catch let error as TrieError {
            throw error
        } catch {
            throw .malformedNode(hash)
        }
    }

    /// A child slot: the empty string, a 32-byte hash, or an embedded node shorter than 32 bytes.
    private static func decodeChild(_ list: inout RLPReader, storedAs hash: Hash32) throws -> TrieNode {
        if try list.nextIsList() {
            let embedded = Array(try list.readEncoded())
            guard embedded.count < 32 else { throw TrieError.malformedNode(hash) }
            return try decode(embedded, reference: .inline(embedded), storedAs: hash)
        }
        let bytes = try list.readBytes()
        switch bytes.count {
        case 0: return .empty
        case 32: return .stored(Hash32(bytes))
        default: throw TrieError.malformedNode(hash)
        }
    }
}

extension RLPWriter {
    /// Writes a child reference: a 32-byte string, or the embedded node's encoding as it is.
    mutating func write(_ reference: TrieNodeReference) {
        switch reference {
        case .hash(let hash): write(hash)
        case .inline(let encoding): write(encoded: encoding)
        }
    }
}
