import Primitives

/// Which signing backend the node uses, resolved from the CLI (see `selectBackend`).
public enum SignerConfiguration: Sendable {
    /// `--signer.key-file`; `allowInsecurePermissions` accepts a group/other-accessible file.
    case keyFile(path: String, allowInsecurePermissions: Bool)
    /// `--signer.aws-kms-key-id`, resolved by `KMSConfiguration.fromEnvironment`.
    case awsKMS(KMSConfiguration)
    /// `--test` without a signer flag: the well-known development key.
    case testKey

    /// The backend the signer flags ask for, before any resolution.
    public enum Selection: Sendable, Equatable {
        case keyFile(path: String)
        case awsKMS(keyID: String)
        case testKey
    }

    /// Checks that at most one of `--signer.key-file` and `--signer.aws-kms-key-id` is given,
    /// and that one is given unless `--test` is on. `--test` with a signer flag uses that signer.
    ///
    /// The CLI calls this from `validate()` and turns the error's message into a
    /// `ValidationError`.
    public static func selectBackend(keyFile: String?, awsKMSKeyID: String?, testMode: Bool) throws(SignerError) -> Selection {
        switch (keyFile, awsKMSKeyID) {
        case (_?, _?):
            throw SignerError(.configuration,
                              "--signer.key-file and --signer.aws-kms-key-id are mutually exclusive: give exactly one signer")
        case (let path?, nil):
            guard !path.isEmpty else { throw SignerError(.configuration, "--signer.key-file is empty") }
            return .keyFile(path: path)
        case (nil, let keyID?):
            guard !keyID.isEmpty else { throw SignerError(.configuration, "--signer.aws-kms-key-id is empty") }
            return .awsKMS(keyID: keyID)
        case (nil, nil):
            guard testMode else {
                throw SignerError(.configuration,
                                  "no block signer configured: give --signer.key-file or --signer.aws-kms-key-id (or --test for a development chain)")
            }
            return .testKey
        }
    }
}
