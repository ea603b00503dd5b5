import KMSTestServer
import Primitives
@testable import Signer
import Testing

@Suite struct SignerFactoryTests {
    @Test func testKeyIsAccountZeroOfTheDevMnemonic() async throws {
        let signer = try await SignerFactory.makeSigner(.testKey, expectedAddress: nil, logger: quietLogger)
        #expect(signer.address.checksummed == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        #expect(signer.backendDescription.contains("INSECURE"))
        #expect(LocalKeySigner.developmentKeyWarning.contains("INSECURE"))
        let digest = testDigest(1)
        let signature = try await signer.sign(digest: digest, height: 1)
        #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature.signature) == signer.address)
    }

    @Test func aMismatchedExpectedAddressFailsStartup() async throws {
        let other = PrivateKey.random().address
        let error = await signerError { _ = try await SignerFactory.makeSigner(.testKey, expectedAddress: other, logger: quietLogger) }
        #expect(error?.code == .addressMismatch(expected: other, actual: LocalKeySigner.wellKnownDevelopmentAddress))
        #expect(error?.message.contains("but --signer.address is \(other)") == true)
    }

    @Test func keyFileBackendChecksTheExpectedAddress() async throws {
        let path = try KeyFileTests.write(Array(KeyFileTests.keyHex.utf8))
        let expected = try PrivateKey(hex: KeyFileTests.keyHex).address
        let signer = try await SignerFactory.makeSigner(.keyFile(path: path, allowInsecurePermissions: false),
                                                        expectedAddress: expected, logger: quietLogger)
        #expect(signer.address == expected)
    }

    @Test func kmsBackendChecksTheExpectedAddress() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        let signer = try await SignerFactory.makeSigner(.awsKMS(try f.configuration()), expectedAddress: f.key.address,
                                                        logger: quietLogger)
        #expect(signer.address == f.key.address)
        let error = await signerError {
            _ = try await SignerFactory.makeSigner(.awsKMS(try f.configuration()), expectedAddress: .zero, logger: quietLogger)
        }
        #expect(error?.code == .addressMismatch(expected: .zero, actual: f.key.address))
    }

    @Test func everyBackendBehindTheGuardRecoversToItsAddress() async throws {
        let f = try KMSFixture()
        defer { f.server.stop() }
        f.server.setSignatureMode(.highS)
        let path = try KeyFileTests.write(Array(KeyFileTests.keyHex.utf8))
        let configurations: [SignerConfiguration] = [
            .testKey, .keyFile(path: path, allowInsecurePermissions: false), .awsKMS(try f.configuration()),
        ]
        for configuration in configurations {
            let backend = try await SignerFactory.makeSigner(configuration, expectedAddress: nil, logger: quietLogger)
            let signer = try await GuardedSigner(wrapping: backend, journalPath: try GuardedSignerTests.journalPath(), logger: quietLogger)
            for h in 1...10 as ClosedRange<UInt64> {
                let digest = testDigest(h)
                let signature = try await signer.sign(digest: digest, height: h)
                #expect(signature.signature.isLowS)
                let verified = try BlockSignature(verifying: signature.bytes, digest: digest, signer: backend.address)
                #expect(verified == signature)
            }
        }
    }
}
