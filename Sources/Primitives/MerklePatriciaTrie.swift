/// An incremental Merkle-Patricia trie (yellow paper, appendix D) over a node store.
///
/// The trie is opened at a root hash; nodes are loaded from the store lazily, only along the
/// paths that reads and writes touch, and kept in memory afterwards. Changes are held in memory
/// until `commit()`, which re-encodes and re-hashes only the changed paths and returns the new
/// root together with the nodes the caller must persist:
///
///     var trie = MerklePatriciaTrie(root: parent.stateRoot, store: store)
///     try trie.insert(key, value: account)
///     let (root, newNodes) = trie.commit()
///     // write newNodes to the store, in the same batch as the block
///
/// The cost of a batch of updates is proportional to the number of updates times the depth of
/// the trie, whatever the size of the trie in the store.
///
/// Keys are arbitrary byte strings (use `SecureTrie` for keys hashed with keccak256). An empty
/// value is not storable: inserting one deletes the key, as in other clients.
///
/// The trie is a value: copying it is cheap and the copies evolve independently, which lets a
/// caller keep the state of the parent block while building on a copy. Obsolete nodes are never
/// deleted from the store (see `commit()`).
public struct MerklePatriciaTrie<Store: TrieNodeStore> {
    /// The store that untouched subtrees are loaded from.
    public let store: Store
    var root: TrieNode

    /// Opens the trie whose root hash is `root`; `Hash32.emptyTrieRoot` opens an empty trie.
    /// Nothing is read until an operation needs it.
    public init(root: Hash32 = .emptyTrieRoot, store: Store) {
        self.store = store
        self.root = root == .emptyTrieRoot ? .empty : .stored(root)
    }

    /// Whether there are changes that `commit()` has not yet hashed.
    public var hasUncommittedChanges: Bool {
        !root.isEmpty && root.cachedReference == nil
    }

    // MARK: Reading

    /// The value stored under `key`, or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        let nibbles = Nibbles.of(key)
        var path = nibbles[...]
        var node = root
        while true {
            switch node {
            case .empty:
                return nil
            case .stored(let hash):
                node = try load(hash)
            case .leaf(let leafPath, let value, _):
                return leafPath.elementsEqual(path) ? value : nil
            case .extension(let extPath, let child, _):
                guard path.starts(with: extPath) else { return nil }
                path = path.dropFirst(extPath.count)
                node = child
            case .branch(let children, let value, _):
                guard let first = path.first else { return value }
                path = path.dropFirst()
                node = children[Int(first)]
            }
        }
    }

    /// The EIP-1186 proof of `key`: the RLP of every stored node on the path from the root
    /// towards `key`, root first (nodes shorter than 32 bytes are inside their parent's RLP and
    /// are not listed). It proves the value when the key is present and its absence otherwise.
    /// Reads the store only: nodes changed since the last `commit()` are not seen.
    public func proof(_ key: [UInt8]) throws -> [[UInt8]] {
        var path = Nibbles.of(key)[...]
        var node = root
        var proof: [[UInt8]] = []
        while true {
            switch node {
            case .empty:
                return proof
            case .stored(let hash):
                guard let bytes = try store.node(hash) else { throw TrieError.missingNode(hash) }
                proof.append(bytes)
                node = try TrieNode.decode(bytes, reference: .hash(hash), storedAs: hash)
            case .leaf:
                return proof
            case .extension(let extPath, let child, _):
                guard path.starts(with: extPath) else { return proof }
                path = path.dropFirst(extPath.count)
                node = child
            case .branch(let children, _, _):
                guard let first = path.first else { return proof }
                path = path.dropFirst()
                node = children[Int(first)]
            }
        }
    }

    // MARK: Writing

    /// Sets the value of `key`, inserting or replacing it. An empty value deletes the key.
    ///
    /// If the store fails while loading a node, the error is thrown and the trie is unchanged.
    public mutating func insert(_ key: [UInt8], value: [UInt8]) throws {
        if value.isEmpty {
            try delete(key)
            return
        }
        let saved = root
        do {
            _ = try insert(into: &root, path: Nibbles.of(key)[...], value: value)
        } catch {
            root = saved
            throw error
        }
    }

    /// Deletes `key`; returns whether it was present. Branches left with a single entry are
    /// collapsed into leaves and extensions, so the root equals that of a trie built without
    /// the key.
    ///
    /// If the store fails while loading a node, the error is thrown and the trie is unchanged.
    @discardableResult
    public mutating func delete(_ key: [UInt8]) throws -> Bool {
        let saved = root
        do {
            return try delete(from: &root, path: Nibbles.of(key)[...])
        } catch {
            root = saved
            throw error
        }
    }

    // MARK: Committing

    /// Hashes the changed paths and returns the root hash and the nodes created since the last
    /// commit (keyed by the keccak256 of their encoding). The caller persists `newNodes`
    /// before a trie is opened at `root` again; until then this trie keeps every node it needs
    /// in memory and goes on working.
    ///
    /// Only nodes of 32 bytes or more are returned (smaller ones are embedded in their parent),
    /// plus the root node, which is always stored under its hash. Nodes that the changes made
    /// obsolete are not reported and stay in the store: deleting them safely needs reference
    /// counting or pruning by age, which is left to the storage layer.
    public mutating func commit() -> (root: Hash32, newNodes: [Hash32: [UInt8]]) {
        var newNodes: [Hash32: [UInt8]] = [:]
        switch Self.commit(&root, into: &newNodes) {
        case nil:
            return (.emptyTrieRoot, newNodes)
        case .hash(let hash)?:
            return (hash, newNodes)
        case .inline(let encoding)?:
            let hash = Keccak.hash256(encoding)
            newNodes[hash] = encoding
            return (hash, newNodes)
        }
    }

    /// Forgets every loaded node and keeps only the root hash, to bound memory. Later operations
    /// load what they need from the store again, so every node returned by earlier commits must
    /// have been persisted. Requires that there are no uncommitted changes.
    public mutating func unloadNodes() {
        precondition(!hasUncommittedChanges, "unloadNodes() with uncommitted changes")
        switch root.cachedReference {
        case nil: root = .empty
        case .hash(let hash)?: root = .stored(hash)
        case .inline(let encoding)?: root = .stored(Keccak.hash256(encoding))
        }
    }
}

