import Primitives
import Synchronization

/// The handlers of the `eth_` and `txpool_` methods over an ``RPCChainBackend``.
///
/// Block tags on this single-signer chain: `latest`, `pending`, `safe` and `finalized` all name
/// the head. `pending` would be the block being built, which the node does not expose; `safe`
/// and `finalized` would need a second party to agree, and a block the only signer has signed
/// is as final as it gets here (L1 finality of batches is not tracked). `earliest` is block 0.
struct ChainMethods: Sendable {
    let backend: any RPCChainBackend
    let configuration: ChainMethodsConfiguration
    /// The last tip suggestion and the head block hash it was computed for.
    let tipCache = TipCache()

    init(backend: any RPCChainBackend, configuration: ChainMethodsConfiguration) {
        self.backend = backend
        self.configuration = configuration
    }

    /// The block number a tag names (the head for `latest`, `pending`, `safe`, `finalized`).
    func number(of tag: BlockTag) async throws -> UInt64 {
        switch tag {
        case .number(let n): n
        case .earliest: 0
        case .latest, .pending, .safe, .finalized: try await backend.headNumber()
        }
    }

    /// The block a selector names; nil when there is none.
    func block(_ selector: BlockSelector) async throws -> RPCBlock? {
        switch selector {
        case .tag(let tag): return try await backend.block(number: try await number(of: tag))
        case .hash(let hash, let requireCanonical):
            guard let block = try await backend.block(hash: hash) else { return nil }
            if requireCanonical, try await backend.block(number: block.number)?.hash != hash { return nil }
            return block
        }
    }

    /// The block whose state `selector` names: nil for the head's tags (`latest`, `pending`,
    /// `safe`, `finalized`), else the stored block, whose state the backend may or may not keep.
    /// -32000 "header not found" above the head, "header for hash not found" for an unknown
    /// hash, and geth's "not currently canonical" for a `requireCanonical` hash off the chain.
    func stateBlock(_ selector: BlockSelector) async throws -> RPCStateBlock? {
        switch selector {
        case .tag(.latest), .tag(.pending), .tag(.safe), .tag(.finalized):
            return nil
        case .tag(let tag):
            let n = try await number(of: tag)
            guard let header = try await backend.header(number: n) else { throw JSONRPCError.headerNotFound }
            return RPCStateBlock(header: header, hash: header.hash)
        case .hash(let hash, let requireCanonical):
            guard let block = try await backend.block(hash: hash) else { throw JSONRPCError.headerForHashNotFound }
            if requireCanonical, try await backend.block(number: block.number)?.hash != hash {
                throw JSONRPCError.server("hash \(hash.hex) is not currently canonical")
            }
            return RPCStateBlock(header: block.header, hash: hash)
        }
    }

    /// The state selector of argument `index`; `latest` when it is absent.
    static func stateSelector(_ params: RPCParams, at index: Int) throws(JSONRPCError) -> BlockSelector {
        try params.optional(index)?.blockSelector() ?? .tag(.latest)
    }
}

/// The last tip suggestion and the tips of the blocks it sampled, shared by the copies of one
/// ``ChainMethods``: a new head costs one block load, not a whole sample.
final class TipCache: Sendable {
    private struct Entry {
        var head: Hash32
        var suggestion: U256
        /// The effective user tips of each sampled block, by block hash.
        var blockTips: [Hash32: [U256]]
    }

    private let entry = Mutex<Entry?>(nil)

    /// The suggestion computed for the head block `head`, if it is the last one computed.
    func suggestion(forHead head: Hash32) -> U256? {
        entry.withLock { e in e.flatMap { $0.head == head ? $0.suggestion : nil } }
    }

    /// The tips of block `hash`, if the last suggestion sampled it.
    func tips(of hash: Hash32) -> [U256]? { entry.withLock { $0?.blockTips[hash] } }

    func store(_ suggestion: U256, forHead head: Hash32, blockTips: [Hash32: [U256]]) {
        entry.withLock { $0 = Entry(head: head, suggestion: suggestion, blockTips: blockTips) }
    }
}
