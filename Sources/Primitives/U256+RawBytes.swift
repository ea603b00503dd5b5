extension U256 {
    /// The four limbs most significant first, each byte-swapped so that the tuple's memory is
    /// the 32-byte big-endian encoding (no heap allocation).
    @inlinable
    public var bigEndianWords: (UInt64, UInt64, UInt64, UInt64) {
        (l3.bigEndian, l2.bigEndian, l1.bigEndian, l0.bigEndian)
    }

    /// From 32 big-endian bytes in memory (no alignment needed).
    @inlinable
    public init(bigEndianRaw raw: UnsafeRawPointer) {
        self.init(
            l0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
            l1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            l2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            l3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }

    /// From big-endian bytes, right-aligned: fewer than 32 bytes are zero-extended on the left
    /// (PUSHn); more than 32 keep the last 32 (the value modulo 2^256). Never allocates.
    @inlinable
    public init(bigEndianBytes bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        if count >= 32 {
            self.init(bigEndianRaw: bytes.baseAddress! + (count - 32))
            return
        }
        var padded: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        if count > 0 {
            withUnsafeMutableBytes(of: &padded) { dst in
                (dst.baseAddress! + (32 - count)).copyMemory(from: bytes.baseAddress!, byteCount: count)
            }
        }
        self = withUnsafeBytes(of: &padded) { U256(bigEndianRaw: $0.baseAddress!) }
    }

    /// From a slice of big-endian bytes, with the rules of `init(bigEndianBytes:)` for buffers.
    @inlinable
    public init(bigEndianBytes bytes: ArraySlice<UInt8>) {
        self = bytes.withUnsafeBytes { U256(bigEndianBytes: $0) }
    }

    /// From an array of big-endian bytes, with the rules of `init(bigEndianBytes:)` for buffers.
    @inlinable
    public init(bigEndianBytes bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { U256(bigEndianBytes: $0) }
    }

    /// Writes the 32-byte big-endian encoding at `p` (no alignment needed, no allocation).
    @inlinable
    public func storeBigEndian(into p: UnsafeMutableRawPointer) {
        p.storeBytes(of: l3.bigEndian, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: l2.bigEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: l1.bigEndian, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: l0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }
}
