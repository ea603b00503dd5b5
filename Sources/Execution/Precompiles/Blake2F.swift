/// The BLAKE2b compression function F as a precompile (EIP-152, address 0x09).
///
/// Input, exactly 213 bytes: rounds (4 bytes, big-endian) || h (8 words) || m (16 words) ||
/// t (2 words) || f (1 byte, 0 or 1); words are little-endian. Output: the new h, 64 bytes.
enum Blake2F {
    static let inputLength = 213

    /// The round count, the gas price; nil when the length is wrong.
    static func rounds(_ input: [UInt8]) -> UInt32? {
        guard input.count == inputLength else { return nil }
        return UInt32(input[0]) << 24 | UInt32(input[1]) << 16 | UInt32(input[2]) << 8 | UInt32(input[3])
    }

    static let iv: [UInt64] = [
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179,
    ]

    static let sigma: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
        [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
        [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
        [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
        [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    ]

    /// nil when the final-block flag is neither 0 nor 1 (or the length is wrong).
    static func run(_ input: [UInt8]) -> [UInt8]? {
        guard let rounds = rounds(input) else { return nil }
        let flag = input[212]
        guard flag <= 1 else { return nil }
        func word(_ offset: Int) -> UInt64 {
            var w: UInt64 = 0
            for i in 0..<8 { w |= UInt64(input[offset + i]) << (8 * UInt64(i)) }
            return w
        }
        var h = (0..<8).map { word(4 + 8 * $0) }
        let m = (0..<16).map { word(68 + 8 * $0) }
        let t0 = word(196), t1 = word(204)
        compress(&h, m, t0, t1, flag == 1, rounds)
        var out = [UInt8](repeating: 0, count: 64)
        for i in 0..<8 { for j in 0..<8 { out[8 * i + j] = UInt8(truncatingIfNeeded: h[i] >> (8 * UInt64(j))) } }
        return out
    }

    /// RFC 7693 section 3.2 with a caller-chosen number of rounds.
    static func compress(_ h: inout [UInt64], _ m: [UInt64], _ t0: UInt64, _ t1: UInt64, _ last: Bool, _ rounds: UInt32) {
        var v = h + iv
        v[12] ^= t0
        v[13] ^= t1
        if last { v[14] = ~v[14] }
        func g(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64) {
            v[a] = v[a] &+ v[b] &+ x
            v[d] = (v[d] ^ v[a]).rotatedRight(32)
            v[c] = v[c] &+ v[d]
            v[b] = (v[b] ^ v[c]).rotatedRight(24)
            v[a] = v[a] &+ v[b] &+ y
            v[d] = (v[d] ^ v[a]).rotatedRight(16)
            v[c] = v[c] &+ v[d]
            v[b] = (v[b] ^ v[c]).rotatedRight(63)
        }
        var r: UInt32 = 0
        while r < rounds {
            let s = sigma[Int(r % 10)]
            g(0, 4, 8, 12, m[s[0]], m[s[1]])
            g(1, 5, 9, 13, m[s[2]], m[s[3]])
            g(2, 6, 10, 14, m[s[4]], m[s[5]])
            g(3, 7, 11, 15, m[s[6]], m[s[7]])
            g(0, 5, 10, 15, m[s[8]], m[s[9]])
            g(1, 6, 11, 12, m[s[10]], m[s[11]])
            g(2, 7, 8, 13, m[s[12]], m[s[13]])
            g(3, 4, 9, 14, m[s[14]], m[s[15]])
            r += 1
        }
        for i in 0..<8 { h[i] ^= v[i] ^ v[i + 8] }
    }
}

extension UInt64 {
    @inline(__always) func rotatedRight(_ n: UInt64) -> UInt64 { (self &>> n) | (self &<< (64 &- n)) }
    @inline(__always) func rotatedLeft(_ n: UInt64) -> UInt64 { (self &<< n) | (self &>> (64 &- n)) }
}

extension UInt32 {
    @inline(__always) func rotatedRight(_ n: UInt32) -> UInt32 { (self &>> n) | (self &<< (32 &- n)) }
    @inline(__always) func rotatedLeft(_ n: UInt32) -> UInt32 { (self &<< n) | (self &>> (32 &- n)) }
}
