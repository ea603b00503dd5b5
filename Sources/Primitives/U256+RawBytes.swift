extension U256 {
    /// The four limbs most significant first, each byte-swapped so that the tuple's memory is
    /// the 32-byte big-endian encoding (no heap allocation).
    var bigEndianWords: (UInt64, UInt64, UInt64, UInt64) {
        (l3.bigEndian, l2.bigEndian, l1.bigEndian, l0.bigEndian)
    }

    /// From 32 big-endian bytes in memory.
    init(bigEndianRaw raw: UnsafeRawPointer) {
        self.init(
            l0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
            l1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            l2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            l3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }
}
