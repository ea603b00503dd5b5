/// A set of writes applied atomically by `RocksDatabase.write(_:sync:)`: after a crash
/// either all of them are visible or none is.
///
/// A plain value: build it anywhere, pass it between tasks, write it once or many times.
/// Operations apply in the order they were added.
public struct WriteBatch: Sendable {
    enum Operation: Sendable {
        case put(ColumnFamily, key: [UInt8], value: [UInt8])
        case delete(ColumnFamily, key: [UInt8])
        case deleteRange(ColumnFamily, start: [UInt8], end: [UInt8])

        var columnFamily: ColumnFamily {
            switch self {
            case .put(let cf, _, _), .delete(let cf, _), .deleteRange(let cf, _, _): cf
            }
        }
    }

    private(set) var operations: [Operation] = []

    /// An empty batch.
    public init() {}

    /// Number of operations in the batch.
    public var count: Int { operations.count }

    /// Whether the batch has no operations.
    public var isEmpty: Bool { operations.isEmpty }

    /// Stores `value` under `key` in `columnFamily`, replacing any previous value.
    public mutating func put(_ key: [UInt8], _ value: [UInt8], in columnFamily: ColumnFamily) {
        operations.append(.put(columnFamily, key: key, value: value))
    }

    /// Removes `key` from `columnFamily`; removing a missing key is not an error.
    public mutating func delete(_ key: [UInt8], in columnFamily: ColumnFamily) {
        operations.append(.delete(columnFamily, key: key))
    }

    /// Removes every key in `[start, end)` from `columnFamily`. `start == end` is a no-op;
    /// `start > end` makes `write` throw `.invalidArgument`.
    public mutating func deleteRange(from start: [UInt8], to end: [UInt8], in columnFamily: ColumnFamily) {
        operations.append(.deleteRange(columnFamily, start: start, end: end))
    }

    /// Removes all operations, keeping the capacity.
    public mutating func removeAll() {
        operations.removeAll(keepingCapacity: true)
    }
}
