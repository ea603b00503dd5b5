import Primitives

/// Signs with a secp256k1 private key held in process memory (key-file and development keys).
///
/// Build one from a key file with `LocalKeySigner.loadKeyFile(path:allowInsecurePermissions:)`
/// or, for `--test` only, with `LocalKeySigner.insecureWellKnownDevelopmentKey()`.
public struct LocalKeySigner: BlockSigner {
    private let key: PrivateKey
    public let address: Address
    public let backendDescription: String

    /// A signer for `key`. `backendDescription` must not contain the key.
    public init(key: PrivateKey, backendDescription: String) {
        self.key = key
        self.address = key.address
        self.backendDescription = backendDescription
    }

    public func sign(digest: Hash32, height: UInt64) async throws(SignerError) -> BlockSignature {
        let signature: Signature
        do { signature = try key.sign(digest: digest).normalized() } catch {
            throw SignerError(.signatureVerification, "local signing of block \(height) failed", underlying: error)
        }
        return try BlockSignature(verifying: signature, digest: digest, signer: address)
    }
}
