/// The one error type of the Storage module.
///
/// Every failure reported by RocksDB (or by the file system while preparing a datadir)
/// becomes a `StorageError` that names the database path, keeps RocksDB's own message and
/// says, in `description`, what is wrong in an operator's words.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Another process, or another open handle in this process, holds the datadir's lock.
        case lockHeld
        /// RocksDB found corrupt data (bad checksum, truncated file, unreadable MANIFEST...).
        case corruption
        /// The device holding the datadir is full.
        case noSpace
        /// The process may not read or write the datadir.
        case permissionDenied
        /// Any other I/O failure.
        case ioError
        /// RocksDB reported that something it needed does not exist.
        case notFound
        /// The caller passed something invalid (unknown column family, bad range, bad option).
        case invalidArgument
        /// RocksDB was busy or timed out; retrying may succeed.
        case busy
        /// The database was closed before this operation.
        case closed
        /// Anything not covered above.
        case unknown
    }

    /// What kind of failure this is.
    public var code: Code
    /// RocksDB's (or the operating system's) own message, unchanged.
    public var message: String
    /// The datadir the failing database lives in.
    public var path: String
    /// The error that caused this one, when it did not come from RocksDB.
    public var underlying: (any Error)?
    /// Whether `message` is RocksDB's text (otherwise it is the operating system's).
    var messageIsFromRocksDB = true

    /// Creates an error; `message` should be the library's or system's text, unchanged.
    public init(code: Code, message: String, path: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.underlying = underlying
    }

    /// Whether retrying the same operation later, without operator action, may succeed.
    public var isTransient: Bool {
        switch code {
        case .busy, .ioError: true
        case .lockHeld, .corruption, .noSpace, .permissionDenied, .notFound,
             .invalidArgument, .closed, .unknown: false
        }
    }

    public var description: String {
        let source = messageIsFromRocksDB ? "RocksDB" : "system"
        let detail = message.isEmpty ? "" : " (\(source): \(message))"
        switch code {
        case .lockHeld:
            return "datadir \(path) is in use by another process or another open handle; "
                + "stop it or close that handle first\(detail)"
        case .corruption:
            return "database in datadir \(path) is corrupt; restore it from a backup or "
                + "resync into an empty datadir\(detail)"
        case .noSpace:
            return "no space left on the device holding datadir \(path); free space and "
                + "restart\(detail)"
        case .permissionDenied:
            return "permission denied on datadir \(path); check its owner and mode\(detail)"
        case .ioError:
            return "I/O error in datadir \(path)\(detail)"
        case .notFound:
            return "something the database in datadir \(path) needs was not found\(detail)"
        case .invalidArgument:
            return "invalid request for the database in datadir \(path): \(message)"
        case .busy:
            return "database in datadir \(path) is busy; retry later\(detail)"
        case .closed:
            return "database in datadir \(path) is closed\(detail)"
        case .unknown:
            return "database error in datadir \(path)\(detail)"
        }
    }
}

extension StorageError.Code {
    /// Classifies a RocksDB status message (the text behind `char **errptr`).
    ///
    /// Order matters: lock and full-disk failures arrive as "IO error: ..." and must win
    /// over the generic I/O case.
    init(rocksDBMessage message: String) {
        func has(_ needle: String) -> Bool { message.contains(needle) }
        if has("While lock file") || has("lock hold by current process")
            || has("Resource temporarily unavailable") {
            self = .lockHeld
        } else if has("No space left on device") {
            self = .noSpace
        } else if has("Corruption") {
            self = .corruption
        } else if has("Permission denied") {
            self = .permissionDenied
        } else if message.hasPrefix("Invalid argument") {
            self = .invalidArgument
        } else if message.hasPrefix("NotFound") {
            self = .notFound
        } else if message.hasPrefix("Resource busy") || message.hasPrefix("Operation timed out")
            || has("Try again") || message.hasPrefix("Operation expired") {
            self = .busy
        } else if message.hasPrefix("Shutdown in progress") {
            self = .closed
        } else if message.hasPrefix("IO error") {
            self = .ioError
        } else {
            self = .unknown
        }
    }
}

extension StorageError {
    /// An error from a RocksDB status message, classified by its text.
    init(rocksDBMessage message: String, path: String) {
        self.init(code: Code(rocksDBMessage: message), message: message, path: path)
    }

    /// The operation was attempted after `close()`.
    static func closed(path: String) -> StorageError {
        StorageError(code: .closed, message: "", path: path)
    }

    /// The caller asked for something invalid; `message` says what.
    static func invalidArgument(_ message: String, path: String) -> StorageError {
        StorageError(code: .invalidArgument, message: message, path: path)
    }
}
