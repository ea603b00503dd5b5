import NIOCore
import NIOHTTP1

/// A complete HTTP request: head and whole body (the aggregator enforces the size limit).
struct HTTPRequestMessage: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer
}

/// A complete HTTP response. The aggregator adds `content-length` and the `connection` header.
struct HTTPResponseMessage: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
    /// Close the connection after this response even if the client asked for keep-alive.
    var closeConnection = false

    init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer(), closeConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// A JSON-RPC error object with a null id as the body (for 408 and 413).
    static func jsonRPCError(_ status: HTTPResponseStatus, _ error: JSONRPCError, closeConnection: Bool) -> HTTPResponseMessage {
        let bytes = RPCDispatcher.encode(id: .null, .failure(error))
        return HTTPResponseMessage(
            status: status, headers: ["content-type": "application/json"],
            body: ByteBuffer(bytes: bytes), closeConnection: closeConnection)
    }
}
