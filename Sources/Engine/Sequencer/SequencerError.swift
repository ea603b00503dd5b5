/// Why a slot (or the startup recovery of a pending block) made no block.
public enum SequencerError: Error, Sendable, CustomStringConvertible {
    /// Building, saving, rebuilding or committing the block failed.
    case engine(EngineError)
    /// The block sealer did not sign (the node's sealer is the guarded signer, whose errors are
    /// `SignerError`s; the engine sees the `BlockSealer` protocol only).
    case signing(height: UInt64, underlying: any Error)

    public var description: String {
        switch self {
        case .engine(let e): "\(e)"
        case .signing(let height, let e): "signing block \(height) failed: \(e)"
        }
    }
}
