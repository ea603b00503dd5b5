import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A rollup-node started by the generator: the benchmark chain in --test mode, sequencing,
/// JSON-RPC on a free loopback port, its log in `logPath`.
final class NodeProcess {
    let binary: String
    let arguments: [String]
    let endpoint: HTTPEndpoint
    let datadir: String
    let logPath: String
    private let process = Process()

    init(binary: String, chain: String, datadir: String, logPath: String, extraArguments: [String]) throws(LoadGeneratorError) {
        self.binary = binary
        self.datadir = datadir
        self.logPath = logPath
        let port = try Self.freePort()
        endpoint = HTTPEndpoint(host: "127.0.0.1", port: port)
        arguments = ["node", "--chain", chain, "--test", "--sequencer.enabled", "--sequencer.auto-start", "--http",
                     "--http.port", String(port), "--datadir", datadir] + extraArguments
    }

    var pid: Int32 { process.processIdentifier }

    var commandLine: String { ([binary] + arguments).joined(separator: " ") }

    /// Starts the node and waits until GET /health answers 200.
    func start(timeout: Double = 60) throws(LoadGeneratorError) {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw LoadGeneratorError(.process, "cannot write the node's log at \(logPath)")
        }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch {
            throw LoadGeneratorError(.process, "cannot start \(binary)", underlying: error)
        }
        let connection = HTTPConnection(endpoint: endpoint)
        let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
        while monotonicNanoseconds() < deadline {
            guard process.isRunning else {
                throw LoadGeneratorError(.process, "the node exited with status \(process.terminationStatus) while starting; see \(logPath)")
            }
            if let r = try? connection.get("/health"), r.status == 200 { return }
            connection.close()
            sleepNanoseconds(100_000_000)
        }
        throw LoadGeneratorError(.process, "the node did not answer /health within \(Int(timeout)) s; see \(logPath)")
    }

    /// SIGINT (graceful shutdown), then SIGKILL if it is still running after `timeout`.
    func stop(timeout: Double = 20) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGINT)
        let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
        while process.isRunning && monotonicNanoseconds() < deadline { sleepNanoseconds(50_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A port the kernel hands out now (the node binds it a moment later).
    static func freePort() throws(LoadGeneratorError) -> UInt16 {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw LoadGeneratorError(.process, "socket(): errno \(errno)") }
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(s, p, length) == 0 && getsockname(s, p, &length) == 0
            }
        }
        guard ok else { throw LoadGeneratorError(.process, "cannot find a free port: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
