import Foundation
import Primitives
@testable import Signer
import Testing

@Suite struct KeyFileTests {
    static let keyHex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

    /// A fresh directory under the system temp dir.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "signer-keyfile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ contents: [UInt8], mode: Int = 0o600) throws -> String {
        let path = try temporaryDirectory() + "/key"
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static let valid: [(String, String)] = [
        ("bare", keyHex),
        ("0x prefix", "0x" + keyHex),
        ("0X prefix", "0X" + keyHex),
        ("trailing newline", keyHex + "\n"),
        ("upper case", keyHex.uppercased()),
    ]

    @Test(arguments: valid)
    func acceptsTheDocumentedForms(name: String, contents: String) throws {
        let path = try Self.write(Array(contents.utf8))
        let signer = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false)
        #expect(signer.address == (try PrivateKey(hex: Self.keyHex)).address, "\(name)")
    }

    static let invalid: [(String, [UInt8], SignerError.KeyFileProblem, String)] = [
        ("empty file", [], .empty, "is empty"),
        ("only a newline", Array("\n".utf8), .empty, "is empty"),
        ("too short", Array(String(keyHex.dropLast(2)).utf8), .wrongLength(62), "holds 62 hex digits; a secp256k1 key needs exactly 64"),
        ("too long", Array((keyHex + "00").utf8), .wrongLength(66), "holds 66 hex digits"),
        ("0x only", Array("0x".utf8), .wrongLength(0), "holds 0 hex digits"),
        ("non-hex character", Array(("0x" + keyHex.prefix(10) + "g" + keyHex.dropFirst(11)).utf8), .nonHexCharacter(position: 13),
         "non-hex character at position 13"),
        ("CRLF line ending", Array((keyHex + "\r\n").utf8), .carriageReturn(position: 65), "carriage return at position 65"),
        ("trailing space", Array((keyHex + " ").utf8), .whitespace(position: 65), "whitespace at position 65"),
        ("leading tab", Array(("\t" + keyHex).utf8), .whitespace(position: 1), "whitespace at position 1"),
        ("two trailing newlines", Array((keyHex + "\n\n").utf8), .multipleLines, "more than one line"),
        ("two lines", Array((keyHex + "\n" + keyHex + "\n").utf8), .multipleLines, "more than one line"),
        ("zero key", Array(String(repeating: "0", count: 64).utf8), .invalidKey, "not a valid secp256k1 private key"),
        ("key above the curve order", Array(String(repeating: "f", count: 64).utf8), .invalidKey, "not a valid secp256k1 private key"),
        ("UTF-8 BOM", [0xEF, 0xBB, 0xBF] + Array(keyHex.utf8), .nonHexCharacter(position: 1), "non-hex character at position 1"),
    ]

    @Test(arguments: invalid)
    func everyViolationHasItsOwnErrorNamingTheFileButNotTheKey(
        name: String, contents: [UInt8], problem: SignerError.KeyFileProblem, phrase: String
    ) async throws {
        let path = try Self.write(contents)
        let error = await signerError { _ = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false) }
        #expect(error?.code == .keyFile(problem), "\(name)")
        #expect(error?.message.contains(path) == true, "\(name): \(error?.message ?? "")")
        #expect(error?.message.contains(phrase) == true, "\(name): \(error?.message ?? "")")
        Self.expectNoKeyMaterial(in: error, name: name)
    }

    @Test func missingFile() async throws {
        let path = try Self.temporaryDirectory() + "/absent"
        let error = await signerError { _ = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false) }
        #expect(error?.code == .keyFile(.missing))
        #expect(error?.message == "signer key file \(path) does not exist")
    }

    @Test func unreadableFileAndDirectory() async throws {
        let directory = try Self.temporaryDirectory()
        let error = await signerError { _ = try LocalKeySigner.loadKeyFile(path: directory, allowInsecurePermissions: false) }
        #expect(error?.code == .keyFile(.unreadable))
        #expect(error?.message.contains("is not a regular file") == true)

        if getuid() != 0 {  // root reads mode-000 files anyway
            let path = try Self.write(Array(Self.keyHex.utf8), mode: 0o000)
            let e2 = await signerError { _ = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false) }
            #expect(e2?.code == .keyFile(.unreadable))
            #expect(e2?.message.contains("cannot be opened: Permission denied") == true)
        }
    }

    @Test(arguments: [0o640, 0o604, 0o644, 0o660, 0o606, 0o620])
    func groupOrOtherAccessIsRefusedWithTheChmodHint(mode: Int) async throws {
        let path = try Self.write(Array(Self.keyHex.utf8), mode: mode)
        let error = await signerError { _ = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false) }
        #expect(error?.code == .keyFile(.insecurePermissions(mode: UInt32(mode))))
        #expect(error?.message.contains("chmod 600 \(path)") == true)
        #expect(error?.message.contains("mode 0\(String(mode, radix: 8))") == true)
        Self.expectNoKeyMaterial(in: error, name: "mode \(mode)")
    }

    @Test func insecurePermissionsAreAcceptedWithTheOverride() throws {
        let path = try Self.write(Array(Self.keyHex.utf8), mode: 0o644)
        let signer = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: true)
        #expect(signer.address == (try PrivateKey(hex: Self.keyHex)).address)
    }

    @Test(arguments: [0o600, 0o400])
    func ownerOnlyModesAreAccepted(mode: Int) throws {
        let path = try Self.write(Array(Self.keyHex.utf8), mode: mode)
        _ = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false)
    }

    @Test func keyFileSignerSignaturesRecoverToItsAddress() async throws {
        let path = try Self.write(Array(Self.keyHex.utf8))
        let signer = try LocalKeySigner.loadKeyFile(path: path, allowInsecurePermissions: false)
        #expect(!signer.backendDescription.contains(Self.keyHex))
        #expect(!"\(signer)".contains(Self.keyHex.prefix(16)))
        for i in 0..<20 as Range<UInt64> {
            let digest = testDigest(i)
            let signature = try await signer.sign(digest: digest, height: i)
            #expect(signature.signature.isLowS)
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature.signature) == signer.address)
        }
    }

    /// No 8-character run of the key's hex digits appears in the message.
    static func expectNoKeyMaterial(in error: SignerError?, name: String) {
        guard let message = error?.description.lowercased() else { return }
        let key = Array(keyHex)
        for start in 0...(key.count - 8) {
            #expect(!message.contains(String(key[start..<start + 8])), "\(name): message leaks key digits")
        }
    }
}
