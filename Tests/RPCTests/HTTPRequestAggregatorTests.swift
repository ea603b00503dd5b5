import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import RPC

/// The connection rules the aggregator keeps on the event loop (an idle event closes the
/// connection only between requests; the body timeout), on an `EmbeddedChannel` whose time
/// moves only when the test moves it: no sockets, no real waiting, the same result on a busy
/// machine. The idle events themselves come from NIO's `IdleStateHandler` in the server (it
/// reads the wall clock), so the tests deliver them as it would.
@Suite struct HTTPRequestAggregatorTests {
    static func channel(requestTimeout: TimeAmount = .seconds(60)) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPRequestAggregator(
            maxBodySize: 1024, requestTimeout: requestTimeout, cors: CORSPolicy(allowedOrigins: [])))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8545)).wait()
        return channel
    }

    static func head(contentLength: Int) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/",
                              headers: ["content-type": "application/json", "content-length": "\(contentLength)"]))
    }

    /// Sends a whole request and returns what the aggregator passed on.
    static func sendRequest(_ channel: EmbeddedChannel, body: String = #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#) throws -> HTTPRequestMessage? {
        try channel.writeInbound(head(contentLength: body.utf8.count))
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: body)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        return try channel.readInbound(as: HTTPRequestMessage.self)
    }

    /// The status and body of the response written, if a whole one was.
    static func readResponse(_ channel: EmbeddedChannel) throws -> (status: HTTPResponseStatus, body: String)? {
        guard case .head(let head)? = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
        var body = ""
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case .body(.byteBuffer(let b)): body += String(buffer: b)
            case .end: return (head.status, body)
            default: break
            }
        }
        return nil
    }

    static func idle(_ channel: EmbeddedChannel) {
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
    }

    @Test func closesIdleKeepAliveConnectionsBetweenRequests() throws {
        let channel = try Self.channel()
        defer { _ = try? channel.finish() }
        #expect(try Self.sendRequest(channel) != nil)
        try channel.writeOutbound(HTTPResponseMessage(status: .ok, body: ByteBuffer(string: "{}")))
        #expect(try Self.readResponse(channel)?.status == .ok)
        #expect(channel.isActive, "keep-alive: open after the response")
        Self.idle(channel)
        #expect(!channel.isActive, "closed on the idle event between requests")
    }

    @Test func keepsBusyConnectionsOpenPastTheIdleTimeout() throws {
        let channel = try Self.channel()
        defer { _ = try? channel.finish() }
        #expect(try Self.sendRequest(channel) != nil)
        // The handler is still running: idle events come and go, the request is in flight.
        Self.idle(channel)
        Self.idle(channel)
        #expect(channel.isActive)
        try channel.writeOutbound(HTTPResponseMessage(status: .ok, body: ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"result":true}"#)))
        let response = try Self.readResponse(channel)
        #expect(response?.status == .ok)
        #expect(response?.body == #"{"jsonrpc":"2.0","id":1,"result":true}"#)
        #expect(channel.isActive, "keep-alive: open after the response")
    }

    @Test func answers408AndClosesWhenTheBodyIsTooSlow() throws {
        let channel = try Self.channel(requestTimeout: .milliseconds(300))
        defer { _ = try? channel.finish() }
        try channel.writeInbound(Self.head(contentLength: 100))
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: #"{"jsonrpc""#)))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "still within the request timeout")
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        let response = try Self.readResponse(channel)
        #expect(response?.status == .requestTimeout)
        #expect(response?.body == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: request body not received within 300 ms"}}"#)
        #expect(try channel.readInbound(as: HTTPRequestMessage.self) == nil, "nothing reaches the dispatcher")
        #expect(!channel.isActive)
    }
}
