import Synchronization
import Testing
import TestSupport
@testable import RPC

@Suite struct RPCServerHTTPTests {
    @Test func servesSeveralRequestsOnOneKeepAliveConnection() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            for id in 1...5 {
                let r = try await c.rpc(call("test_constant", id: id))
                #expect(r.status == 200)
                #expect(r.text == #"{"jsonrpc":"2.0","id":\#(id),"result":"0x2a"}"#)
                #expect(r.header("content-type") == "application/json")
                #expect(r.header("connection") == nil)
            }
            let version = try await c.rpc(call("web3_clientVersion"))
            #expect(version.text.contains(RPCClientVersion.current))
        }
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let headers = [("Content-Type", "application/json")]
            let text = RawHTTPConnection.requestText("POST", "/", headers: headers, body: call("test_sleep", id: 1, params: #"["0x32"]"#))
                + RawHTTPConnection.requestText("POST", "/", headers: headers, body: call("test_constant", id: 2))
                + RawHTTPConnection.requestText("GET", "/health", headers: [], body: "")
            try await c.send(text)
            #expect(try await c.readResponse().text == #"{"jsonrpc":"2.0","id":1,"result":true}"#)
            #expect(try await c.readResponse().text == #"{"jsonrpc":"2.0","id":2,"result":"0x2a"}"#)
            #expect(try await c.readResponse().text == #"{"status":"ok","head":42}"#)
        }
    }

    @Test func servesBatchesAndNotifications() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let batch = try await c.rpc("[\(call("test_constant", id: 1)),\(call("net_version", id: 2))]")
            #expect(batch.text == #"[{"jsonrpc":"2.0","id":1,"result":"0x2a"},{"jsonrpc":"2.0","id":2,"result":"534352"}]"#)
            let notifications = try await c.rpc(#"[{"jsonrpc":"2.0","method":"test_constant"},{"jsonrpc":"2.0","method":"net_version"}]"#)
            #expect(notifications.status == 200)
            #expect(notifications.body.isEmpty)
            #expect(notifications.header("content-length") == "0")
            let single = try await c.rpc(#"{"jsonrpc":"2.0","method":"test_constant"}"#)
            #expect(single.status == 200 && single.body.isEmpty)
            let parseError = try await c.rpc("{oops")
            #expect(parseError.status == 200)
            #expect(parseError.text.contains(#""code":-32700"#))
        }
    }

    @Test func limitsBatchSize() async throws {
        try await withServer(.testing(maxBatchSize: 2)) { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let r = try await c.rpc("[\(call("test_constant")),\(call("test_constant")),\(call("test_constant"))]")
            #expect(r.text == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large (at most 2 requests)"}}"#)
        }
    }

    @Test func refusesOversizedBodiesWith413AndCloses() async throws {
        try await withServer(.testing(maxBodySize: 1024)) { _, port in
            let declared = try await RawHTTPConnection.connect(port: port)
            let big = call("test_echo", params: "[\"" + String(repeating: "a", count: 2000) + "\"]")
            let r = try await declared.rpc(big)
            #expect(r.status == 413)
            #expect(r.header("connection") == "close")
            #expect(r.text == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: request body too large (limit 1024 bytes)"}}"#)
            #expect(try await declared.waitForClose())

            let chunked = try await RawHTTPConnection.connect(port: port)
            let chunk = String(repeating: "a", count: 700)
            try await chunked.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2bc\r\n\(chunk)\r\n2bc\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(try await chunked.readResponse().status == 413)
            #expect(try await chunked.waitForClose())

            let fits = try await RawHTTPConnection.connect(port: port)
            #expect(try await fits.rpc(call("test_echo", params: "[\"" + String(repeating: "a", count: 900) + "\"]")).status == 200)
        }
    }

    @Test func addsCORSHeadersOnlyForAllowedOrigins() async throws {
        try await withServer(.testing(corsOrigins: ["https://app.example"])) { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let allowed = try await c.rpc(call("test_constant"), headers: [("Content-Type", "application/json"), ("Origin", "https://app.example")])
            #expect(allowed.header("access-control-allow-origin") == "https://app.example")
            #expect(allowed.header("vary") == "Origin")
            let other = try await c.rpc(call("test_constant"), headers: [("Content-Type", "application/json"), ("Origin", "https://evil.example")])
            #expect(other.status == 200)
            #expect(other.header("access-control-allow-origin") == nil)
            let none = try await c.rpc(call("test_constant"))
            #expect(none.header("access-control-allow-origin") == nil)
            let health = try await c.request("GET", "/health", headers: [("Origin", "https://APP.example")])
            #expect(health.header("access-control-allow-origin") == "https://APP.example")
        }
        try await withServer(.testing(corsOrigins: ["*"])) { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let any = try await c.rpc(call("test_constant"), headers: [("Content-Type", "application/json"), ("Origin", "http://localhost:3000")])
            #expect(any.header("access-control-allow-origin") == "*")
            #expect(any.header("vary") == nil)
        }
    }

    @Test func answersCORSPreflight() async throws {
        try await withServer(.testing(corsOrigins: ["https://app.example"])) { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let preflight = try await c.request("OPTIONS", "/", headers: [
                ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type, x-trace"),
            ])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "https://app.example")
            #expect(preflight.header("access-control-allow-methods") == "POST, GET, OPTIONS")
            #expect(preflight.header("access-control-allow-headers") == "content-type, x-trace")
            #expect(preflight.header("access-control-max-age") == "600")
            let refused = try await c.request("OPTIONS", "/", headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
            #expect(refused.status == 204)
            #expect(refused.header("access-control-allow-origin") == nil)
            #expect(refused.header("access-control-allow-methods") == nil)
        }
    }

    @Test func reportsHealthFromTheInjectedClosure() async throws {
        let health = Mutex(RPCServer.Health.serving(headNumber: 7))
        try await withServer(health: { health.withLock { $0 } }) { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let ok = try await c.request("GET", "/health", headers: [])
            #expect(ok.status == 200)
            #expect(ok.text == #"{"status":"ok","head":7}"#)
            health.withLock { $0 = .notServing(reason: "syncing") }
            let down = try await c.request("GET", "/health", headers: [])
            #expect(down.status == 503)
            #expect(down.text == #"{"status":"unavailable","reason":"syncing"}"#)
            #expect(try await c.request("POST", "/health", headers: []).status == 405)
        }
    }

    @Test func checksContentTypePathAndMethod() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            for type in ["application/json; charset=UTF-8", "Application/JSON", "application/json;charset=utf-8"] {
                #expect(try await c.rpc(call("test_constant"), headers: [("Content-Type", type)]).status == 200)
            }
            let plain = try await c.rpc(call("test_constant"), headers: [("Content-Type", "text/plain")])
            #expect(plain.status == 415)
            #expect(plain.text == "invalid content type, only application/json is supported\n")
            #expect(try await c.rpc(call("test_constant"), headers: []).status == 415)
            #expect(try await c.request("POST", "/nope", body: call("test_constant")).status == 404)
            let get = try await c.request("GET", "/", headers: [])
            #expect(get.status == 405)
            #expect(get.header("allow") == "POST, OPTIONS")
            #expect(try await c.rpc(call("test_constant")).status == 200)  // still usable
        }
    }

    @Test func answersInterimContinueForExpectHeaders() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let body = call("test_constant")
            try await c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            try await Task.sleep(for: .milliseconds(50))
            try await c.send(body)
            #expect(try await c.readResponse().text == #"{"jsonrpc":"2.0","id":1,"result":"0x2a"}"#)
        }
    }

    @Test func closesHTTP10ConnectionsWithoutKeepAlive() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            let body = call("test_constant")
            try await c.send("POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let r = try await c.readResponse()
            #expect(r.version == "HTTP/1.0")
            #expect(r.status == 200)
            #expect(try await c.waitForClose())
        }
    }

    @Test func answersMalformedHTTPWith400() async throws {
        try await withServer { _, port in
            let c = try await RawHTTPConnection.connect(port: port)
            try await c.send("BLAH\r\n\r\n")
            #expect(try await c.readResponse().status == 400)
            #expect(try await c.waitForClose())
        }
    }
}
