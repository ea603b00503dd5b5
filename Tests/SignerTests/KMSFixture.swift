import KMSTestServer
import Logging
import Primitives
@testable import Signer

/// A running fake KMS with one secp256k1 key, and the configuration that reaches it the way
/// the CLI would build it (environment variables with an endpoint override).
struct KMSFixture {
    static let keyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
    let server: FakeKMSServer
    let key: PrivateKey
    var environment: [String: String]

    init(sessionToken: String? = nil) throws {
        server = try FakeKMSServer(sessionToken: sessionToken)
        key = PrivateKey.random()
        server.addKey(id: Self.keyID, .init(privateKey: key))
        environment = [
            "AWS_REGION": server.region,
            "AWS_ENDPOINT_URL_KMS": server.endpoint,
            "AWS_ACCESS_KEY_ID": server.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": server.secretAccessKey,
        ]
        if let sessionToken { environment["AWS_SESSION_TOKEN"] = sessionToken }
    }

    /// Fast retries so that failure tests do not wait, and generous per-attempt timeouts so that
    /// a loaded machine does not turn a slow answer into a retry (timeout tests set their own).
    func configuration(keyID: String = KMSFixture.keyID) throws -> KMSConfiguration {
        var c = try KMSConfiguration.fromEnvironment(environment, keyID: keyID)
        c.connectTimeout = .seconds(5)
        c.requestTimeout = .seconds(10)
        c.signingRetry = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        c.startupRetry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        return c
    }

    func connect(keyID: String = KMSFixture.keyID) async throws -> KMSSigner {
        try await KMSSigner.connect(configuration: configuration(keyID: keyID), logger: quietLogger)
    }
}

/// Discards everything (tests check errors, not log lines).
let quietLogger = Logger(label: "signer-test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A digest from a counter (distinct per test and index).
func testDigest(_ n: UInt64, salt: UInt64 = 0) -> Hash32 {
    Keccak.hash256(withUnsafeBytes(of: (n.bigEndian, salt.bigEndian)) { Array($0) })
}

/// Runs `body` and returns the `SignerError` it throws (nil if it does not throw).
func signerError(_ body: () async throws -> Void) async -> SignerError? {
    do { try await body(); return nil } catch let e as SignerError { return e } catch {
        Issue.record("expected a SignerError, got \(error)")
        return nil
    }
}

import Testing
