/// Keccak-256 with Ethereum's (pre-FIPS) padding byte 0x01.
///
/// The sponge state lives in a stack-allocated temporary buffer: hashing allocates nothing on
/// the heap, whatever the input size.
public enum Keccak {
    static let rateBytes = 136

    public static func hash256(_ input: UnsafeRawBufferPointer) -> Hash32 {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 25) { buffer -> Hash32 in
            let s = buffer.baseAddress!
            s.initialize(repeating: 0, count: 25)
            var offset = 0
            let count = input.count
            while count - offset >= rateBytes {
                for i in 0..<17 {
                    s[i] ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self))
                }
                permute(s)
                offset += rateBytes
            }
            let remaining = count - offset
            var lane = 0
            while (lane + 1) * 8 <= remaining {
                s[lane] ^= UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 8 * lane, as: UInt64.self))
                lane += 1
            }
            var j = lane * 8
            while j < remaining {
                s[j / 8] ^= UInt64(input[offset + j]) << (8 * UInt64(j % 8))
                j += 1
            }
            s[remaining / 8] ^= 0x01 << (8 * UInt64(remaining % 8))
            s[16] ^= 0x80 << 56
            permute(s)
            // Lanes are little-endian; Hash32 words are big-endian.
            return Hash32(w0: s[0].byteSwapped, w1: s[1].byteSwapped, w2: s[2].byteSwapped, w3: s[3].byteSwapped)
        }
    }

    @inlinable
    public static func hash256<C: ContiguousCollection>(_ bytes: C) -> Hash32 where C.Element == UInt8 {
        bytes.withContiguousBytes { hash256($0) }
    }
}

/// Collections whose bytes can be viewed in place (Array, ArraySlice, ContiguousArray).
public protocol ContiguousCollection: Collection {
    func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousCollection where Element == UInt8 {
    @inlinable
    public func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousCollection where Element == UInt8 {
    @inlinable
    public func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ContiguousArray: ContiguousCollection where Element == UInt8 {
    @inlinable
    public func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension Hash32 {
    /// keccak256 of the empty string (the empty code hash).
    public static let emptyKeccak = Keccak.hash256([UInt8]())
}
