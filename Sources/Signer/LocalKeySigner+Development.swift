import Primitives

extension LocalKeySigner {
    /// Account 0 of the standard development mnemonic
    /// (`test test test test test test test test test test test junk`, m/44'/60'/0'/0/0).
    public static let wellKnownDevelopmentAddress = try! Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")

    /// The line the node logs (at warning level or louder) whenever it signs with the
    /// development key.
    public static let developmentKeyWarning =
        "INSECURE: blocks are signed with the well-known development key of account 0 of the test mnemonic " +
        "(0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266); its private key is public. --test is for development only: " +
        "never run a chain anyone relies on this way."

    /// A signer holding the publicly known development key. For `--test` only: anyone can
    /// sign blocks with this key.
    public static func insecureWellKnownDevelopmentKey() -> LocalKeySigner {
        // The key is public knowledge (it ships in every Ethereum dev tool); it is not a secret.
        let key = DevelopmentKeys.privateKey(0)
        precondition(key.address == wellKnownDevelopmentAddress, "development key does not match its address")
        return LocalKeySigner(key: key, backendDescription: "well-known development key (INSECURE, --test only)")
    }
}
