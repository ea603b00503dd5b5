import ArgumentParser
import Primitives

/// Who signs blocks.
struct SignerOptions: ParsableArguments {
    @Option(name: .customLong("signer.key-file"),
            help: "File holding the signer's private key: 64 hex characters, optional 0x, one trailing newline at most; must not be readable by group or others (chmod 600).")
    var keyFile: String?

    @Option(name: .customLong("signer.aws-kms-key-id"),
            help: "AWS KMS key (id or ARN, ECC_SECG_P256K1, SIGN_VERIFY). Credentials and region come from the standard AWS environment variables or ~/.aws/credentials; AWS_ENDPOINT_URL_KMS overrides the endpoint.")
    var awsKMSKeyID: String?

    @Option(name: .customLong("signer.address"),
            help: "Refuse to start unless the signer's address is this one (the authorized signer registered on L1).",
            transform: OptionValue.address)
    var address: Address?

    @Flag(name: .customLong("signer.allow-insecure-key-file-permissions"),
          help: "Accept a key file that group or others can access (not recommended).")
    var allowInsecureKeyFilePermissions = false

    func validate() throws {
        if keyFile != nil && awsKMSKeyID != nil {
            throw ValidationError("--signer.key-file and --signer.aws-kms-key-id are mutually exclusive: give exactly one signer")
        }
    }
}
