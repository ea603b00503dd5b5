/// Read access to ordered key-value tables, implemented by `RocksDatabase` (latest data)
/// and `StorageSnapshot` (data frozen at one point in time).
///
/// Keys are ordered lexicographically by bytes (memcmp order; a shorter key sorts before
/// its extensions). Ranges are half-open: `from` is inclusive, `to` is exclusive, and nil
/// means unbounded on that side.
public protocol KeyValueReader: Sendable {
    /// The value stored under `key`, or nil if there is none.
    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StorageError) -> [UInt8]?

    /// Values for several keys in one call, in the order of `keys`; nil where missing.
    func multiGet(_ keys: [[UInt8]], in columnFamily: ColumnFamily) throws(StorageError) -> [[UInt8]?]

    /// Visits the entries with `from <= key < to` in ascending order, or descending when
    /// `reverse` is true, until `body` returns false. The iterator lives only for this call.
    func scan(
        in columnFamily: ColumnFamily,
        from start: [UInt8]?,
        to end: [UInt8]?,
        reverse: Bool,
        _ body: (_ key: [UInt8], _ value: [UInt8]) -> Bool
    ) throws(StorageError)
}

extension KeyValueReader {
    /// Whether a value is stored under `key`.
    public func exists(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StorageError) -> Bool {
        try get(key, in: columnFamily) != nil
    }

    /// Like `scan`, but `body` may throw; its error ends the iteration and is rethrown.
    /// Otherwise throws `StorageError`.
    public func forEach(
        in columnFamily: ColumnFamily,
        from start: [UInt8]? = nil,
        to end: [UInt8]? = nil,
        reverse: Bool = false,
        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool
    ) throws {
        var bodyError: (any Error)?
        try scan(in: columnFamily, from: start, to: end, reverse: reverse) { key, value in
            do {
                return try body(key, value)
            } catch {
                bodyError = error
                return false
            }
        }
        if let bodyError { throw bodyError }
    }

    /// Visits the entries whose key starts with `prefix`, in ascending (or, with `reverse`,
    /// descending) order, until `body` returns false. An empty prefix visits everything.
    public func forEach(
        in columnFamily: ColumnFamily,
        prefix: [UInt8],
        reverse: Bool = false,
        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool
    ) throws {
        try forEach(in: columnFamily, from: prefix, to: prefixUpperBound(prefix), reverse: reverse, body)
    }

    /// The entries with `from <= key < to`, ascending (descending with `reverse`), at most
    /// `limit` of them.
    public func entries(
        in columnFamily: ColumnFamily,
        from start: [UInt8]? = nil,
        to end: [UInt8]? = nil,
        reverse: Bool = false,
        limit: Int = .max
    ) throws(StorageError) -> [KeyValue] {
        var result: [KeyValue] = []
        guard limit > 0 else { return result }
        try scan(in: columnFamily, from: start, to: end, reverse: reverse) { key, value in
            result.append(KeyValue(key: key, value: value))
            return result.count < limit
        }
        return result
    }

    /// The entries whose key starts with `prefix`, ascending (descending with `reverse`),
    /// at most `limit` of them.
    public func entries(
        in columnFamily: ColumnFamily,
        prefix: [UInt8],
        reverse: Bool = false,
        limit: Int = .max
    ) throws(StorageError) -> [KeyValue] {
        try entries(in: columnFamily, from: prefix, to: prefixUpperBound(prefix), reverse: reverse, limit: limit)
    }

    /// The entry with the greatest key strictly below `key` (the whole column family's
    /// last entry when `key` is nil), or nil if there is none. For "at or below k" pass
    /// `k + [0]`, the smallest key above `k`.
    public func lastEntry(in columnFamily: ColumnFamily, before key: [UInt8]? = nil) throws(StorageError) -> KeyValue? {
        try entries(in: columnFamily, to: key, reverse: true, limit: 1).first
    }

    /// The entry with the smallest key at or above `key` (the first entry when nil).
    public func firstEntry(in columnFamily: ColumnFamily, from key: [UInt8]? = nil) throws(StorageError) -> KeyValue? {
        try entries(in: columnFamily, from: key, limit: 1).first
    }
}
