import Primitives

/// A block signature as followers check it: 65 bytes r || s || v, v in {0, 1}, s low.
///
/// The only public way to build one verifies it, so holding a `BlockSignature` means it is
/// low-s and recovered to the expected signer over the digest it was made for.
public struct BlockSignature: Hashable, Sendable, CustomStringConvertible {
    public let signature: Signature

    /// Checks that `signature` is low-s and recovers to `signer` over `digest`.
    public init(verifying signature: Signature, digest: Hash32, signer: Address) throws(SignerError) {
        guard signature.isLowS else {
            throw SignerError(.signatureVerification, "signature over \(digest) has a high s value; followers reject it")
        }
        let recovered: Address
        do { recovered = try Secp256k1.recoverAddress(digest: digest, signature: signature) } catch {
            throw SignerError(.signatureVerification, "signature over \(digest) does not recover to any key", underlying: error)
        }
        guard recovered == signer else {
            throw SignerError(.signatureVerification,
                              "signature over \(digest) recovers to \(recovered), not to the signer \(signer)")
        }
        self.signature = signature
    }

    /// For callers that have just recovered `signature` to the signer themselves.
    init(alreadyVerified signature: Signature) {
        assert(signature.isLowS)
        self.signature = signature
    }

    /// Parses the 65-byte encoding and verifies it as `init(verifying:digest:signer:)` does.
    public init(verifying bytes: [UInt8], digest: Hash32, signer: Address) throws(SignerError) {
        let signature: Signature
        do { signature = try Signature(compact: bytes) } catch {
            throw SignerError(.signatureVerification, "not a 65-byte r || s || v signature with v in {0, 1}", underlying: error)
        }
        try self.init(verifying: signature, digest: digest, signer: signer)
    }

    /// 65 bytes r || s || v.
    public var bytes: [UInt8] { signature.compact }

    public var description: String { Hex.encode(bytes) }
}
