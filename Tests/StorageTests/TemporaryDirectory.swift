import Foundation
@testable import Storage

/// Runs `body` with a fresh directory under the system temporary directory and removes it
/// afterwards, whatever happens.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// Opens a database in a fresh temporary datadir with small memory settings.
func withDatabase<R>(
    columnFamilies: [String] = [],
    _ body: (RocksDatabase, String) throws -> R
) throws -> R {
    try withTemporaryDirectory { directory in
        let path = directory + "/db"
        let database = try RocksDatabase.open(path: path, columnFamilies: columnFamilies, options: .small)
        defer { database.close() }
        return try body(database, path)
    }
}

extension StorageConfiguration {
    /// Keeps many parallel test databases cheap.
    static let small = StorageConfiguration(
        blockCacheSize: 1 << 20, writeBufferSize: 1 << 20, maxOpenFiles: 64, minimumFreeSpace: 1 << 20)
}

/// Shorthand: the UTF-8 bytes of a string.
func b(_ string: String) -> [UInt8] { Array(string.utf8) }

/// Names of the files in `directory`.
func files(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

/// The keys of `entries`, in order.
func keys(_ entries: [KeyValue]) -> [[UInt8]] { entries.map(\.key) }
