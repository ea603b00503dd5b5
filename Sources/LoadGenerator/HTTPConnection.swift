import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the node's JSON-RPC listens: an IPv4 address (or localhost), a port and a path.
struct HTTPEndpoint: Sendable {
    var host: String
    var port: UInt16
    var path: String

    init(host: String, port: UInt16, path: String = "/") {
        self.host = host; self.port = port; self.path = path
    }

    /// `http://127.0.0.1:8545[/path]`; nil for anything else (no TLS, no DNS beyond localhost).
    init?(url: String) {
        guard url.hasPrefix("http://") else { return nil }
        var rest = url.dropFirst("http://".count)
        var path = "/"
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        let parts = rest.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]), port > 0 else { return nil }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        var probe = in_addr()
        guard inet_pton(AF_INET, host, &probe) == 1 else { return nil }
        self.init(host: host, port: port, path: path)
    }

    var url: String { "http://\(host):\(port)\(path == "/" ? "" : path)" }
}

/// One keep-alive HTTP/1.1 connection on a blocking socket, used by one thread: a request, then
/// its whole response (framed by content-length), then the next request. Connects lazily and
/// after the server closed the connection.
final class HTTPConnection {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    let endpoint: HTTPEndpoint
    private var fd: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private let headPrefix: [UInt8]

    init(endpoint: HTTPEndpoint) {
        self.endpoint = endpoint
        headPrefix = Array("POST \(endpoint.path) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\nContent-Type: application/json\r\nContent-Length: ".utf8)
    }

    deinit { close() }

    var isConnected: Bool { fd >= 0 }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    func connect() throws(LoadGeneratorError) {
        close()
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw LoadGeneratorError(.connection, "socket(): errno \(errno)") }
        var one: Int32 = 1
        _ = setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(endpoint.port.bigEndian)
        _ = inet_pton(AF_INET, endpoint.host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(s)
            throw LoadGeneratorError(.connection, "cannot connect to \(endpoint.url): \(String(cString: strerror(e)))")
        }
        fd = s
    }

    /// POSTs `body` (JSON) and returns the response.
    func post(_ body: [UInt8]) throws(LoadGeneratorError) -> Response {
        var request = headPrefix
        request.reserveCapacity(headPrefix.count + 8 + body.count)
        request.append(contentsOf: String(body.count).utf8)
        request.append(contentsOf: [13, 10, 13, 10])
        request.append(contentsOf: body)
        return try exchange(request)
    }

    /// GETs `path` (for /health).
    func get(_ path: String) throws(LoadGeneratorError) -> Response {
        try exchange(Array("GET \(path) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\n\r\n".utf8))
    }

    private func exchange(_ request: [UInt8]) throws(LoadGeneratorError) -> Response {
        if fd < 0 { try connect() }
        do {
            try write(request)
            return try readResponse()
        } catch {
            close()
            throw error
        }
    }

    private func write(_ bytes: [UInt8]) throws(LoadGeneratorError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw LoadGeneratorError(.connection, "sending to \(endpoint.url): \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    private func readResponse() throws(LoadGeneratorError) -> Response {
        var filled = 0
        var scanned = 0
        var headEnd = -1
        var bodyLength = 0
        var status = 0
        var closeAfter = false
        while true {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress! + filled, $0.count - filled, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw LoadGeneratorError(.connection, n == 0 ? "\(endpoint.url) closed the connection" : "reading from \(endpoint.url): \(String(cString: strerror(errno)))")
            }
            filled += n
            if headEnd < 0 {
                guard let end = Self.headEnd(buffer, from: max(0, scanned - 3), to: filled) else {
                    scanned = filled
                    continue
                }
                headEnd = end
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                (status, bodyLength, closeAfter) = try Self.parseHead(head)
                let needed = headEnd + bodyLength
                if needed > buffer.count { buffer.append(contentsOf: repeatElement(0, count: needed - buffer.count)) }
            }
            if filled >= headEnd + bodyLength {
                let body = Array(buffer[headEnd..<(headEnd + bodyLength)])
                if closeAfter { close() }
                return Response(status: status, body: body)
            }
        }
    }

    private static func headEnd(_ b: [UInt8], from start: Int, to count: Int) -> Int? {
        guard count >= 4 else { return nil }
        var i = start
        while i + 3 < count {
            if b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i + 4 }
            i += 1
        }
        return nil
    }

    private static func parseHead(_ head: String) throws(LoadGeneratorError) -> (status: Int, length: Int, close: Bool) {
        let lines = head.split(separator: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/1."), first.count >= 12, let status = Int(first.dropFirst(9).prefix(3)) else {
            throw LoadGeneratorError(.protocolViolation, "not an HTTP/1.x response: \(head.prefix(80))")
        }
        var length: Int?
        var close = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" { length = Int(value) }
            if name == "connection" && value.lowercased() == "close" { close = true }
            if name == "transfer-encoding" {
                throw LoadGeneratorError(.protocolViolation, "chunked responses are not supported (the node frames by content-length)")
            }
        }
        guard let length else { throw LoadGeneratorError(.protocolViolation, "a response without content-length") }
        return (status, length, close)
    }
}
