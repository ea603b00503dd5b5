internal import CSecp256k1

/// A secp256k1 private key: 32 bytes in [1, n-1].
///
/// The key never prints: `description`, `debugDescription` and reflection (`dump`) show a
/// placeholder. It is a value type, so copies cannot be wiped; keep keys in as few places as
/// possible.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The 32 key bytes, in order, in the tuple's memory (not as integers).
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// From exactly 32 big-endian bytes; rejects zero and values >= n.
    public init<C: Collection>(bytes: C) throws(Secp256k1Error) where C.Element == UInt8 {
        guard bytes.count == 32 else { throw .invalidPrivateKey }
        withUnsafeMutableBytes(of: &storage) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let valid = withKeyBytes { secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, $0) }
        guard valid == 1 else { storage = (0, 0, 0, 0); throw .invalidPrivateKey }
    }

    /// From 64 hex digits with an optional `0x` prefix. The error never contains the input.
    public init(hex: some StringProtocol) throws(Secp256k1Error) {
        var bytes: [UInt8]
        do { bytes = try Hex.decodeOptionalPrefix(hex) } catch { throw .invalidPrivateKey }
        defer { for i in bytes.indices { bytes[i] = 0 } }
        try self.init(bytes: bytes)
    }

    /// A fresh key from the system's cryptographic random source.
    public static func random() -> PrivateKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            var words = (generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64)
            let key = withUnsafeBytes(of: &words) { raw in try? PrivateKey(bytes: raw) }
            words = (0, 0, 0, 0)
            if let key { return key }
        }
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        var key = secp256k1_pubkey()
        let ok = withKeyBytes { secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &key, $0) }
        precondition(ok == 1, "secp256k1_ec_pubkey_create failed for a verified key")
        return PublicKey(parsed: key)
    }

    /// The account address of this key.
    public var address: Address { publicKey.address }

    /// Signs a 32-byte digest (RFC 6979 nonce). libsecp256k1 always returns low-s.
    public func sign(digest: Hash32) throws(Secp256k1Error) -> Signature {
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        var message = digest.bigEndianWords
        let signed = withKeyBytes { key in
            withUnsafeBytes(of: &message) { raw in
                secp256k1_ecdsa_sign_recoverable(context, &signature, raw.bindMemory(to: UInt8.self).baseAddress!, key, nil, nil)
            }
        }
        guard signed == 1 else { throw .signingFailed }
        var compact: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var recoveryID: Int32 = 0
        return withUnsafeMutableBytes(of: &compact) { raw -> Signature in
            let out = raw.bindMemory(to: UInt8.self).baseAddress!
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, out, &recoveryID, &signature)
            return Signature(uncheckedR: U256(bigEndianRaw: raw.baseAddress!), s: U256(bigEndianRaw: raw.baseAddress! + 32),
                             v: UInt8(recoveryID))
        }
    }

    private func withKeyBytes<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        var copy = storage
        defer { copy = (0, 0, 0, 0) }
        return withUnsafeBytes(of: &copy) { body($0.bindMemory(to: UInt8.self).baseAddress!) }
    }

    public var description: String { "PrivateKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
