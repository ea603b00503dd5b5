import HTTPClient
import KMSTestServer
import Primitives
@testable import Signer
import Testing

@Suite struct KMSSignerTests {
    @Test func connectDerivesTheAddressOfTheKMSKey() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        #expect(signer.address == f.key.address)
        #expect(signer.publicKey == f.key.publicKey)
        #expect(signer.backendDescription.contains(KMSFixture.keyID))
        #expect(f.server.rejectedSignatureCount == 0)
    }

    @Test func signaturesRecoverToTheKMSAddressAndAreLowS() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        for i in 0..<50 as Range<UInt64> {
            let digest = testDigest(i)
            let signature = try await signer.sign(digest: digest, height: i)
            #expect(signature.bytes.count == 65)
            #expect(signature.bytes[64] <= 1)
            #expect(signature.signature.isLowS)
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature.signature) == f.key.address)
        }
        #expect(f.server.rejectedSignatureCount == 0)
    }

    @Test func aThousandForcedHighSSignaturesAllComeBackLowSAndRecover() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.setSignatureMode(.highS)
        let signer = try await f.connect()
        var flippedParity = 0
        for i in 0..<1000 as Range<UInt64> {
            let digest = testDigest(i, salt: 7)
            let signature = try await signer.sign(digest: digest, height: i)
            #expect(signature.signature.isLowS)
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature.signature) == f.key.address)
            // libsecp256k1 itself returns the low-s form: ours must be exactly that.
            let reference = try f.key.sign(digest: digest)
            #expect(signature.signature == reference)
            if signature.signature.v == 1 { flippedParity += 1 }
        }
        #expect(f.server.signCount == 1000)
        #expect(flippedParity > 0 && flippedParity < 1000)  // both recovery ids occur
        // One easy handle, one keep-alive connection for all 1,001 requests.
        #expect(f.server.acceptedConnections == 1)
    }

    @Test func shortRAndShortSIntegersAreLeftPadded() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        // Find digests whose (deterministic, RFC 6979) signature has r or s below 2^248, so the
        // DER INTEGER is 31 bytes or shorter. About 1 in 256 each.
        var shortR: Hash32? = nil, shortS: Hash32? = nil
        var n: UInt64 = 0
        while shortR == nil || shortS == nil {
            let d = testDigest(n, salt: 99)
            let s = try f.key.sign(digest: d)
            if shortR == nil && s.r.bigEndianBytes[0] == 0 { shortR = d }
            if shortS == nil && s.s.bigEndianBytes[0] == 0 { shortS = d }
            n += 1
        }
        for digest in [shortR!, shortS!] {
            let signature = try await signer.sign(digest: digest, height: 1)
            #expect(signature.signature == (try f.key.sign(digest: digest)))
        }
    }

    @Test func keyARNGivesTheRegionAndWorks() async throws {
        var f = try KMSFixture()
        defer { f.server.stop() }
        f.environment["AWS_REGION"] = nil
        let arn = "arn:aws:kms:\(f.server.region):111122223333:key/\(KMSFixture.keyID)"
        let configuration = try f.configuration(keyID: arn)
        #expect(configuration.region == "us-east-1")
        let signer = try await KMSSigner.connect(configuration: configuration, logger: quietLogger)
        #expect(signer.address == f.key.address)
    }

    @Test func sessionTokensAreSentAndSigned() async throws {
        let f = try KMSFixture(sessionToken: "FwoGZXIvYXdzEXAMPLEtokenvalue==")
        defer { f.server.stop() }
        let signer = try await f.connect()
        _ = try await signer.sign(digest: testDigest(1), height: 1)
        var withoutToken = f
        withoutToken.environment["AWS_SESSION_TOKEN"] = nil
        let error = await signerError { _ = try await withoutToken.connect() }
        #expect(error?.code == .kms(.invalidCredentials))
    }

    // MARK: - Startup errors, each with a message an operator can act on

    @Test func wrongSecretIsAClearStartupError() async throws {
        var f = try KMSFixture()
        defer { f.server.stop() }
        f.environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-value-123"
        let error = await signerError { _ = try await f.connect() }
        #expect(error?.code == .kms(.invalidCredentials))
        #expect(error?.message.contains("rejected the credentials") == true)
        #expect(error?.message.contains("InvalidSignatureException") == true)
        #expect(error?.message.contains("wrong-secret-value-123") == false)
        #expect(f.server.rejectedSignatureCount == 1)  // not retried
    }

    @Test func unknownAccessKeyIsAClearStartupError() async throws {
        var f = try KMSFixture()
        defer { f.server.stop() }
        f.environment["AWS_ACCESS_KEY_ID"] = "AKIDUNKNOWN000000000"
        let error = await signerError { _ = try await f.connect() }
        #expect(error?.code == .kms(.invalidCredentials))
        #expect(error?.message.contains("UnrecognizedClientException") == true)
        #expect(error?.message.contains("environment (AWS_ACCESS_KEY_ID)") == true)
    }

    @Test func unknownKeyIsAClearStartupError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let error = await signerError { _ = try await f.connect(keyID: "no-such-key") }
        #expect(error?.code == .kms(.keyNotFound))
        #expect(error?.message.contains("AWS KMS key no-such-key was not found in region us-east-1") == true)
    }

    @Test func disabledKeyIsAClearStartupError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.setKeyState(id: KMSFixture.keyID, .disabled)
        let error = await signerError { _ = try await f.connect() }
        #expect(error?.code == .kms(.keyDisabled))
        #expect(error?.message.contains("is disabled") == true)
    }

    @Test func keyPendingDeletionIsAClearStartupError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.setKeyState(id: KMSFixture.keyID, .pendingDeletion)
        let error = await signerError { _ = try await f.connect() }
        #expect(error?.code == .kms(.invalidKeyState))
        #expect(error?.message.contains("KMSInvalidStateException") == true)
    }

    @Test func accessDeniedIsAClearStartupError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.setKeyState(id: KMSFixture.keyID, .accessDenied)
        let error = await signerError { _ = try await f.connect() }
        #expect(error?.code == .kms(.accessDenied))
        #expect(error?.message.contains("need kms:GetPublicKey and kms:Sign") == true)
    }

    @Test func wrongKeySpecIsAClearStartupError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.addKey(id: "p256", .init(privateKey: .random(), keySpec: "ECC_NIST_P256"))
        let error = await signerError { _ = try await f.connect(keyID: "p256") }
        #expect(error?.code == .kms(.wrongKeySpec))
        #expect(error?.message == "AWS KMS key p256 has key spec ECC_NIST_P256; block signing needs ECC_SECG_P256K1 (secp256k1)")
    }

    @Test func wrongKeyUsageIsAClearStartupError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.addKey(id: "enc", .init(privateKey: .random(), keyUsage: "ENCRYPT_DECRYPT"))
        let error = await signerError { _ = try await f.connect(keyID: "enc") }
        #expect(error?.code == .kms(.wrongKeyUsage))
        #expect(error?.message.contains("key usage ENCRYPT_DECRYPT; block signing needs SIGN_VERIFY") == true)
    }

    @Test func unreachableEndpointIsAClearStartupError() async throws {
        var f = try KMSFixture()
        let closed = f.server.endpoint
        f.server.stop()  // nothing listens on that port any more
        f.environment["AWS_ENDPOINT_URL_KMS"] = closed
        let error = await signerError { _ = try await f.connect() }
        #expect(error?.code == .kms(.unreachable))
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("AWS KMS endpoint \(closed) is unreachable") == true)
        #expect(error?.message.contains("attempt 3 of 3") == true)
        #expect((error?.underlying as? HTTPClientError)?.code == .couldNotConnect)
    }

    // MARK: - Retries

    @Test func throttlingIsRetriedThenSucceeds() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        let before = f.server.requestCount
        f.server.inject([.throttling, .throttling, .throttling])
        let digest = testDigest(5)
        let signature = try await signer.sign(digest: digest, height: 5)
        #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature.signature) == f.key.address)
        #expect(f.server.requestCount - before == 4)
    }

    @Test func throttlingBeyondTheRetryBudgetFailsTransiently() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        f.server.inject(Array(repeating: .throttling, count: 4))
        let error = await signerError { _ = try await signer.sign(digest: testDigest(1), height: 1) }
        #expect(error?.code == .kms(.throttled))
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("ThrottlingException") == true)
    }

    @Test func serverErrorsAnd429AreRetried() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        f.server.inject([.internalError, .init(status: 503, type: "ServiceUnavailableException"),
                         .init(status: 429, type: "")])
        _ = try await signer.sign(digest: testDigest(2), height: 2)
    }

    @Test func aSlowAnswerTimesOutAndTheRetrySucceeds() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        var configuration = try f.configuration()
        configuration.requestTimeout = .milliseconds(200)
        let signer = try await KMSSigner.connect(configuration: configuration, logger: quietLogger)
        f.server.delay([.milliseconds(600)])
        let signature = try await signer.sign(digest: testDigest(3), height: 3)
        #expect(signature.signature.isLowS)
        #expect(f.server.acceptedConnections == 2)  // the timed-out connection was replaced
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        f.server.dropConnections(1)
        _ = try await signer.sign(digest: testDigest(4), height: 4)
    }

    @Test func nonRetryableErrorsAreNotRetried() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        let before = f.server.requestCount
        f.server.setKeyState(id: KMSFixture.keyID, .disabled)
        let error = await signerError { _ = try await signer.sign(digest: testDigest(1), height: 1) }
        #expect(error?.code == .kms(.keyDisabled))
        #expect(error?.isTransient == false)
        #expect(f.server.requestCount - before == 1)
    }

    @Test func malformedDERFromKMSIsATypedError() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        f.server.setSignatureMode(.raw([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x02, 0x01]))
        let error = await signerError { _ = try await signer.sign(digest: testDigest(1), height: 1) }
        #expect(error?.code == .kms(.malformedSignature))
    }

    @Test func aSignatureFromAnotherKeyIsRefused() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await f.connect()
        let digest = testDigest(8)
        let other = try PrivateKey.random().sign(digest: digest)
        f.server.setSignatureMode(.raw(FakeKMSServer.derSignature(r: other.r, s: other.s)))
        let error = await signerError { _ = try await signer.sign(digest: digest, height: 8) }
        #expect(error?.code == .signatureVerification)
    }
}
