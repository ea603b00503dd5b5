/// A 2048-bit log bloom filter (yellow paper, section 4.4.1).
///
/// Each inserted item (a log's address and each of its topics) sets three bits: for the first
/// three byte pairs of keccak256(item), the low 11 bits of the pair, counted from the least
/// significant bit of the 256-byte big-endian filter.
public struct Bloom: Hashable, Sendable {
    /// The 256 bytes of the filter, as in headers and receipts.
    public private(set) var bytes: [UInt8]

    public static let byteCount = 256

    /// The empty filter.
    public static let empty = Bloom()

    public init() { bytes = [UInt8](repeating: 0, count: Self.byteCount) }

    /// From exactly 256 bytes; anything else is a programmer error.
    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == Self.byteCount, "Bloom needs 256 bytes, got \(bytes.count)")
        self.bytes = Array(bytes)
    }

    /// The filter of these logs' addresses and topics.
    public init(logs: [Log]) {
        self.init()
        for log in logs { insert(log) }
    }

    public var isEmpty: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Adds a log's address and topics.
    public mutating func insert(_ log: Log) {
        insert(log.address.bytes)
        for topic in log.topics { insert(topic.bytes) }
    }

    /// Adds an item (an address or a topic, as bytes).
    public mutating func insert(_ item: [UInt8]) {
        for (index, mask) in Self.bits(of: item) { bytes[index] |= mask }
    }

    /// Whether the item may have been added (false positives are possible, false negatives not).
    public func contains(_ item: [UInt8]) -> Bool {
        Self.bits(of: item).allSatisfy { bytes[$0.index] & $0.mask != 0 }
    }

    /// Whether every bit set in `other` is set here.
    public func contains(_ other: Bloom) -> Bool {
        zip(bytes, other.bytes).allSatisfy { $0 & $1 == $1 }
    }

    /// Adds every bit of `other` (a block's bloom is the union of its receipts' blooms).
    public mutating func formUnion(_ other: Bloom) {
        for i in 0..<Self.byteCount { bytes[i] |= other.bytes[i] }
    }

    public func union(_ other: Bloom) -> Bloom {
        var copy = self
        copy.formUnion(other)
        return copy
    }

    /// The three (byte index, bit mask) pairs an item sets.
    static func bits(of item: [UInt8]) -> [(index: Int, mask: UInt8)] {
        let hash = Keccak.hash256(item)
        // The first three byte pairs of the hash are the top 48 bits of its first word.
        return (0..<3).map { k in
            let bit = Int(truncatingIfNeeded: hash.w0 >> (48 - 16 * UInt64(k))) & 2047
            return (Self.byteCount - 1 - bit / 8, UInt8(1) << (bit % 8))
        }
    }
}

extension RLPWriter {
    public mutating func write(_ bloom: Bloom) { write(bytes: bloom.bytes) }
}

extension RLPReader {
    /// Reads a 256-byte bloom filter.
    public mutating func readBloom() throws(RLPError) -> Bloom {
        let b = try readBytes()
        guard b.count == Bloom.byteCount else { throw .wrongLength(expected: Bloom.byteCount, actual: b.count) }
        return Bloom(b)
    }
}
