import Primitives

/// The ecrecover precompile (0x01): input hash || v || r || s (32 bytes each, zero-padded when
/// shorter); output the signer's address left-padded to 32 bytes, or nothing when v is not 27
/// or 28, r or s is outside [1, n-1], or no key matches. High s is accepted (no EIP-2 here).
enum ECRecover {
    static let gas: UInt64 = 3_000

    static func run(_ input: [UInt8]) -> [UInt8] {
        var padded = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                      UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let words = withUnsafeMutableBytes(of: &padded) { raw -> (Hash32, U256, U256, U256) in
            input.withUnsafeBytes { src in
                let n = Swift.min(src.count, 128)
                if n > 0 { raw.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: n) }
            }
            let p = UnsafeRawPointer(raw.baseAddress!)
            return (Hash32(Array(UnsafeRawBufferPointer(start: p, count: 32))),
                    U256(bigEndianRaw: p + 32), U256(bigEndianRaw: p + 64), U256(bigEndianRaw: p + 96))
        }
        let (digest, v, r, s) = words
        guard v == U256(27) || v == U256(28),
              let signature = try? Signature(r: r, s: s, v: UInt8(v.l0 - 27)),
              let address = try? Secp256k1.recoverAddress(digest: digest, signature: signature)
        else { return [] }
        return [UInt8](repeating: 0, count: 12) + address.bytes
    }
}
