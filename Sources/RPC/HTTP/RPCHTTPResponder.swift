import JSON
import NIOCore
import NIOHTTP1

/// Maps one complete HTTP request to its response:
///
/// - `OPTIONS` (any path): CORS preflight, 204;
/// - `POST /` with a JSON content type: JSON-RPC, 200 (empty body when only notifications came);
///   another content type: 415, as geth does;
/// - `GET /health`: 200 with the head number, or 503;
/// - other methods on those paths: 405; other paths: 404.
struct RPCHTTPResponder: Sendable {
    let dispatcher: RPCDispatcher
    let cors: CORSPolicy
    let health: @Sendable () async -> RPCServer.Health

    static let jsonContentTypes: Set<String> = ["application/json", "application/json-rpc", "application/jsonrequest"]

    func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let head = request.head
        if head.method == .OPTIONS { return cors.preflight(for: head) }
        let path = head.uri.prefix { $0 != "?" }
        switch path {
        case "/":
            guard head.method == .POST else { return Self.methodNotAllowed(allow: "POST, OPTIONS") }
            guard Self.hasJSONContentType(head) else {
                return Self.text(.unsupportedMediaType, "invalid content type, only application/json is supported")
            }
            return await jsonRPC(request.body)
        case "/health":
            guard head.method == .GET || head.method == .HEAD else { return Self.methodNotAllowed(allow: "GET, OPTIONS") }
            var response = await healthResponse()
            if head.method == .HEAD { response.body.clear() }
            return response
        default:
            return Self.text(.notFound, "404 page not found")
        }
    }

    private func jsonRPC(_ body: ByteBuffer) async -> HTTPResponseMessage {
        let parsed = body.withUnsafeReadableBytes { raw in
            Result { () throws(JSONParseError) in try JSONParser.parse(raw) }
        }
        let out = await dispatcher.respond(to: parsed, deadline: dispatcher.deadline())
        return HTTPResponseMessage(
            status: .ok, headers: ["content-type": "application/json"],
            body: out.map { ByteBuffer(bytes: $0) } ?? ByteBuffer())
    }

    private func healthResponse() async -> HTTPResponseMessage {
        let status: HTTPResponseStatus
        let body: JSONValue
        switch await health() {
        case .serving(let head):
            status = .ok
            body = ["status": "ok", "head": .number(JSONNumber(head))]
        case .notServing(let reason):
            status = .serviceUnavailable
            body = ["status": "unavailable", "reason": .string(reason)]
        }
        return HTTPResponseMessage(
            status: status, headers: ["content-type": "application/json", "cache-control": "no-store"],
            body: ByteBuffer(bytes: body.serialized()))
    }

    static func hasJSONContentType(_ head: HTTPRequestHead) -> Bool {
        guard let value = head.headers.first(name: "content-type") else { return false }
        let mediaType = value.prefix { $0 != ";" }.trimmingSpaces().lowercased()
        return jsonContentTypes.contains(mediaType)
    }

    static func methodNotAllowed(allow: String) -> HTTPResponseMessage {
        var response = text(.methodNotAllowed, "method not allowed")
        response.headers.add(name: "allow", value: allow)
        return response
    }

    static func text(_ status: HTTPResponseStatus, _ message: String) -> HTTPResponseMessage {
        HTTPResponseMessage(
            status: status, headers: ["content-type": "text/plain; charset=utf-8"],
            body: ByteBuffer(string: message + "\n"))
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
