/// Helpers for passing `[UInt8]` to RocksDB's `const char*` + length parameters.

/// Calls `body` with a C view of `bytes` (the pointer may be nil when `bytes` is empty).
@inline(__always)
func withCBytes<R, E: Error>(
    _ bytes: [UInt8],
    _ body: (UnsafePointer<CChar>?, Int) throws(E) -> R
) throws(E) -> R {
    try bytes.withUnsafeBufferPointer { (buffer) throws(E) -> R in
        let pointer = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
        return try body(pointer, buffer.count)
    }
}

/// Copies `count` bytes that RocksDB returned into a Swift array.
@inline(__always)
func copyBytes(_ pointer: UnsafePointer<CChar>?, count: Int) -> [UInt8] {
    guard let pointer, count > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
}

/// A heap copy of `bytes` with a non-nil address that stays put until `deallocate()`,
/// for RocksDB options that keep a pointer (iterate bounds).
struct PinnedBytes {
    let pointer: UnsafeMutablePointer<CChar>
    let count: Int

    init(_ bytes: [UInt8]) {
        pointer = .allocate(capacity: max(bytes.count, 1))
        count = bytes.count
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: raw.count) }
        }
    }

    func deallocate() { pointer.deallocate() }
}

/// Lexicographic (memcmp) order of byte strings, the order RocksDB's default comparator uses.
@inline(__always)
func bytesPrecede(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.lexicographicallyPrecedes(rhs)
}

/// The smallest key greater than every key that starts with `prefix`, or nil when there is
/// none (the prefix is empty or all 0xFF), i.e. the exclusive end of a prefix scan.
func prefixUpperBound(_ prefix: [UInt8]) -> [UInt8]? {
    var bound = prefix
    while let last = bound.last {
        if last == 0xFF {
            bound.removeLast()
        } else {
            bound[bound.count - 1] = last + 1
            return bound
        }
    }
    return nil
}

/// Calls `body` with NUL-terminated C copies of `strings` that stay valid for the call.
func withCStrings<R, E: Error>(
    _ strings: [String],
    _ body: ([UnsafePointer<CChar>?]) throws(E) -> R
) throws(E) -> R {
    let copies: [UnsafeMutablePointer<CChar>] = strings.map { string in
        let utf8 = Array(string.utf8CString)
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        copy.initialize(from: utf8, count: utf8.count)
        return copy
    }
    defer { copies.forEach { $0.deallocate() } }
    return try body(copies.map { UnsafePointer($0) })
}
