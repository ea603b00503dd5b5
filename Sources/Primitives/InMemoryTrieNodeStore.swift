import Synchronization

/// A `TrieNodeStore` in memory, for tests and for tries that are never persisted (for example
/// the transaction and receipt tries of a block being built).
public final class InMemoryTrieNodeStore: TrieNodeStore, Sendable {
    private let nodes: Mutex<[Hash32: [UInt8]]>

    public init(_ nodes: [Hash32: [UInt8]] = [:]) {
        self.nodes = Mutex(nodes)
    }

    public func node(_ hash: Hash32) throws -> [UInt8]? {
        nodes.withLock { $0[hash] }
    }

    /// Adds the nodes that a commit returned.
    public func write(_ newNodes: [Hash32: [UInt8]]) {
        nodes.withLock { $0.merge(newNodes) { _, new in new } }
    }

    /// How many nodes the store holds.
    public var count: Int { nodes.withLock { $0.count } }
}
