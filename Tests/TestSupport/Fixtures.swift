import Foundation

/// Loads JSON test fixtures and reports how many conformance cases a suite executed.
public enum Fixtures {
    /// Parses the JSON file at `url` into Foundation objects.
    public static func json(at url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    /// Every `.json` file below `directory`, sorted by path.
    public static func jsonFiles(under directory: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }

    /// Prints a line that CI logs keep: which suite ran how many cases and how many were excluded.
    public static func report(suite: String, executed: Int, excluded: Int = 0) {
        print("conformance: \(suite): \(executed) cases executed, \(excluded) excluded")
    }

    /// Bytes of a hex string with or without `0x` (test data only; throws on bad digits).
    public static func bytes(_ hex: String) throws -> [UInt8] {
        let digits = hex.hasPrefix("0x") || hex.hasPrefix("0X") ? String(hex.dropFirst(2)) : hex
        guard digits.count % 2 == 0 else { throw FixtureError.badHex(hex) }
        var out: [UInt8] = []
        var it = digits.makeIterator()
        while let a = it.next(), let b = it.next() {
            guard let v = UInt8(String([a, b]), radix: 16) else { throw FixtureError.badHex(hex) }
            out.append(v)
        }
        return out
    }
}

public enum FixtureError: Error { case badHex(String), missing(String), malformed(String) }