extension MerklePatriciaTrie: Sendable where Store: Sendable {}

// MARK: - Node operations

extension MerklePatriciaTrie {
    func load(_ hash: Hash32) throws -> TrieNode {
        guard let bytes = try store.node(hash) else { throw TrieError.missingNode(hash) }
        return try TrieNode.decode(bytes, reference: .hash(hash), storedAs: hash)
    }

    /// Inserts below `node`; returns whether anything changed. Nodes on a changed path lose their
    /// cached reference.
    func insert(into node: inout TrieNode, path: ArraySlice<UInt8>, value: [UInt8]) throws -> Bool {
        switch node {
        case .empty:
            node = .leaf(path: Array(path), value: value, reference: nil)
            return true

        case .stored(let hash):
            node = try load(hash)
            return try insert(into: &node, path: path, value: value)

        case .leaf(let leafPath, let leafValue, _):
            let common = Nibbles.commonPrefixLength(leafPath, path)
            if common == leafPath.count && common == path.count {
                if leafValue == value { return false }
                node = .leaf(path: leafPath, value: value, reference: nil)
                return true
            }
            // The two keys part at `common`: a branch there, below an extension for the prefix.
            var children = TrieNode.noChildren
            var branchValue: [UInt8]?
            if common == leafPath.count {
                branchValue = leafValue
            } else {
                children[Int(leafPath[common])] =
                    .leaf(path: Array(leafPath[(common + 1)...]), value: leafValue, reference: nil)
            }
            Self.place(value, at: path.dropFirst(common), in: &children, branchValue: &branchValue)
            node = Self.prefixed(leafPath[..<common], .branch(children: children, value: branchValue, reference: nil))
            return true

        case .extension(let extPath, var child, let reference):
            let common = Nibbles.commonPrefixLength(extPath, path)
            if common == extPath.count {
                node = .empty
                let changed = try insert(into: &child, path: path.dropFirst(common), value: value)
                node = .extension(path: extPath, child: child, reference: changed ? nil : reference)
                return changed
            }
            // The key leaves the extension at `common`: split it around a new branch.
            var children = TrieNode.noChildren
            var branchValue: [UInt8]?
            children[Int(extPath[common])] = common + 1 == extPath.count
                ? child
                : .extension(path: Array(extPath[(common + 1)...]), child: child, reference: nil)
            Self.place(value, at: path.dropFirst(common), in: &children, branchValue: &branchValue)
            node = Self.prefixed(extPath[..<common], .branch(children: children, value: branchValue, reference: nil))
            return true

        case .branch(var children, let branchValue, let reference):
            node = .empty
            guard let first = path.first else {
                let changed = branchValue != value
                node = .branch(children: children, value: value, reference: changed ? nil : reference)
                return changed
            }
            let changed = try insert(into: &children[Int(first)], path: path.dropFirst(), value: value)
            node = .branch(children: children, value: branchValue, reference: changed ? nil : reference)
            return changed
        }
    }

    /// Puts a new leaf for the rest of a key into a fresh branch (or its value if nothing is left).
    private static func place(_ value: [UInt8], at rest: ArraySlice<UInt8>, in children: inout [TrieNode], branchValue: inout [UInt8]?) {
        if let first = rest.first {
            children[Int(first)] = .leaf(path: Array(rest.dropFirst()), value: value, reference: nil)
        } else {
            branchValue = value
        }
    }

