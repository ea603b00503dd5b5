import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on an IPv4 loopback address, written on plain POSIX sockets with one
/// thread per connection and keep-alive: the fake KMS and the fake L1 serve through it. Enough
/// for curl, web3 libraries and the node with Content-Length bodies; not a general server.
/// Port 0 lets the kernel choose; `stop()` and a new server on the same port bring an endpoint
/// "back" after an outage.
public final class LoopbackHTTPServer: @unchecked Sendable {
    // Safety: `listenFD`, `host` and `port` are set once in `init`; mutable state lives in
    // `state` (a Mutex); the handler is Sendable.

    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: String
        public var headers: [(String, String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            let n = name.lowercased()
            return headers.first { $0.0.lowercased() == n }?.1
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Wait this long before answering (to exercise client timeouts).
        public var delay: Duration?
        /// Close the connection without answering at all.
        public var dropConnection: Bool

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], delay: Duration? = nil,
                    dropConnection: Bool = false) {
            self.status = status; self.headers = headers; self.body = body; self.delay = delay
            self.dropConnection = dropConnection
        }
    }

    public let host: String
    public let port: UInt16
    /// `http://host:port`.
    public var baseURL: String { "http://\(host):\(port)" }
    private let listenFD: Int32
    private let handler: @Sendable (Request) -> Response
    private let threadName: String
    private let state = Mutex(State())
    private let threads = DispatchGroup()

    private struct State {
        var stopped = false
        var open: Set<Int32> = []
        var accepted = 0
    }

    /// Connections accepted so far (a reused client connection counts once).
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    public init(host: String = "127.0.0.1", port: UInt16 = 0, threadName: String = "loopback-http",
                handler: @escaping @Sendable (Request) -> Response) throws {
        self.host = host
        self.threadName = threadName
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw ServerError("\(host) is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ServerError("cannot listen on \(host):\(port): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: address.sin_port)
        self.listenFD = fd
        self.handler = handler
        threads.enter()
        let thread = Thread { [self] in acceptLoop(); threads.leave() }
        thread.name = threadName + "-accept"
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting, closes every connection and waits (up to 5 s) for the threads to end.
    public func stop() {
        let open: Set<Int32>? = state.withLock { s in
            if s.stopped { return nil }
            s.stopped = true
            return s.open
        }
        guard let open else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        _ = threads.wait(timeout: .now() + 5)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let registered = state.withLock { s -> Bool in
                if s.stopped { return false }
                s.open.insert(fd)
                s.accepted += 1
                return true
            }
            guard registered else { close(fd); return }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            threads.enter()
            let thread = Thread { [self] in
                serve(fd)
                state.withLock { _ = $0.open.remove(fd) }
                close(fd)
                threads.leave()
            }
            thread.name = threadName + "-connection"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        func fill() -> Bool {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        while true {
            // Headers.
            var headerEnd: Int? = nil
            var searchFrom = 0
            while headerEnd == nil {
                headerEnd = Self.find(Array("\r\n\r\n".utf8), in: buffer, from: searchFrom)
                if headerEnd == nil {
                    searchFrom = max(0, buffer.count - 3)  // only new bytes can complete the marker
                    if !fill() { return }
                }
            }
            let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
            buffer.removeFirst(headerEnd! + 4)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count == 3 else { return }
            var headers: [(String, String)] = []
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            let lengthHeader = headers.first { $0.0.lowercased() == "content-length" }?.1
            let length = lengthHeader.flatMap { Int($0) } ?? 0
            if headers.contains(where: { $0.0.lowercased() == "expect" && $0.1.lowercased() == "100-continue" }) {
                guard send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            while buffer.count < length { if !fill() { return } }
            let body = Array(buffer[0..<length])
            buffer.removeFirst(length)
            let target = String(requestLine[1])
            let (path, query) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) }
                ?? (target, "")
            let request = Request(method: String(requestLine[0]), path: path, query: query, headers: headers, body: body)
            let response = handler(request)
            if let delay = response.delay {
                let (s, a) = delay.components
                usleep(useconds_t(s * 1_000_000 + a / 1_000_000_000_000))
            }
            if response.dropConnection { return }
            var out = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            for (name, value) in response.headers { out += "\(name): \(value)\r\n" }
            out += "Content-Length: \(response.body.count)\r\n\r\n"
            guard send(fd, Array(out.utf8) + response.body) else { return }
            if request.header("connection")?.lowercased() == "close" { return }
        }
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, flags) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
            sent += n
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        for i in from...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<i + needle.count].elementsEqual(needle) { return i }
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
