/// The first three accounts of the standard development mnemonic
/// (`test test test test test test test test test test test junk`, m/44'/60'/0'/0/0 to /2): the
/// accounts every Ethereum dev tool funds, and the ones the dev chain spec funds and makes its
/// authorized signer (account 0).
///
/// Their private keys are public knowledge, not secrets: the node signs with account 0 only
/// under `--test`, and tests and benchmarks use all three. This is the one place they are
/// written down.
public enum DevelopmentKeys {
    /// The private keys as hex, without `0x`.
    public static let privateKeyHex: [String] = [
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    ]

    /// Account `index` (0, 1 or 2) of the development mnemonic.
    public static func privateKey(_ index: Int) -> PrivateKey {
        // The constants above are valid keys; a failure here is a typo in this file.
        try! PrivateKey(hex: privateKeyHex[index])
    }
}
