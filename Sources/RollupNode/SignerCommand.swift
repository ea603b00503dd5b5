import ArgumentParser
import Foundation
import Logging
import Signer

/// `rollup-node signer …`: signer utilities for operators.
struct SignerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signer",
        abstract: "Signer utilities.",
        subcommands: [SignerAddressCommand.self]
    )
}

/// Prints the address of the configured signer, to register it as the authorized signer on L1.
struct SignerAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Print the block signer's address (EIP-55) for --signer.key-file or --signer.aws-kms-key-id.",
        discussion: "Operators register this address as the authorized signer. With KMS, the key is fetched with GetPublicKey."
    )

    @OptionGroup var signer: SignerOptions

    func validate() throws {
        if signer.keyFile == nil && signer.awsKMSKeyID == nil {
            throw ValidationError("give --signer.key-file or --signer.aws-kms-key-id")
        }
    }

    func run() async throws {
        let configuration = try SignerSetup.configuration(signer, testMode: false, environment: ProcessInfo.processInfo.environment)
        do {
            let s = try await SignerFactory.makeSigner(configuration, expectedAddress: nil,
                                                       logger: Logger(label: "signer", factory: { _ in SwiftLogNoOpLogHandler() }))
            print(s.address.checksummed)
        } catch {
            throw StartupError.signer(error)
        }
    }
}

enum SignerSetup {
    /// The signer configuration the flags ask for.
    static func configuration(_ options: SignerOptions, testMode: Bool, environment: [String: String]) throws(StartupError) -> SignerConfiguration {
        let selection: SignerConfiguration.Selection
        do {
            selection = try SignerConfiguration.selectBackend(keyFile: options.keyFile, awsKMSKeyID: options.awsKMSKeyID, testMode: testMode)
        } catch {
            throw StartupError.signerSelection(error)
        }
        switch selection {
        case .keyFile(let path):
            return .keyFile(path: path, allowInsecurePermissions: options.allowInsecureKeyFilePermissions)
        case .awsKMS(let keyID):
            do { return .awsKMS(try KMSConfiguration.fromEnvironment(environment, keyID: keyID)) } catch {
                throw StartupError.signer(error)
            }
        case .testKey:
            return .testKey
        }
    }
}
