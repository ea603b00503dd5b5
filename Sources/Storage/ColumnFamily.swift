/// A column family of one open `RocksDatabase`: a separate ordered key space (a table).
///
/// Obtain one with `RocksDatabase.columnFamily(named:)` or `defaultColumnFamily`. It is a
/// cheap value; using it with a different database throws `.invalidArgument`.
public struct ColumnFamily: Hashable, Sendable, CustomStringConvertible {
    /// The name of RocksDB's always-present column family.
    public static let defaultName = "default"

    /// The column family's name, as given to `RocksDatabase.open`.
    public let name: String
    /// Position in the owning database's handle array.
    let index: Int
    /// Identity of the owning database instance.
    let databaseID: UInt64

    public var description: String { name }
}
