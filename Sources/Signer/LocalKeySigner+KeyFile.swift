import Primitives

extension LocalKeySigner {
    /// Loads the key in `path` (see `KeyFile` for the accepted format and permission rule).
    public static func loadKeyFile(path: String, allowInsecurePermissions: Bool) throws(SignerError) -> LocalKeySigner {
        var bytes = try KeyFile.readKeyBytes(path: path, allowInsecurePermissions: allowInsecurePermissions)
        defer { KeyFile.wipe(&bytes) }
        let key: PrivateKey
        do { key = try PrivateKey(bytes: bytes) } catch {
            throw SignerError(.keyFile(.invalidKey),
                              "signer key file \(path) holds 64 hex digits that are not a valid secp256k1 private key (zero or not below the curve order)")
        }
        return LocalKeySigner(key: key, backendDescription: "key file \(path)")
    }
}
