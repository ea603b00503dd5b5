import JSON
import Logging
import Primitives
import Testing
import TestSupport
@testable import RPC

/// Starts a `WebSocketServer` (test methods, subscriptions and the in-memory chain's methods)
/// on a free loopback port for the duration of `body`.
func withWebSocketServer(
    _ configuration: WebSocketServer.Configuration = .testing(),
    hub: RPCEventHub = RPCEventHub(),
    chain: InMemoryChain = InMemoryChain(),
    logger: Logger = Logger(label: "rpc"),
    _ body: (WebSocketServer, Int) async throws -> Void
) async throws {
    var methods = TestMethods.table()
    methods.registerSubscriptionMethods()
    let server = WebSocketServer(configuration: configuration, methods: methods, hub: hub, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let port = try await server.boundPort()
        do {
            try await body(server, port)
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}

extension WebSocketServer.Configuration {
    static func testing(
        origins: [String] = [], maxMessageSize: Int = 64 * 1024, pingInterval: Duration = .seconds(30),
        maxSubscriptions: Int = 128, maxQueuedMessages: Int = 4096, maxQueuedBytes: Int = 16 * 1024 * 1024
    ) -> WebSocketServer.Configuration {
        WebSocketServer.Configuration(
            host: "127.0.0.1", port: 0, origins: origins, maxMessageSize: maxMessageSize,
            requestTimeout: .seconds(3600),  // a hang guard only: a loaded machine must not fail a call
            pingInterval: pingInterval,
            maxSubscriptionsPerConnection: maxSubscriptions, maxQueuedMessages: maxQueuedMessages,
            maxQueuedBytes: maxQueuedBytes, enabledNamespaces: TestMethods.testNamespaces)
    }
}

extension RawHTTPConnection {
    /// Connects and upgrades; fails the test unless the server answers 101.
    static func webSocket(port: Int) async throws -> RawHTTPConnection {
        let connection = try await RawHTTPConnection.connect(port: port)
        let (status, _) = try await connection.upgradeToWebSocket()
        #expect(status == 101)
        return connection
    }

    /// Sends a call and reads the next text message as JSON.
    func wsCall(_ method: String, id: Int = 1, params: String = "[]") async throws -> JSONValue {
        try await sendText(call(method, id: id, params: params))
        return try await readJSON()
    }

    func readJSON(timeout: Duration = RawHTTPConnection.hangGuard) async throws -> JSONValue {
        let text = try await readText(timeout: timeout)
        return try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
    }
}

@Suite(.serialized) struct WebSocketServerTests {
    @Test func servesTheMethodTableOverWebSocket() async throws {
        try await withWebSocketServer { server, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            #expect(try await ws.wsCall("test_constant") == ["jsonrpc": "2.0", "id": 1, "result": "0x2a"])
            #expect(try await ws.wsCall("test_echo", id: 2, params: #"["a",1]"#)["result"] == ["a", 1])
            try await ws.sendText(#"[{"jsonrpc":"2.0","id":3,"method":"test_constant"},{"jsonrpc":"2.0","id":4,"method":"nope_x"}]"#)
            let batch = try await ws.readJSON()
            #expect(batch[0]?["result"] == "0x2a")
            #expect(batch[1]?["error"]?["code"] == -32601)
            try await ws.sendText("{not json")
            #expect(try await ws.readJSON()["error"]?["code"] == -32700)
            #expect(try await ws.wsCall("rollupNodeAdmin_enableAutomaticSequencing")["error"]?["code"] == -32601,
                    "namespaces not enabled answer method-not-found")
            #expect(server.openConnections == 1)
        }
    }

    @Test func refusesForeignOriginsAndPlainHTTP() async throws {
        try await withWebSocketServer { _, port in
            let plain = try await RawHTTPConnection.connect(port: port)
            #expect(try await plain.request("GET", "/", headers: []).status == 400)
            let foreign = try await RawHTTPConnection.connect(port: port)
            #expect(try await foreign.upgradeToWebSocket(headers: [("Origin", "https://evil.example")]).status == 403)
            let local = try await RawHTTPConnection.connect(port: port)
            #expect(try await local.upgradeToWebSocket(headers: [("Origin", "http://localhost:3000")]).status == 101)
        }
        try await withWebSocketServer(.testing(origins: ["https://app.example"])) { _, port in
            let allowed = try await RawHTTPConnection.connect(port: port)
            #expect(try await allowed.upgradeToWebSocket(headers: [("Origin", "https://app.example")]).status == 101)
            let other = try await RawHTTPConnection.connect(port: port)
            #expect(try await other.upgradeToWebSocket(headers: [("Origin", "http://localhost")]).status == 403)
        }
    }

    @Test func closesAConnectionThatSendsAnOversizedMessage() async throws {
        try await withWebSocketServer(.testing(maxMessageSize: 1024)) { _, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            #expect(try await ws.wsCall("test_echo", params: "[\"\(String(repeating: "a", count: 900))\"]")["result"] != nil)
            try await ws.sendText(call("test_echo", params: "[\"\(String(repeating: "a", count: 2000))\"]"))
            let close = try await ws.readFrame()
            #expect(close.opcode == 0x8)
            #expect(Array(close.payload.prefix(2)) == [0x03, 0xF1], "1009: message too big")
        }
    }

    @Test func pingsASilentClientAndClosesItWhenItStaysSilent() async throws {
        try await withWebSocketServer(.testing(pingInterval: .milliseconds(200))) { _, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            let ping = try await ws.readFrame(timeout: .seconds(2))
            #expect(ping.opcode == 0x9)
            await #expect(throws: RawHTTPError.self) {
                while true { _ = try await ws.readFrame(timeout: .seconds(3)) }
            }
        }
    }

    @Test func answersPingsWithPongs() async throws {
        try await withWebSocketServer { _, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            try await ws.sendFrame(opcode: 0x9, payload: [1, 2, 3])
            let pong = try await ws.readFrame()
            #expect(pong.opcode == 0xA && pong.payload == [1, 2, 3])
        }
    }

    @Test func subscribeOverHTTPAnswersNotificationsNotSupported() async throws {
        var methods = RPCMethodTable()
        methods.registerSubscriptionMethods()
        let rpc = RPCDispatcher(methods: methods)
        #expect(await rpc.error("eth_subscribe", ["newHeads"]) == JSONRPCError(code: -32601, message: "notifications not supported"))
    }
}

@Suite(.serialized) struct WebSocketSubscriptionTests {
    let chain = InMemoryChain()

    func subscribe(_ ws: RawHTTPConnection, _ params: String, id: Int = 1) async throws -> String {
        let response = try await ws.wsCall("eth_subscribe", id: id, params: params)
        return try #require(response["result"]?.stringValue, "\(response)")
    }

    @Test func newHeadsArriveInOrderExactlyOnceAfterTheSubscribeResponse() async throws {
        let hub = RPCEventHub()
        try await withWebSocketServer(hub: hub, chain: chain) { server, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            let id = try await subscribe(ws, #"["newHeads"]"#)
            #expect(id.hasPrefix("0x") && id.count <= 34)
            #expect(server.openSubscriptions == 1)
            var expected: [RPCBlock] = []
            for _ in 0..<200 {
                let block = chain.mine()
                expected.append(block)
                hub.publish(.newHead(block))
            }
            for block in expected {
                let note = try await ws.readJSON()
                #expect(note["method"] == "eth_subscription")
                #expect(note["params"]?["subscription"] == .string(id))
                #expect(note["params"]?["result"]?["hash"] == .string(block.hash.hex))
                #expect(note["params"]?["result"]?["number"] == .string(Hex.encodeQuantity(block.number)))
                #expect(note["params"]?["result"]?["transactions"] == nil)
                #expect(note["params"]?["result"]?["parentHash"] == .string(block.header.parentHash.hex))
            }
            #expect(try await ws.wsCall("eth_unsubscribe", id: 9, params: "[\"\(id)\"]")["result"] == true)
            #expect(server.openSubscriptions == 0)
            hub.publish(.newHead(chain.mine()))
            #expect(try await ws.wsCall("eth_unsubscribe", id: 10, params: "[\"\(id)\"]")["error"]?["message"] == "subscription not found",
                    "no notification arrived after unsubscribing: the next message is this response")
        }
    }

    @Test func logsAreFilteredAndRemovedOnesFollowARollback() async throws {
        let hub = RPCEventHub()
        let blocks = chain.blocks
        try await withWebSocketServer(hub: hub, chain: chain) { _, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            let emitter = InMemoryChain.logEmitter.hex
            let id = try await subscribe(ws, #"["logs",{"address":"\#(emitter)"}]"#)
            hub.publish(.newHead(blocks[1]))
            hub.publish(.newHead(blocks[2]))
            hub.publish(.rolledBack(removed: [blocks[1], blocks[2]], head: blocks[0]))
            var seen: [(String, String, Bool)] = []
            for _ in 0..<6 {
                let note = try await ws.readJSON()
                #expect(note["params"]?["subscription"] == .string(id))
                let log = try #require(note["params"]?["result"])
                #expect(log["address"] == .string(emitter))
                seen.append((log["blockNumber"]!.stringValue!, log["logIndex"]!.stringValue!, log["removed"]!.boolValue!))
            }
            #expect(seen.map { "\($0.0)/\($0.1)/\($0.2)" } == [
                "0x1/0x0/false", "0x1/0x2/false", "0x2/0x0/false", "0x1/0x0/true", "0x1/0x2/true", "0x2/0x0/true",
            ])
        }
    }

    @Test func pendingTransactionsAsHashesOrWholeObjects() async throws {
        let hub = RPCEventHub()
        let block = chain.blocks[1]
        try await withWebSocketServer(hub: hub, chain: chain) { _, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            _ = try await subscribe(ws, #"["newPendingTransactions"]"#)
            _ = try await subscribe(ws, #"["newPendingTransactions",true]"#, id: 2)
            hub.publish(.pendingTransaction(RPCPoolTransaction(transaction: block.transactions[1], sender: block.senders[1])))
            let first = try await ws.readJSON()["params"]?["result"]
            let second = try await ws.readJSON()["params"]?["result"]
            #expect(first == .string(block.transactions[1].hash.hex))
            #expect(second?["hash"] == .string(block.transactions[1].hash.hex))
            #expect(second?["from"] == .string(block.senders[1].hex))
            #expect(second?["blockHash"] == .null)
        }
    }

    @Test func rejectsUnknownKindsAndTooManySubscriptions() async throws {
        try await withWebSocketServer(.testing(maxSubscriptions: 2), chain: chain) { _, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            #expect(try await ws.wsCall("eth_subscribe", params: #"["syncing2"]"#)["error"]?["message"] == #"no "syncing2" subscription in eth namespace"#)
            _ = try await subscribe(ws, #"["newHeads"]"#)
            _ = try await subscribe(ws, #"["newHeads"]"#)
            let third = try await ws.wsCall("eth_subscribe", params: #"["newHeads"]"#)
            #expect(third["error"]?["message"] == "too many subscriptions on this connection (limit 2): unsubscribe first")
        }
    }

    @Test func aClientThatDoesNotReadIsDisconnectedWithALogLine() async throws {
        let hub = RPCEventHub()
        let capture = LogCapture()
        let logger = capture.logger(label: "rpc")
        let block = chain.blocks[1]
        try await withWebSocketServer(.testing(maxQueuedMessages: 100, maxQueuedBytes: 256 * 1024), hub: hub, chain: chain,
                                      logger: logger) { server, port in
            let ws = try await RawHTTPConnection.webSocket(port: port)
            _ = try await subscribe(ws, #"["newPendingTransactions",true]"#)
            let pooled = RPCPoolTransaction(transaction: block.transactions[3], sender: block.senders[3])
            // Far more than the socket buffers and the queue hold together; the client reads nothing.
            for _ in 0..<40_000 {
                hub.publish(.pendingTransaction(pooled))
                if hub.listenerCount == 0 { break }
            }
            #expect(hub.listenerCount == 0, "the subscription ended with the connection")
            #expect(capture.lines.contains { $0.contains("Closing WebSocket connection: the client does not read its messages") })
            let deadline = ContinuousClock.now.advanced(by: RawHTTPConnection.hangGuard)
            while server.openConnections > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(server.openConnections == 0)
        }
    }
}
