internal import CSecp256k1

/// ECDSA over secp256k1 as Ethereum uses it: recoverable signatures over 32-byte digests.
///
/// All calls share one randomized libsecp256k1 context (`Secp256k1Context`). Recovery does not
/// allocate on the heap: its buffers live on the stack.
public enum Secp256k1 {
    /// The order n of the curve's base point.
    public static let curveOrder = U256(
        l0: 0xBFD2_5E8C_D036_4141, l1: 0xBAAE_DCE6_AF48_A03B,
        l2: 0xFFFF_FFFF_FFFF_FFFE, l3: 0xFFFF_FFFF_FFFF_FFFF)

    /// n / 2 (rounded down): the largest `s` a low-s signature may have (EIP-2).
    public static let halfCurveOrder = U256(
        l0: 0xDFE9_2F46_681B_20A0, l1: 0x5D57_6E73_57A4_501D,
        l2: 0xFFFF_FFFF_FFFF_FFFF, l3: 0x7FFF_FFFF_FFFF_FFFF)

    /// Recovers the public key that produced `signature` over `digest`.
    ///
    /// High-s signatures are recovered like low-s ones (as the ecrecover precompile does);
    /// callers that need EIP-2 check `signature.isLowS` themselves.
    public static func recoverPublicKey(digest: Hash32, signature: Signature) throws(Secp256k1Error) -> PublicKey {
        var key = secp256k1_pubkey()
        guard recover(digest: digest, signature: signature, into: &key) else { throw .recoveryFailed }
        return PublicKey(parsed: key)
    }

    /// Recovers the address of the key that produced `signature` over `digest`.
    ///
    /// High-s signatures are accepted here (see `recoverPublicKey(digest:signature:)`).
    public static func recoverAddress(digest: Hash32, signature: Signature) throws(Secp256k1Error) -> Address {
        var key = secp256k1_pubkey()
        guard recover(digest: digest, signature: signature, into: &key) else { throw .recoveryFailed }
        return PublicKey.address(of: key)
    }

    /// The C calls behind recovery: compact signature and digest on the stack, no heap.
    static func recover(digest: Hash32, signature: Signature, into key: inout secp256k1_pubkey) -> Bool {
        let context = Secp256k1Context.shared.pointer
        var parsed = secp256k1_ecdsa_recoverable_signature()
        let r = signature.r, s = signature.s
        // r || s, 64 big-endian bytes in memory.
        var compact = (r.l3.bigEndian, r.l2.bigEndian, r.l1.bigEndian, r.l0.bigEndian,
                       s.l3.bigEndian, s.l2.bigEndian, s.l1.bigEndian, s.l0.bigEndian)
        let parsedOK = withUnsafeBytes(of: &compact) { raw in
            secp256k1_ecdsa_recoverable_signature_parse_compact(
                context, &parsed, raw.bindMemory(to: UInt8.self).baseAddress!, Int32(signature.v))
        }
        guard parsedOK == 1 else { return false }
        var message = digest.bigEndianWords
        return withUnsafeBytes(of: &message) { raw in
            secp256k1_ecdsa_recover(context, &key, &parsed, raw.bindMemory(to: UInt8.self).baseAddress!) == 1
        }
    }
}

/// Why a key or signature was rejected, or a secp256k1 operation failed.
public enum Secp256k1Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not 32 bytes, zero, or not below the curve order.
    case invalidPrivateKey
    /// Not a point on the curve, or not 64 (X||Y) / 65 (0x04||X||Y) bytes.
    case invalidPublicKey
    /// r or s is outside [1, n-1], or a compact signature is not 65 bytes.
    case invalidSignature
    /// The recovery id (y parity) is neither 0 nor 1.
    case invalidRecoveryID(UInt8)
    /// No public key matches the signature and digest.
    case recoveryFailed
    /// libsecp256k1 could not produce a signature (a nonce failure; practically never happens).
    case signingFailed

    public var description: String {
        switch self {
        case .invalidPrivateKey: "secp256k1: invalid private key"
        case .invalidPublicKey: "secp256k1: invalid public key"
        case .invalidSignature: "secp256k1: signature r or s out of range"
        case .invalidRecoveryID(let v): "secp256k1: recovery id \(v) is not 0 or 1"
        case .recoveryFailed: "secp256k1: public key recovery failed"
        case .signingFailed: "secp256k1: signing failed"
        }
    }
}
