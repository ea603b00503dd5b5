import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A deliberately dumb HTTP/1.1 client over a plain TCP socket, for testing servers the way
/// `curl` or a hostile client would: it sends exactly the bytes given (partial bodies, pipelined
/// requests, wrong headers) and reads exactly what comes back, including the server closing.
///
/// The blocking socket calls run on a private serial dispatch queue, never on the Swift
/// concurrency pool, so a test that waits on the socket cannot starve the server's tasks.
public final class RawHTTPConnection: @unchecked Sendable {
    // Safety: `fd` and `pending` are only touched on `queue`, a serial queue.
    private var fd: Int32
    var pending: [UInt8] = []
    private let queue = DispatchQueue(label: "raw-http-connection")

    private init(fd: Int32) { self.fd = fd }

    deinit { if fd >= 0 { _ = systemClose(fd) } }

    /// Opens a TCP connection to `host:port` (IPv4 dotted quad).
    public static func connect(host: String = "127.0.0.1", port: Int) async throws -> RawHTTPConnection {
        try await onBlockingThread {
            #if canImport(Glibc)
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
                let fd = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard fd >= 0 else { throw RawHTTPError.socket(errno) }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                _ = systemClose(fd)
                throw RawHTTPError.badAddress(host)
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else {
                let e = errno
                _ = systemClose(fd)
                throw RawHTTPError.socket(e)
            }
            return RawHTTPConnection(fd: fd)
        }
    }

    /// Sends `text` as UTF-8, as is.
    public func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Sends `bytes` as they are.
    public func send(_ bytes: [UInt8]) async throws {
        try await onQueue { [self] in
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { systemSend(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { throw RawHTTPError.socket(errno) }
                offset += n
            }
        }
    }

    /// Sends one request with `content-length` (unless `headers` set it) and reads the response.
    public func request(
        _ method: String = "POST", _ path: String = "/",
        headers: [(String, String)] = [("Content-Type", "application/json")],
        body: String = "", timeout: Duration = RawHTTPConnection.hangGuard
    ) async throws -> RawHTTPResponse {
        try await send(Self.requestText(method, path, headers: headers, body: body))
        return try await readResponse(timeout: timeout)
    }

    /// The bytes of a request, for tests that pipeline or split them.
    public static func requestText(_ method: String, _ path: String, headers: [(String, String)], body: String) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !headers.contains(where: { $0.0.lowercased() == "content-length" || $0.0.lowercased() == "transfer-encoding" }) {
            text += "Content-Length: \(body.utf8.count)\r\n"
        }
        return text + "\r\n" + body
    }

    /// Reads the next final response (1xx interim responses are skipped); the body is framed by
    /// `content-length`, or runs to the end of the stream when there is none.
    public func readResponse(timeout: Duration = RawHTTPConnection.hangGuard) async throws -> RawHTTPResponse {
        try await onQueue { [self] in
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while true {
                let response = try readOneResponse(deadline: deadline)
                if response.status >= 200 { return response }
            }
        }
    }

    /// How long a read or a wait for the close may take by default: a guard that turns a hung
    /// server into a failed test, not a measurement. Every default wait ends as soon as the
    /// server answers or closes, so on a busy machine (the suite runs in parallel on 2 cores
    /// beside other builds) only a server that never acts reaches it.
    public static let hangGuard: Duration = .seconds(120)

    /// True when the server closes the connection (end of stream or reset) within `timeout`;
    /// false when it is still open then. Bytes that arrive meanwhile are kept for `readResponse`.
    public func waitForClose(timeout: Duration = RawHTTPConnection.hangGuard) async throws -> Bool {
        try await onQueue { [self] in
            let deadline = ContinuousClock.now.advanced(by: timeout)
            do {
                while true { try fill(deadline: deadline) }
            } catch RawHTTPError.closed {
                return true
            } catch RawHTTPError.timedOut {
                return false
            }
        }
    }

    /// Closes the socket.
    public func close() {
        queue.sync {
            if fd >= 0 { _ = systemClose(fd) }
            fd = -1
        }
    }

    // MARK: - Blocking internals (on `queue`)

    private func readOneResponse(deadline: ContinuousClock.Instant) throws -> RawHTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            headEnd = pending.firstRange(of: separator)?.lowerBound
            if headEnd == nil { try fill(deadline: deadline) }
        }
        let headText = String(decoding: pending[..<headEnd!], as: UTF8.self)
        pending.removeFirst(headEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw RawHTTPError.malformed(headText) }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw RawHTTPError.malformed(line) }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        var response = RawHTTPResponse(
            version: statusLine[0], status: status, reason: statusLine.count > 2 ? statusLine[2] : "", headers: headers, body: [])
        if status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            while pending.count < length { try fill(deadline: deadline) }
            response.body = Array(pending[..<length])
            pending.removeFirst(length)
        } else {
            do { while true { try fill(deadline: deadline) } } catch RawHTTPError.closed {}
            response.body = pending
            pending = []
        }
        return response
    }

    /// Waits for bytes until `deadline` and appends them to `pending`.
    func fill(deadline: ContinuousClock.Instant) throws {
        guard fd >= 0 else { throw RawHTTPError.closed }
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw RawHTTPError.timedOut }
        let ms = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, ms)
        if ready == 0 { throw RawHTTPError.timedOut }
        if ready < 0 { if errno == EINTR { return }; throw RawHTTPError.socket(errno) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { throw RawHTTPError.closed }
        if n < 0 {
            if errno == ECONNRESET { throw RawHTTPError.closed }
            throw RawHTTPError.socket(errno)
        }
        pending.append(contentsOf: chunk[..<n])
    }

    func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    private static func onBlockingThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// One HTTP response as `RawHTTPConnection` read it.
public struct RawHTTPResponse: Sendable {
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

public enum RawHTTPError: Error, Equatable {
    case socket(Int32)
    case badAddress(String)
    case timedOut
    case closed
    case malformed(String)
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(fd)
    #else
        Darwin.close(fd)
    #endif
}

private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
        Glibc.connect(fd, address, length)
    #else
        Darwin.connect(fd, address, length)
    #endif
}

private func systemSend(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    #else
        Darwin.send(fd, bytes, count, 0)
    #endif
}
