/// A recoverable ECDSA signature: r, s and the recovery id v (the y parity of the nonce point).
///
/// Construction checks that r and s lie in [1, n-1] and v is 0 or 1. High-s signatures are
/// representable (they are valid ECDSA); `isLowS` and `normalized()` deal with EIP-2.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    public let r: U256
    public let s: U256
    /// Recovery id, 0 or 1. Transactions encode it as y parity (typed) or 27/28 / EIP-155 v (legacy).
    public let v: UInt8

    /// Validates r, s in [1, n-1] and v in {0, 1}.
    public init(r: U256, s: U256, v: UInt8) throws(Secp256k1Error) {
        guard Self.isInRange(r), Self.isInRange(s) else { throw .invalidSignature }
        guard v <= 1 else { throw .invalidRecoveryID(v) }
        self.r = r; self.s = s; self.v = v
    }

    /// From 65 bytes r || s || v, v in {0, 1} (the block-signature encoding).
    public init<C: Collection>(compact bytes: C) throws(Secp256k1Error) where C.Element == UInt8 {
        let b = Array(bytes)
        guard b.count == 65 else { throw .invalidSignature }
        try self.init(r: U256(bigEndian: b[0..<32])!, s: U256(bigEndian: b[32..<64])!, v: b[64])
    }

    /// Already validated by the caller.
    init(uncheckedR r: U256, s: U256, v: UInt8) { self.r = r; self.s = s; self.v = v }

    /// 65 bytes r || s || v.
    public var compact: [UInt8] { r.bigEndianBytes + s.bigEndianBytes + [v] }

    /// Whether s <= n/2, as EIP-2 requires of transaction signatures and followers require of
    /// block signatures.
    public var isLowS: Bool { s <= Secp256k1.halfCurveOrder }

    /// The low-s twin of this signature: s -> n - s flips v. Returns `self` when already low-s.
    public func normalized() -> Signature {
        if isLowS { return self }
        return Signature(uncheckedR: r, s: Secp256k1.curveOrder - s, v: v ^ 1)
    }

    /// Whether `value` is in [1, n-1].
    public static func isInRange(_ value: U256) -> Bool { !value.isZero && value < Secp256k1.curveOrder }

    public var description: String { "Signature(r: \(r.quantity), s: \(s.quantity), v: \(v))" }
}