    /// `node` below an extension for `prefix`, or `node` itself when the prefix is empty.
    private static func prefixed(_ prefix: ArraySlice<UInt8>, _ node: TrieNode) -> TrieNode {
        prefix.isEmpty ? node : .extension(path: Array(prefix), child: node, reference: nil)
    }

    /// Deletes below `node`; returns whether the key was present.
    func delete(from node: inout TrieNode, path: ArraySlice<UInt8>) throws -> Bool {
        switch node {
        case .empty:
            return false

        case .stored(let hash):
            node = try load(hash)
            return try delete(from: &node, path: path)

        case .leaf(let leafPath, _, _):
            guard leafPath.elementsEqual(path) else { return false }
            node = .empty
            return true

        case .extension(let extPath, var child, let reference):
            guard path.starts(with: extPath) else { return false }
            node = .empty
            guard try delete(from: &child, path: path.dropFirst(extPath.count)) else {
                node = .extension(path: extPath, child: child, reference: reference)
                return false
            }
            node = try joined(extPath[...], child)
            return true

        case .branch(var children, var branchValue, let reference):
            node = .empty
            if let first = path.first {
                guard try delete(from: &children[Int(first)], path: path.dropFirst()) else {
                    node = .branch(children: children, value: branchValue, reference: reference)
                    return false
                }
            } else {
                guard branchValue != nil else {
                    node = .branch(children: children, value: branchValue, reference: reference)
                    return false
                }
                branchValue = nil
            }
            node = try collapsed(children: children, value: branchValue)
            return true
        }
    }

    /// A branch after a deletion: kept if it still has two entries, otherwise replaced by its
    /// only entry (a leaf for its value, or its only child joined to the child's nibble).
    private func collapsed(children: [TrieNode], value: [UInt8]?) throws -> TrieNode {
        var only: Int?
        var count = value == nil ? 0 : 1
        for i in 0..<16 where !children[i].isEmpty {
            count += 1
            only = i
            if count > 1 { break }
        }
        if count > 1 { return .branch(children: children, value: value, reference: nil) }
        if let value { return .leaf(path: [], value: value, reference: nil) }
        guard let only else { return .empty }
        return try joined([UInt8(only)][...], children[only])
    }

    /// `child` moved below the nibbles `prefix`: leaves and extensions absorb the prefix, a branch
    /// gets an extension. A stored child is loaded to find out which it is.
    private func joined(_ prefix: ArraySlice<UInt8>, _ child: TrieNode) throws -> TrieNode {
        switch child {
        case .empty:
            return .empty
        case .stored(let hash):
            return try joined(prefix, load(hash))
        case .leaf(let path, let value, _):
            return .leaf(path: Array(prefix) + path, value: value, reference: nil)
        case .extension(let path, let grandchild, _):
            return .extension(path: Array(prefix) + path, child: grandchild, reference: nil)
        case .branch:
            return .extension(path: Array(prefix), child: child, reference: nil)
        }
    }

    /// Encodes and hashes the dirty nodes below and including `node`, caching their references,
    /// and adds the hashed ones to `newNodes`. Returns the node's reference (nil when empty).
    static func commit(_ node: inout TrieNode, into newNodes: inout [Hash32: [UInt8]]) -> TrieNodeReference? {
        if let cached = node.cachedReference { return cached }
        let encoding: [UInt8]
        switch node {
        case .empty:
            return nil
        case .stored(let hash):
            return .hash(hash)
        case .leaf(let path, let value, _):
            encoding = TrieNode.encodeLeaf(path: path, value: value)
            let reference = record(encoding, into: &newNodes)
            node = .leaf(path: path, value: value, reference: reference)
            return reference
        case .extension(let path, var child, _):
            node = .empty
            guard let childReference = commit(&child, into: &newNodes) else {
                preconditionFailure("trie: extension without a child")
            }
            encoding = TrieNode.encodeExtension(path: path, child: childReference)
            let reference = record(encoding, into: &newNodes)
            node = .extension(path: path, child: child, reference: reference)
            return reference
        case .branch(var children, let value, _):
            node = .empty
            var references = [TrieNodeReference?](repeating: nil, count: 16)
            for i in 0..<16 { references[i] = commit(&children[i], into: &newNodes) }
            encoding = TrieNode.encodeBranch(children: references, value: value)
            let reference = record(encoding, into: &newNodes)
            node = .branch(children: children, value: value, reference: reference)
            return reference
        }
    }

    private static func record(_ encoding: [UInt8], into newNodes: inout [Hash32: [UInt8]]) -> TrieNodeReference {
        let reference = TrieNode.reference(toEncoding: encoding)
        if case .hash(let hash) = reference { newNodes[hash] = encoding }
        return reference
    }
}
