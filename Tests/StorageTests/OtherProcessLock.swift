import Foundation

/// Holds RocksDB's LOCK file from a separate process (python3's `fcntl.lockf` takes the same
/// POSIX record lock RocksDB uses), so the test sees the real cross-process message.
final class OtherProcessLock {
    private static let script = """
        import fcntl, sys
        f = open(sys.argv[1], "r+")
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print("locked", flush=True)
        sys.stdin.read()
        """

    /// Whether a python3 interpreter can be found on PATH.
    static let isAvailable: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        }
    }()

    private let process = Process()
    private let input = Pipe()

    /// Starts the holder and returns once it has the lock.
    init(file: String) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, file]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.readData(ofLength: 7)
        guard String(decoding: line, as: UTF8.self) == "locked\n" else {
            release()
            throw CocoaError(.fileLocking)
        }
    }

    /// Lets the holder exit, which drops the lock.
    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
