extension Hash32 {
    /// The words byte-swapped so that the tuple's memory is the 32 bytes in order.
    var bigEndianWords: (UInt64, UInt64, UInt64, UInt64) {
        (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
    }

    /// From 32 bytes in memory.
    init(raw: UnsafeRawPointer) {
        self.init(
            w0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            w1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            w2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            w3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }
}
