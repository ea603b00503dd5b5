import Foundation

/// A minimal WebSocket client (RFC 6455) over ``RawHTTPConnection``, for server tests: it
/// upgrades, sends masked frames exactly as asked (oversized ones included) and reads frames
/// one by one, or leaves the socket unread to play a slow client.
extension RawHTTPConnection {
    /// One frame as read.
    public struct WebSocketFrame: Sendable {
        public var fin: Bool
        public var opcode: UInt8
        public var payload: [UInt8]
        public var text: String { String(decoding: payload, as: UTF8.self) }
    }

    /// Sends the upgrade request and reads the response head; returns its status (101 when
    /// upgraded) and headers.
    public func upgradeToWebSocket(path: String = "/", headers: [(String, String)] = [], timeout: Duration = RawHTTPConnection.hangGuard)
        async throws -> (status: Int, headers: [(String, String)])
    {
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        text += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        try await send(text + "\r\n")
        return try await onQueue { [self] in
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while true {
                if let end = self.findHeadEnd() {
                    let head = String(decoding: pending[..<end], as: UTF8.self)
                    pending.removeFirst(end + 4)
                    let lines = head.components(separatedBy: "\r\n")
                    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
                    let headers = lines.dropFirst().compactMap { line -> (String, String)? in
                        guard let colon = line.firstIndex(of: ":") else { return nil }
                        return (String(line[..<colon]).lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                    }
                    return (status, headers)
                }
                try self.fill(deadline: deadline)
            }
        }
    }

    private func findHeadEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for i in 0...(pending.count - 4) where pending[i] == 13 && pending[i + 1] == 10 && pending[i + 2] == 13 && pending[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// Sends one masked frame.
    public func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (56 - 8 * UInt64($0))) }
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await send(frame)
    }

    /// Sends a text frame.
    public func sendText(_ text: String) async throws { try await sendFrame(opcode: 0x1, payload: Array(text.utf8)) }

    /// Reads the next frame (any opcode).
    public func readFrame(timeout: Duration = RawHTTPConnection.hangGuard) async throws -> WebSocketFrame {
        try await onQueue { [self] in
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while true {
                if let frame = self.takeFrame() { return frame }
                try self.fill(deadline: deadline)
            }
        }
    }

    /// Reads frames until a text one arrives (answering nothing; pings are skipped).
    public func readText(timeout: Duration = RawHTTPConnection.hangGuard) async throws -> String {
        while true {
            let frame = try await readFrame(timeout: timeout)
            if frame.opcode == 0x1 { return frame.text }
            if frame.opcode == 0x8 { throw RawHTTPError.closed }
        }
    }

    private func takeFrame() -> WebSocketFrame? {
        guard pending.count >= 2 else { return nil }
        let fin = pending[0] & 0x80 != 0
        let opcode = pending[0] & 0x0F
        var length = Int(pending[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard pending.count >= 4 else { return nil }
            length = Int(pending[2]) << 8 | Int(pending[3])
            offset = 4
        } else if length == 127 {
            guard pending.count >= 10 else { return nil }
            length = pending[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard pending.count >= offset + length else { return nil }
        let payload = Array(pending[offset..<(offset + length)])
        pending.removeFirst(offset + length)
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }
}
