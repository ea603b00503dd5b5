import KMSTestServer
import Primitives
@testable import Signer
import Testing

@Suite struct DERTests {
    static func sequence(_ r: [UInt8], _ s: [UInt8]) -> [UInt8] {
        let content = [0x02, UInt8(r.count)] + r + [0x02, UInt8(s.count)] + s
        return [0x30, UInt8(content.count)] + content
    }

    @Test func parsesMinimalPaddedAndShortIntegers() throws {
        let high = [UInt8](repeating: 0x80, count: 32)  // top bit set: needs the 0x00 sign byte
        let (r1, s1) = try DER.ecdsaSignature(Self.sequence([0x00] + high, [0x01]))
        #expect(r1 == U256(bigEndian: high)!)
        #expect(s1 == U256(1))
        let short = [UInt8](repeating: 0x11, count: 30)
        let (r2, s2) = try DER.ecdsaSignature(Self.sequence(short, [0x7f] + [UInt8](repeating: 0xff, count: 31)))
        #expect(r2.bigEndianBytes == [0, 0] + short)
        #expect(s2.bigEndianBytes == [0x7f] + [UInt8](repeating: 0xff, count: 31))
    }

    @Test func roundTripsTheFakeServersEncoder() throws {
        for i in 0..<200 as Range<UInt64> {
            let signature = try PrivateKey.random().sign(digest: testDigest(i))
            let (r, s) = try DER.ecdsaSignature(FakeKMSServer.derSignature(r: signature.r, s: signature.s))
            #expect(r == signature.r && s == signature.s)
        }
    }

    static let malformed: [(String, [UInt8])] = [
        ("empty", []),
        ("not a SEQUENCE", [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
        ("truncated SEQUENCE", [0x30, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
        ("trailing byte", [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00]),
        ("three INTEGERs", [0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
        ("one INTEGER", [0x30, 0x03, 0x02, 0x01, 0x01]),
        ("BIT STRING instead of INTEGER", [0x30, 0x06, 0x03, 0x01, 0x01, 0x02, 0x01, 0x01]),
        ("empty INTEGER", [0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01]),
        ("negative r", [0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01]),
        ("redundant zero", [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01]),
        ("zero s", [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00]),
        ("long-form length", [0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
        ("INTEGER overruns", [0x30, 0x06, 0x02, 0x05, 0x01, 0x02, 0x01, 0x01]),
        ("33-byte magnitude", sequence([0x01] + [UInt8](repeating: 0, count: 32), [0x01])),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedSignatures(name: String, der: [UInt8]) async {
        let error = await signerError { _ = try DER.ecdsaSignature(der) }
        #expect(error?.code == .kms(.malformedSignature), "\(name)")
    }

    @Test func rejectsROrSAtOrAboveTheCurveOrder() async {
        let n = Secp256k1.curveOrder
        let error = await signerError {
            _ = try KMSSigner.recoverable(r: n, s: U256(1), digest: testDigest(0), signer: .zero)
        }
        #expect(error?.code == .kms(.malformedSignature))
    }

    @Test func normalisesHighSAndFindsTheRecoveryID() throws {
        let key = PrivateKey.random()
        for i in 0..<100 as Range<UInt64> {
            let digest = testDigest(i)
            let reference = try key.sign(digest: digest)
            for s in [reference.s, Secp256k1.curveOrder - reference.s] {
                let signature = try KMSSigner.recoverable(r: reference.r, s: s, digest: digest, signer: key.address)
                #expect(signature.signature == reference)
            }
        }
    }

    @Test func parsesTheSecp256k1PublicKeyPrefixFromProtocolMD() throws {
        let key = PrivateKey.random()
        let spki = try Fixtures_bytes("3056301006072a8648ce3d020106052b8104000a034200") + key.publicKey.uncompressed
        #expect(spki.count == 88)
        #expect(try DER.secp256k1PublicKey(fromSPKI: spki) == key.publicKey.uncompressed)
    }

    @Test func rejectsOtherPublicKeys() async throws {
        let key = PrivateKey.random()
        var spki = DER.secp256k1SPKIPrefix + key.publicKey.uncompressed
        spki[19] = 0x22  // secp384r1's OID arc instead of secp256k1's
        for bad in [spki, Array(spki.dropLast()), Array(DER.secp256k1SPKIPrefix + [0x02] + key.publicKey.bytes)] {
            let error = await signerError { _ = try DER.secp256k1PublicKey(fromSPKI: bad) }
            #expect(error?.code == .kms(.malformedPublicKey))
        }
    }
}

import TestSupport
func Fixtures_bytes(_ hex: String) throws -> [UInt8] { try Fixtures.bytes(hex) }
