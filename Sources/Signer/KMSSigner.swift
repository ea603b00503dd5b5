import FoundationEssentials
import HTTPClient
import Logging
import Primitives

/// Signs with a secp256k1 key held in AWS KMS (`ECC_SECG_P256K1`, `SIGN_VERIFY`).
///
/// `connect` fetches the public key once (GetPublicKey), checks its spec and usage, and derives
/// the address. `sign` calls KMS Sign with `MessageType DIGEST` and `ECDSA_SHA_256` (KMS signs
/// the 32 bytes as given, no hashing), parses the DER signature, normalises s to the low half
/// (KMS does not), and finds v by trial recovery against the cached key.
public struct KMSSigner: BlockSigner {
    public let address: Address
    public let publicKey: PublicKey
    public let backendDescription: String
    private let client: KMSClient

    /// Connects to KMS and prepares the signer; every startup problem (credentials, key, spec,
    /// usage, endpoint) is a `SignerError` with a message for the operator.
    ///
    /// - Parameter httpClient: defaults to a `CurlHTTPClient` with the configuration's timeouts.
    public static func connect(configuration: KMSConfiguration, httpClient: (any HTTPClient)? = nil,
                               clock: any Clock<Duration> = ContinuousClock(),
                               logger: Logger = Logger(label: "signer")) async throws(SignerError) -> KMSSigner {
        let http: any HTTPClient
        if let httpClient {
            http = httpClient
        } else {
            do {
                http = try CurlHTTPClient(configuration: .init(connectTimeout: configuration.connectTimeout,
                                                              requestTimeout: configuration.requestTimeout,
                                                              maxResponseBytes: 1 << 20),
                                          label: "kms")
            } catch {
                throw SignerError(.kms(.unreachable), "cannot create the HTTP client for AWS KMS: \(error.message)", underlying: error)
            }
        }
        let client = KMSClient(configuration: configuration, http: http, clock: clock, logger: logger)
        let response = try await client.getPublicKey()
        let key = configuration.keyID
        let spec = response.KeySpec ?? response.CustomerMasterKeySpec ?? "(none)"
        guard spec == "ECC_SECG_P256K1" else {
            throw SignerError(.kms(.wrongKeySpec),
                              "AWS KMS key \(key) has key spec \(spec); block signing needs ECC_SECG_P256K1 (secp256k1)")
        }
        if let usage = response.KeyUsage, usage != "SIGN_VERIFY" {
            throw SignerError(.kms(.wrongKeyUsage), "AWS KMS key \(key) has key usage \(usage); block signing needs SIGN_VERIFY")
        }
        guard let der = Data(base64Encoded: response.PublicKey) else {
            throw SignerError(.kms(.malformedPublicKey), "AWS KMS returned a public key for \(key) that is not base64")
        }
        let point = try DER.secp256k1PublicKey(fromSPKI: Array(der))
        let publicKey: PublicKey
        do { publicKey = try PublicKey(bytes: point) } catch {
            throw SignerError(.kms(.malformedPublicKey), "AWS KMS returned a public key for \(key) that is not on secp256k1", underlying: error)
        }
        let signer = KMSSigner(address: publicKey.address, publicKey: publicKey,
                               backendDescription: "AWS KMS key \(key) (region \(configuration.region), endpoint \(configuration.endpoint))",
                               client: client)
        logger.info("AWS KMS signer ready", metadata: [
            "key": "\(key)", "region": "\(configuration.region)", "endpoint": "\(configuration.endpoint)",
            "credentials": "\(configuration.credentialSource)", "address": "\(signer.address)",
        ])
        return signer
    }

    public func sign(digest: Hash32, height: UInt64) async throws(SignerError) -> BlockSignature {
        let response = try await client.sign(digest: digest.bytes)
        guard let der = Data(base64Encoded: response.Signature) else {
            throw SignerError(.kms(.malformedSignature), "AWS KMS returned a signature for block \(height) that is not base64")
        }
        let (r, s) = try DER.ecdsaSignature(Array(der))
        return try Self.recoverable(r: r, s: s, digest: digest, signer: address)
    }

    /// The low-s, recoverable form of a KMS (r, s): s is normalised, then v is the recovery id
    /// (0 or 1) whose key is `signer`.
    static func recoverable(r: U256, s: U256, digest: Hash32, signer: Address) throws(SignerError) -> BlockSignature {
        guard Signature.isInRange(r), Signature.isInRange(s) else {
            throw SignerError(.kms(.malformedSignature), "AWS KMS returned a signature whose r or s is not below the curve order")
        }
        let lowS = s > Secp256k1.halfCurveOrder ? Secp256k1.curveOrder - s : s
        for v: UInt8 in [0, 1] {
            guard let candidate = try? Signature(r: r, s: lowS, v: v),
                  let recovered = try? Secp256k1.recoverAddress(digest: digest, signature: candidate),
                  recovered == signer
            else { continue }
            return BlockSignature(alreadyVerified: candidate)
        }
        throw SignerError(.signatureVerification,
                          "the AWS KMS signature over \(digest) does not recover to the key's address \(signer) with either recovery id")
    }
}
