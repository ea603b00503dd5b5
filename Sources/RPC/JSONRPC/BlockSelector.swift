import Primitives

/// A block named by number, tag or hash (EIP-1898), as the state methods take it.
public enum BlockSelector: Sendable, Hashable {
    case tag(BlockTag)
    /// `requireCanonical`: the block must be on the canonical chain (EIP-1898).
    case hash(Hash32, requireCanonical: Bool)
}
