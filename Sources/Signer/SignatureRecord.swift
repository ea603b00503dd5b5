import Primitives

/// One entry of the double-sign journal.
public enum SignatureRecord: Sendable, Equatable {
    /// `digest` was (about to be) signed at `height`.
    case signed(height: UInt64, digest: Hash32)
    /// Signing `digest` at `height` failed after it was recorded: no signature left the signer
    /// layer, so the height is free again (a block turn that failed must not block the next one).
    case withdrawn(height: UInt64, digest: Hash32)
    /// The node rolled its head back to `toHeight`: every height above it may be signed once more.
    case rollback(toHeight: UInt64)
    /// Written by compaction: digests of heights below `height` were dropped from the journal;
    /// those heights stay refused unless a rollback reaches below them.
    case pruned(below: UInt64)
}
