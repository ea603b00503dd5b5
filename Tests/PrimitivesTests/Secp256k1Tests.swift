import Testing
import TestSupport
@testable import Primitives

struct Secp256k1Tests {
    static let devKey = DevelopmentKeys.privateKeyHex[0]

    @Test func derivesTheDevelopmentAccountAddress() throws {
        let key = try PrivateKey(hex: Self.devKey)
        #expect(key.address.checksummed == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        #expect(try PrivateKey(hex: "0x" + Self.devKey).address == key.address)
    }

    /// BasicTests/keyaddrtest.json: key -> address. The files also carry `sig_of_emptystring`,
    /// which no candidate digest reproduces (keccak(""), 32 zero bytes, sha256(""), sha3-256(""),
    /// sha256d(""), the EIP-191 prefix; r and s either way round): it is not checked, and no
    /// Ethereum client's test runner uses it.
    @Test func passesKeyAddressVectors() throws {
        let url = FixtureLocation.url("ethereum-tests/BasicTests/keyaddrtest.json")
        let cases = try #require(Fixtures.json(at: url) as? [[String: Any]])
        for c in cases {
            let keyHex = try #require(c["key"] as? String), addressHex = try #require(c["addr"] as? String)
            let key = try PrivateKey(hex: keyHex)
            let address = try Address(hex: "0x" + addressHex)
            #expect(key.address == address)
            #expect(key.publicKey.address == address)
        }
        #expect(cases.count == 2)
        Fixtures.report(suite: "BasicTests/keyaddrtest", executed: cases.count)
    }

    @Test func signsAndRecoversRoundTrip() throws {
        for i in 0..<20 {
            let key = PrivateKey.random()
            let digest = Keccak.hash256(Array("message \(i)".utf8))
            let signature = try key.sign(digest: digest)
            #expect(signature.isLowS)
            #expect(signature.v <= 1)
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature) == key.address)
            #expect(try Secp256k1.recoverPublicKey(digest: digest, signature: signature) == key.publicKey)
            #expect(try Signature(compact: signature.compact) == signature)
            // A different digest recovers some other key (or none), never ours.
            let other = try? Secp256k1.recoverAddress(digest: Keccak.hash256(Array("other \(i)".utf8)), signature: signature)
            #expect(other != key.address)
        }
    }

    @Test func signingIsDeterministic() throws {
        let key = try PrivateKey(hex: Self.devKey)
        let digest = Keccak.hash256(Array("rollup".utf8))
        #expect(try key.sign(digest: digest) == key.sign(digest: digest))
    }

    @Test func highSIsDetectedAndNormalised() throws {
        let key = try PrivateKey(hex: Self.devKey)
        let digest = Keccak.hash256(Array("high s".utf8))
        let low = try key.sign(digest: digest)
        let high = try Signature(r: low.r, s: Secp256k1.curveOrder - low.s, v: low.v ^ 1)
        #expect(!high.isLowS)
        #expect(high.normalized() == low)
        #expect(low.normalized() == low)
        // Both recover the same key: high-s is valid ECDSA, only policy rejects it.
        #expect(try Secp256k1.recoverAddress(digest: digest, signature: high) == key.address)
        // Recovery with the wrong parity gives another key.
        let flipped = try Signature(r: low.r, s: low.s, v: low.v ^ 1)
        #expect((try? Secp256k1.recoverAddress(digest: digest, signature: flipped)) != key.address)
    }

    @Test func lowSBoundaryIsHalfTheOrder() throws {
        let half = Secp256k1.halfCurveOrder
        #expect(half + half + .one == Secp256k1.curveOrder)
        #expect(try Signature(r: .one, s: half, v: 0).isLowS)
        #expect(try !Signature(r: .one, s: half + .one, v: 0).isLowS)
        #expect(try Signature(r: .one, s: half + .one, v: 0).normalized().s == half)
    }

    @Test func rejectsSignatureValuesOutOfRange() {
        let n = Secp256k1.curveOrder
        for bad: U256 in [.zero, n, n + .one, .max] {
            #expect(throws: Secp256k1Error.invalidSignature) { try Signature(r: bad, s: .one, v: 0) }
            #expect(throws: Secp256k1Error.invalidSignature) { try Signature(r: .one, s: bad, v: 0) }
        }
        #expect(throws: Secp256k1Error.invalidRecoveryID(2)) { try Signature(r: .one, s: .one, v: 2) }
        #expect(throws: Secp256k1Error.invalidRecoveryID(27)) { try Signature(r: .one, s: .one, v: 27) }
        #expect(throws: Secp256k1Error.invalidSignature) { try Signature(compact: [UInt8](repeating: 1, count: 64)) }
        #expect((try? Signature(r: n - .one, s: n - .one, v: 1)) != nil)
    }

    @Test func recoveryFailsWhenNoPointHasThatR() throws {
        // r = 5: no curve point has x = 5 (5^3 + 7 = 132 is not a square mod p).
        let signature = try Signature(r: U256(5), s: .one, v: 0)
        #expect(throws: Secp256k1Error.recoveryFailed) {
            try Secp256k1.recoverAddress(digest: Keccak.hash256([1]), signature: signature)
        }
    }

    @Test func rejectsInvalidPrivateKeys() {
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: Secp256k1.curveOrder.bigEndianBytes) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: [UInt8](repeating: 0xff, count: 32)) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(hex: "0x" + String(Self.devKey.dropLast())) }
        #expect(throws: Secp256k1Error.invalidPrivateKey) { try PrivateKey(hex: "zz" + String(Self.devKey.dropFirst(2))) }
        #expect((try? PrivateKey(bytes: (Secp256k1.curveOrder - .one).bigEndianBytes)) != nil)
    }

    @Test func neverPrintsThePrivateKey() throws {
        let key = try PrivateKey(hex: Self.devKey)
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(describing: key), String(reflecting: key), dumped] {
            #expect(!text.lowercased().contains(Self.devKey.prefix(12)), "\(text)")
            #expect(!text.contains("12437"), "no decimal words either: \(text)")
        }
    }

    @Test func parsesPublicKeysInBothForms() throws {
        let key = try PrivateKey(hex: Self.devKey)
        let pub = key.publicKey
        #expect(pub.bytes.count == 64)
        #expect(try PublicKey(bytes: pub.bytes) == pub)
        #expect(try PublicKey(bytes: pub.uncompressed) == pub)
        var offCurve = pub.bytes
        offCurve[63] ^= 1
        #expect(throws: Secp256k1Error.invalidPublicKey) { try PublicKey(bytes: offCurve) }
        #expect(throws: Secp256k1Error.invalidPublicKey) { try PublicKey(bytes: [0x02] + pub.bytes) }
        #expect(throws: Secp256k1Error.invalidPublicKey) { try PublicKey(bytes: pub.bytes.dropLast()) }
        #expect(pub.address == key.address)
    }
}
