import HTTPClient
import Logging
import Primitives

/// Builds the configured `BlockSigner` and checks it against `--signer.address`.
public enum SignerFactory {
    /// The backend for `configuration`, after checking that its address is `expectedAddress`
    /// when one is given. Logs the backend and address (and the development-key warning).
    ///
    /// The node then wraps the result in a `GuardedSigner` over a journal in its datadir.
    public static func makeSigner(_ configuration: SignerConfiguration, expectedAddress: Address?,
                                  httpClient: (any HTTPClient)? = nil,
                                  logger: Logger = Logger(label: "signer")) async throws(SignerError) -> any BlockSigner {
        let signer: any BlockSigner
        switch configuration {
        case .keyFile(let path, let allowInsecure):
            signer = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: allowInsecure)
            if allowInsecure {
                logger.warning("key-file permission check disabled by configuration", metadata: ["path": "\(path)"])
            }
        case .awsKMS(let kms):
            signer = try await KMSSigner.connect(configuration: kms, httpClient: httpClient, logger: logger)
        case .testKey:
            signer = LocalKeySigner.insecureWellKnownDevelopmentKey()
        }
        if let expectedAddress, signer.address != expectedAddress {
            throw SignerError(.addressMismatch(expected: expectedAddress, actual: signer.address),
                              "the \(signer.backendDescription) belongs to \(signer.address), but --signer.address is \(expectedAddress): " +
                              "followers would reject every block")
        }
        logger.info("block signer ready", metadata: ["backend": "\(signer.backendDescription)", "address": "\(signer.address)"])
        return signer
    }
}
