import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import RPC
import TestSupport

@Suite struct RPCDispatcherTests {
    let rpc = TestMethods.dispatcher()

    @Test func answersASingleRequestKeepingTheId() async {
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":1,"method":"test_constant"}"#)
            == #"{"jsonrpc":"2.0","id":1,"result":"0x2a"}"#)
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":"abc","method":"test_constant","params":[]}"#)
            == #"{"jsonrpc":"2.0","id":"abc","result":"0x2a"}"#)
        #expect(await rpc.respond(#"{"id":null,"method":"test_constant","jsonrpc":"2.0"}"#)
            == #"{"jsonrpc":"2.0","id":null,"result":"0x2a"}"#)
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":1.50,"method":"test_constant","params":null}"#)
            == #"{"jsonrpc":"2.0","id":1.50,"result":"0x2a"}"#)
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"test_constant"}"#)
            == #"{"jsonrpc":"2.0","id":123456789012345678901234567890,"result":"0x2a"}"#)
    }

    @Test func passesParamsThrough() async {
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":7,"method":"test_echo","params":[1,"a",{"k":[true]}]}"#)
            == #"{"jsonrpc":"2.0","id":7,"result":[1,"a",{"k":[true]}]}"#)
    }

    @Test func sendsNothingForNotifications() async {
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","method":"test_constant"}"#) == "")
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","method":"test_fail"}"#) == "")
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","method":"nope_nothing"}"#) == "")
        #expect(await rpc.respond(#"[{"jsonrpc":"2.0","method":"test_constant"},{"jsonrpc":"2.0","method":"test_echo"}]"#) == "")
    }

    @Test func answersBatchesInOrderSkippingNotifications() async {
        let body = """
            [{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]},
             {"jsonrpc":"2.0","method":"test_constant"},
             {"jsonrpc":"2.0","id":"b","method":"nope_missing"},
             7,
             {"jsonrpc":"2.0","id":3,"method":"test_constant"}]
            """
        #expect(await rpc.respond(body) == """
            [{"jsonrpc":"2.0","id":1,"result":[1]},\
            {"jsonrpc":"2.0","id":"b","error":{"code":-32601,"message":"the method nope_missing does not exist/is not available"}},\
            {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: expected an object, got number"}},\
            {"jsonrpc":"2.0","id":3,"result":"0x2a"}]
            """)
    }

    @Test func rejectsEmptyAndOversizedBatches() async {
        #expect(await rpc.respond("[]") == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"empty batch"}}"#)
        let small = TestMethods.dispatcher(maxBatchSize: 2)
        let three = "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"test_constant"}"#, count: 3).joined(separator: ",") + "]"
        #expect(await small.respond(three)
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large (at most 2 requests)"}}"#)
        let two = "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"test_constant"}"#, count: 2).joined(separator: ",") + "]"
        #expect(await small.respond(two).hasPrefix("[{"))
    }

    @Test func answersParseErrorsWithANullId() async {
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":1,"method":"test_constant""#)
            == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: unexpected end of JSON input at byte 48"}}"#)
        #expect(await rpc.respond("").contains(#""code":-32700"#))
        #expect(await rpc.respond("[1,]").contains(#""message":"parse error: invalid character ']' at byte 3""#))
    }

    static let invalidRequests: [(String, String, String)] = [
        (#"1"#, "null", "invalid request: expected an object, got number"),
        (#""x""#, "null", "invalid request: expected an object, got string"),
        (#"{"id":1,"method":"test_constant"}"#, "1", "invalid request: jsonrpc must be \\\"2.0\\\""),
        (#"{"jsonrpc":"1.0","id":1,"method":"test_constant"}"#, "1", "invalid request: jsonrpc must be \\\"2.0\\\""),
        (#"{"jsonrpc":2.0,"id":1,"method":"test_constant"}"#, "1", "invalid request: jsonrpc must be \\\"2.0\\\""),
        (#"{"jsonrpc":"2.0","id":1}"#, "1", "invalid request: method must be a string"),
        (#"{"jsonrpc":"2.0","id":"q","method":7}"#, "\"q\"", "invalid request: method must be a string"),
        (#"{"jsonrpc":"2.0","id":{"a":1},"method":"test_constant"}"#, "null", "invalid request: id must be a number, a string or null"),
        (#"{"jsonrpc":"2.0","id":true,"method":"test_constant"}"#, "null", "invalid request: id must be a number, a string or null"),
        (#"{"jsonrpc":"2.0","method":7}"#, "null", "invalid request: method must be a string"),
    ]

    @Test(arguments: invalidRequests)
    func rejectsInvalidRequests(body: String, id: String, message: String) async {
        #expect(await rpc.respond(body)
            == #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32600,"message":"\#(message)"}}"#)
    }

    @Test func answersMethodNotFoundForUnknownAndDisabledMethods() async {
        for method in ["eth_nope", "txpool_status", "rollupNodeAdmin_enableAutomaticSequencing", "nonamespace", ""] {
            #expect(await rpc.call(method) == .failure(.methodNotFound(method)))
        }
        #expect(JSONRPCError.methodNotFound("txpool_status").message == "the method txpool_status does not exist/is not available")
        let admin = TestMethods.dispatcher(namespaces: ["txpool", "rollupNodeAdmin"])
        #expect(await admin.call("txpool_status") == .success(["pending": "0x0", "queued": "0x0"]))
        #expect(await admin.call("rollupNodeAdmin_enableAutomaticSequencing") == .success(true))
        #expect(await admin.call("web3_clientVersion") == .failure(.methodNotFound("web3_clientVersion")))
    }

    @Test func checksParameterCounts() async {
        #expect(await rpc.call("test_constant", [1]) == .failure(.invalidParams("too many arguments, want at most 0")))
        #expect(await rpc.call("test_balance", []) == .failure(.invalidParams("missing value for required argument 0")))
        #expect(await rpc.call("test_balance", [.string("0x" + String(repeating: "ab", count: 20)), "latest", .null])
            == .failure(.invalidParams("too many arguments, want at most 2")))
        #expect(await rpc.call("test_balance", [.null]) == .failure(.invalidParams("missing value for required argument 0")))
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":1,"method":"test_echo","params":{"a":1}}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"non-array args"}}"#)
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":1,"method":"test_echo","params":"x"}"#).contains("-32602"))
    }

    @Test func acceptsOptionalTrailingParams() async {
        let address = "0x" + String(repeating: "ab", count: 20)
        #expect(await rpc.call("test_balance", [.string(address)]) == .success(["address": .string(address), "block": "latest"]))
        #expect(await rpc.call("test_balance", [.string(address), .null]) == .success(["address": .string(address), "block": "latest"]))
        #expect(await rpc.call("test_balance", [.string(address), "0x10"]) == .success(["address": .string(address), "block": "0x10"]))
        #expect(await rpc.call("test_balance", [.string(address), "0x010"])
            == .failure(.invalidParams("invalid argument 1: hex string has leading zero digits")))
    }

    @Test func mapsHandlerErrors() async {
        #expect(await rpc.respond(#"{"jsonrpc":"2.0","id":1,"method":"test_nonce"}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low: address 0xabc, tx: 0 state: 3"}}"#)
        #expect(await rpc.call("test_poolFull") == .failure(JSONRPCError(code: -32000, message: "txpool is full")))
    }

    @Test func hidesUnmappedErrorsFromClientsAndLogsThem() async {
        let capture = LogCapture()
        let rpc = TestMethods.dispatcher(logger: capture.logger(label: "rpc"))
        let response = await rpc.respond(#"{"jsonrpc":"2.0","id":9,"method":"test_fail"}"#)
        #expect(response == #"{"jsonrpc":"2.0","id":9,"error":{"code":-32603,"message":"internal error"}}"#)
        #expect(!response.contains("secret"))
        #expect(capture.lines.contains { $0.contains("test_fail") && $0.contains("secret database path") && $0.hasPrefix("error") })
    }

    /// Deadlines run on the dispatcher's timer loop; a testing loop's time moves only when the
    /// test moves it, so the outcome does not depend on how busy the machine is.
    @Test func timesOutSlowHandlers() async throws {
        let loop = NIOAsyncTestingEventLoop()
        let rpc = TestMethods.dispatcher(timeout: .milliseconds(200), timerLoop: loop)
        let call = Task { await rpc.respond(#"{"jsonrpc":"2.0","id":1,"method":"test_hang"}"#) }
        // The handler runs until cancelled: only the deadline, 200 ms of loop time, can end it.
        let finished = Mutex(false)
        let watcher = Task { _ = await call.value; finished.withLock { $0 = true } }
        while !finished.withLock({ $0 }) {
            await loop.advanceTime(by: .milliseconds(50))
            try await Task.sleep(for: .milliseconds(1))
        }
        await watcher.value
        #expect(await call.value == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"request timed out"}}"#)
        #expect(loop.now >= NIODeadline.uptimeNanoseconds(0) + .milliseconds(200))
        // Loop time stands still now: a quick call cannot time out, however slow the machine.
        #expect(await rpc.call("test_sleep", ["0x1"]) == .success(true))
        try await loop.shutdownGracefully()
    }

    @Test func carriesErrorData() {
        let e = JSONRPCError(code: 3, message: "execution reverted", data: "0x08c379a0")
        #expect(e.jsonValue.serializedString() == #"{"code":3,"message":"execution reverted","data":"0x08c379a0"}"#)
        #expect(JSONRPCError.parseErrorCode == -32700 && JSONRPCError.invalidRequestCode == -32600)
        #expect(JSONRPCError.methodNotFoundCode == -32601 && JSONRPCError.invalidParamsCode == -32602)
        #expect(JSONRPCError.internalErrorCode == -32603 && JSONRPCError.serverErrorCode == -32000)
    }

    @Test(arguments: JSONRPCError.TransactionRejection.allCases)
    func wordsTransactionRejectionsLikeGeth(reason: JSONRPCError.TransactionRejection) {
        let e = JSONRPCError.rejected(reason)
        #expect(e.code == -32000)
        #expect(e.message == reason.rawValue)
    }

    @Test func gethWordingForTransactionRejections() {
        #expect(JSONRPCError.rejected(.insufficientFunds).message == "insufficient funds for gas * price + value")
        #expect(JSONRPCError.rejected(.replacementUnderpriced).message == "replacement transaction underpriced")
        #expect(JSONRPCError.rejected(.alreadyKnown).message == "already known")
        #expect(JSONRPCError.rejected(.intrinsicGasTooLow, detail: "gas 20000, minimum needed 21000").message
            == "intrinsic gas too low: gas 20000, minimum needed 21000")
    }
}

@Suite struct RPCMethodExecutionTests {
    /// Moves the loop's time in steps until `work` finishes; returns its result.
    static func advancing<T: Sendable>(_ loop: NIOAsyncTestingEventLoop, until work: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await work() }
        let done = Mutex(false)
        let marker = Task { _ = await task.value; done.withLock { $0 = true } }
        while !done.withLock({ $0 }) {
            await loop.advanceTime(by: .milliseconds(50))
            try? await Task.sleep(for: .milliseconds(1))
        }
        await marker.value
        return await task.value
    }

    @Test func runsInlineMethodsWithoutADeadline() async throws {
        let loop = NIOAsyncTestingEventLoop()
        var table = RPCMethodTable()
        // Both end when the test says so: the inline one after loop time passed its deadline.
        let release = Mutex(false)
        table.register("test_inlineWait", execution: .inline) { _ in
            while !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
            return .bool(true)
        }
        table.register("test_guardedHang") { _ in
            try await Task.sleep(for: .seconds(86_400))
            return .bool(true)
        }
        let rpc = RPCDispatcher(
            methods: table, configuration: .init(enabledNamespaces: ["test"], requestTimeout: .milliseconds(100)),
            logger: Logger(label: "rpc"), timerLoop: loop)
        let inline = Task { await rpc.call("test_inlineWait") }
        await loop.advanceTime(by: .seconds(1))  // far past its deadline
        release.withLock { $0 = true }
        #expect(await inline.value == .success(true))
        #expect(await Self.advancing(loop) { await rpc.call("test_guardedHang") } == .failure(.timeout))
        #expect(table["test_inlineWait"]?.execution == .inline)
        #expect(table["test_guardedHang"]?.execution == .guarded)
        try await loop.shutdownGracefully()
    }

    @Test func timesOutTheRestOfABatchOnceTheDeadlinePassed() async throws {
        let loop = NIOAsyncTestingEventLoop()
        let rpc = TestMethods.dispatcher(timeout: .milliseconds(200), timerLoop: loop)
        let body = "[" + call("test_hang", id: 1) + "," + call("test_constant", id: 2) + "]"
        #expect(await Self.advancing(loop) { await rpc.respond(body) } == """
            [{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"request timed out"}},\
            {"jsonrpc":"2.0","id":2,"error":{"code":-32603,"message":"request timed out"}}]
            """)
    }
}
