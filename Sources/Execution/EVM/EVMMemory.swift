/// A frame's memory: bytes in one growing buffer, always a whole number of 32-byte words.
final class EVMMemory {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Size in bytes (a multiple of 32).
    private(set) var count = 0

    init(capacity: Int = 4_096) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    var words: Int { count / 32 }

    /// Grows to `newCount` bytes (a multiple of 32) with zeros.
    func grow(to newCount: Int) {
        guard newCount > count else { return }
        if newCount > capacity {
            var c = capacity * 2
            while c < newCount { c *= 2 }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            p.update(from: pointer, count: count)
            pointer.deallocate()
            pointer = p
            capacity = c
        }
        (pointer + count).initialize(repeating: 0, count: newCount - count)
        count = newCount
    }

    func bytes(_ offset: Int, _ size: Int) -> [UInt8] {
        size == 0 ? [] : Array(UnsafeBufferPointer(start: pointer + offset, count: size))
    }

    /// Copies `size` bytes from `source` starting at `sourceOffset`, padding with zeros past its end.
    func write(_ offset: Int, _ size: Int, from source: UnsafeRawBufferPointer, sourceOffset: Int) {
        guard size > 0 else { return }
        let available = sourceOffset < source.count ? min(size, source.count - sourceOffset) : 0
        if available > 0 {
            (pointer + offset).update(from: source.baseAddress!.assumingMemoryBound(to: UInt8.self) + sourceOffset, count: available)
        }
        if available < size { (pointer + offset + available).update(repeating: 0, count: size - available) }
    }

    func write(_ offset: Int, _ size: Int, from source: [UInt8], sourceOffset: Int) {
        source.withUnsafeBytes { write(offset, size, from: $0, sourceOffset: sourceOffset) }
    }
}
