import Primitives

/// The two DER structures AWS KMS returns for secp256k1 keys, parsed strictly.
///
/// Strict means: definite short-form lengths that match the data exactly, no trailing bytes,
/// minimal non-negative INTEGERs (a 0x00 byte only where the next byte has its top bit set).
/// Short integers (fewer than 32 significant bytes) are normal and are left-padded.
enum DER {
    /// `SEQUENCE { SEQUENCE { id-ecPublicKey, secp256k1 }, BIT STRING (0 unused bits) 0x04... }`:
    /// everything before X and Y in an uncompressed secp256k1 SubjectPublicKeyInfo.
    static let secp256k1SPKIPrefix: [UInt8] = [
        0x30, 0x56, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a, 0x03, 0x42, 0x00,
    ]

    /// The 65-byte uncompressed point `0x04 || X || Y` of a secp256k1 SubjectPublicKeyInfo
    /// (88 bytes). Whether the point is on the curve is checked when it becomes a `PublicKey`.
    static func secp256k1PublicKey(fromSPKI der: [UInt8]) throws(SignerError) -> [UInt8] {
        guard der.count == secp256k1SPKIPrefix.count + 65 else {
            throw malformedKey("it is \(der.count) bytes, a secp256k1 SubjectPublicKeyInfo has 88")
        }
        guard der.starts(with: secp256k1SPKIPrefix) else {
            throw malformedKey("it is not an uncompressed secp256k1 SubjectPublicKeyInfo (algorithm or curve differs)")
        }
        let point = Array(der[secp256k1SPKIPrefix.count...])
        guard point[0] == 0x04 else { throw malformedKey("the point is not in uncompressed form") }
        return point
    }

    /// r and s of `SEQUENCE { INTEGER r, INTEGER s }`. Both are non-zero and fit in 256 bits;
    /// the caller checks them against the curve order.
    static func ecdsaSignature(_ der: [UInt8]) throws(SignerError) -> (r: U256, s: U256) {
        var reader = Reader(bytes: der)
        let sequence = try reader.element(tag: 0x30, what: "SEQUENCE")
        guard reader.isAtEnd else { throw malformedSignature("\(der.count - reader.offset) bytes follow the SEQUENCE") }
        var inner = Reader(bytes: sequence)
        let r = try integer(inner.element(tag: 0x02, what: "INTEGER r"), name: "r")
        let s = try integer(inner.element(tag: 0x02, what: "INTEGER s"), name: "s")
        guard inner.isAtEnd else { throw malformedSignature("the SEQUENCE holds more than two INTEGERs") }
        return (r, s)
    }

    private static func integer(_ content: [UInt8], name: String) throws(SignerError) -> U256 {
        guard let first = content.first else { throw malformedSignature("INTEGER \(name) is empty") }
        guard first & 0x80 == 0 else { throw malformedSignature("INTEGER \(name) is negative") }
        if first == 0 && content.count > 1 && content[1] & 0x80 == 0 {
            throw malformedSignature("INTEGER \(name) has a redundant leading zero byte")
        }
        let magnitude = first == 0 ? content.dropFirst() : content[...]
        guard magnitude.count <= 32, let value = U256(bigEndian: [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude)
        else { throw malformedSignature("INTEGER \(name) is longer than 32 bytes") }
        guard !value.isZero else { throw malformedSignature("INTEGER \(name) is zero") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var isAtEnd: Bool { offset == bytes.count }

        /// One tag-length-value element with a short-form length; returns its content.
        mutating func element(tag: UInt8, what: String) throws(SignerError) -> [UInt8] {
            guard offset + 2 <= bytes.count else { throw malformedSignature("truncated before \(what)") }
            guard bytes[offset] == tag else {
                throw malformedSignature("expected \(what) (tag 0x\(String(tag, radix: 16))), found tag 0x\(String(bytes[offset], radix: 16))")
            }
            let length = Int(bytes[offset + 1])
            guard length < 0x80 else { throw malformedSignature("\(what) uses a long-form length, which a secp256k1 signature never needs") }
            offset += 2
            guard offset + length <= bytes.count else { throw malformedSignature("\(what) claims \(length) bytes, only \(bytes.count - offset) remain") }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
    }

    private static func malformedSignature(_ detail: String) -> SignerError {
        SignerError(.kms(.malformedSignature), "AWS KMS returned a malformed DER signature: \(detail)")
    }

    private static func malformedKey(_ detail: String) -> SignerError {
        SignerError(.kms(.malformedPublicKey), "AWS KMS returned an unusable public key: \(detail)")
    }
}
