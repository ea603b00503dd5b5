#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system preparation of a datadir before RocksDB opens it.
enum Datadir {
    /// Creates `path` and its missing parents (like `mkdir -p`), and checks that it is a
    /// directory. Failures become `StorageError`s with the system's message.
    static func create(_ path: String) throws(StorageError) {
        guard !path.isEmpty else { throw .invalidArgument("the datadir path is empty", path: path) }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                if code != EEXIST { throw error(errno: code, operation: "creating \(prefix)", path: path) }
            }
            prefix += "/"
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw error(errno: errno, operation: "inspecting the datadir", path: path)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .invalidArgument("\(path) exists and is not a directory", path: path)
        }
    }

    private static func error(errno code: Int32, operation: String, path: String) -> StorageError {
        let reason = String(cString: strerror(code))
        let kind: StorageError.Code = switch code {
        case ENOSPC, EDQUOT: .noSpace
        case EACCES, EPERM, EROFS: .permissionDenied
        case ENOTDIR: .invalidArgument
        default: .ioError
        }
        var error = StorageError(code: kind, message: "\(operation): \(reason)", path: path)
        error.messageIsFromRocksDB = false
        return error
    }
}
