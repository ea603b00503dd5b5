import Primitives

/// Signs block digests for the sequencer: one call per sealed block.
///
/// Every implementation returns only signatures that are low-s and recover to `address`
/// (build them with `BlockSignature(verifying:digest:signer:)`). Wrap the backend in a
/// `GuardedSigner` so that no two different digests are ever signed at one height.
public protocol BlockSigner: Sendable {
    /// The address every signature recovers to (the chain's authorized signer).
    var address: Address { get }
    /// Which backend this is, for the startup log: never contains key material.
    var backendDescription: String { get }
    /// Signs `digest` (keccak256 of the header RLP without extraData) for the block at `height`.
    func sign(digest: Hash32, height: UInt64) async throws(SignerError) -> BlockSignature
}
