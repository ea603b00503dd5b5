internal import CSecp256k1

/// A secp256k1 public key, a point on the curve, kept as its affine coordinates.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The big-endian X and Y coordinates.
    public let x: Hash32, y: Hash32

    /// From 64 bytes X||Y, or 65 bytes 0x04||X||Y (the uncompressed SEC1 form, as AWS KMS and
    /// most tools give it). The point must lie on the curve.
    public init<C: Collection>(bytes: C) throws(Secp256k1Error) where C.Element == UInt8 {
        var sec1 = [UInt8](repeating: 0x04, count: 65)
        switch bytes.count {
        case 64: sec1.replaceSubrange(1..<65, with: bytes)
        case 65 where bytes.first == 0x04: sec1 = Array(bytes)
        default: throw .invalidPublicKey
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &key, sec1, 65) == 1 else {
            throw .invalidPublicKey
        }
        self.init(parsed: key)
    }

    /// From libsecp256k1's internal form.
    init(parsed key: secp256k1_pubkey) {
        var key = key
        var out: (UInt8, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let (x, y) = withUnsafeMutableBytes(of: &out) { raw -> (Hash32, Hash32) in
            Self.serialize(&key, into: raw.baseAddress!)
            return (Hash32(raw: raw.baseAddress! + 1), Hash32(raw: raw.baseAddress! + 33))
        }
        self.x = x; self.y = y
    }

    /// 64 bytes X||Y (the form Ethereum hashes into an address).
    public var bytes: [UInt8] { x.bytes + y.bytes }

    /// 65 bytes 0x04||X||Y.
    public var uncompressed: [UInt8] { [0x04] + bytes }

    /// keccak256(X||Y), last 20 bytes.
    public var address: Address {
        var words = (x.w0.bigEndian, x.w1.bigEndian, x.w2.bigEndian, x.w3.bigEndian,
                     y.w0.bigEndian, y.w1.bigEndian, y.w2.bigEndian, y.w3.bigEndian)
        return withUnsafeBytes(of: &words) { Address(lastBytesOf: Keccak.hash256($0)) }
    }

    /// The address of a recovered key, computed on the stack (the recovery fast path).
    static func address(of key: secp256k1_pubkey) -> Address {
        var key = key
        // 0x04 || X || Y needs 65 bytes; the tuple gives 72 aligned ones.
        var out: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &out) { raw -> Address in
            serialize(&key, into: raw.baseAddress!)
            return Address(lastBytesOf: Keccak.hash256(UnsafeRawBufferPointer(start: raw.baseAddress! + 1, count: 64)))
        }
    }

    /// Writes the 65-byte uncompressed serialization of `key` at `out`.
    private static func serialize(_ key: inout secp256k1_pubkey, into out: UnsafeMutableRawPointer) {
        var length = 65
        let ok = secp256k1_ec_pubkey_serialize(
            Secp256k1Context.shared.pointer, out.assumingMemoryBound(to: UInt8.self), &length, &key,
            UInt32(SECP256K1_EC_UNCOMPRESSED))
        precondition(ok == 1 && length == 65, "secp256k1_ec_pubkey_serialize failed")
    }

    public var description: String { Hex.encode(uncompressed) }
}
