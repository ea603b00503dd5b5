import LoopbackHTTP
@testable import HTTPClient
import Synchronization
import Testing

@Suite struct CurlHTTPClientTests {
    /// Echoes method, path, the x-test header and the body; status from the x-status header.
    static func echoServer() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let status = request.header("x-status").flatMap { Int($0) } ?? 200
            let delay = request.header("x-delay-ms").flatMap { Int($0) }.map { Duration.milliseconds($0) }
            let summary = "\(request.method) \(request.path) \(request.header("x-test") ?? "-") expect=\(request.header("expect") ?? "-") "
            return .init(status: status, headers: [("X-Echo", "yes"), ("Content-Type", "text/plain")],
                         body: Array(summary.utf8) + request.body, delay: delay)
        }
    }

    @Test func postsBodyAndHeadersAndReadsTheResponse() async throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/p", headers: [("X-Test", "1")],
                                                         body: Array("hello".utf8)))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "POST /p 1 expect=- hello")
        #expect(response.header("x-echo") == "yes")
        let get = try await client.send(HTTPRequest(method: .get, url: server.baseURL + "/g"))
        #expect(String(decoding: get.body, as: UTF8.self) == "GET /g - expect=- ")
    }

    @Test func emptyAndLargeBodiesArePosted() async throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let empty = try await client.send(HTTPRequest(url: server.baseURL + "/"))
        #expect(String(decoding: empty.body, as: UTF8.self) == "POST / - expect=- ")
        let large = [UInt8](repeating: 0x61, count: 200_000)
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/", body: large))
        #expect(response.body.count == "POST / - expect=100-continue ".utf8.count + large.count
            || response.body.count == "POST / - expect=- ".utf8.count + large.count)
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        for status in [400, 404, 500, 503] {
            let response = try await client.send(HTTPRequest(url: server.baseURL, headers: [("X-Status", "\(status)")]))
            #expect(response.status == status)
        }
    }

    @Test func reusesOneConnection() async throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        for _ in 0..<25 { _ = try await client.send(HTTPRequest(url: server.baseURL, body: [1, 2, 3])) }
        #expect(server.acceptedConnections == 1)
    }

    @Test func concurrentRequestsAreSerialisedOnTheHandle() async throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    let r = try await client.send(HTTPRequest(url: server.baseURL, headers: [("X-Test", "\(i)")]))
                    #expect(String(decoding: r.body, as: UTF8.self) == "POST / \(i) expect=- ")
                }
            }
            try await group.waitForAll()
        }
        #expect(server.acceptedConnections == 1)
    }

    @Test func totalTimeoutIsATransientError() async throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let client = try CurlHTTPClient(configuration: .init(connectTimeout: .milliseconds(300), requestTimeout: .milliseconds(150)))
        do {
            _ = try await client.send(HTTPRequest(url: server.baseURL, headers: [("X-Delay-Ms", "600")]))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.code == .timedOut)
            #expect(error.isTransient)
            #expect(error.underlying?.contains("CURLcode 28") == true)
            #expect(error.message.contains("timed out"))
        }
        // The handle is still usable.
        let ok = try await client.send(HTTPRequest(url: server.baseURL))
        #expect(ok.status == 200)
    }

    @Test func refusedConnectionIsATransientError() async throws {
        let server = try Self.echoServer()
        let url = server.baseURL
        server.stop()
        let client = try CurlHTTPClient()
        do {
            _ = try await client.send(HTTPRequest(url: url))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .couldNotConnect)
            #expect(error.isTransient)
            #expect(error.message.contains("could not connect to \(url)"))
        }
    }

    @Test func badURLsAreNotTransient() async throws {
        let client = try CurlHTTPClient()
        for url in ["ftp://127.0.0.1/", "http://[::1"] {
            do {
                _ = try await client.send(HTTPRequest(url: url))
                Issue.record("expected an error for \(url)")
            } catch {
                #expect(error.code == .invalidRequest, "\(url): \(error)")
                #expect(!error.isTransient)
            }
        }
    }

    /// Cancelling a request that the server holds (it would answer after 30 s) aborts the curl
    /// transfer itself: the error is `.cancelled` with curl's abort code underneath, not a
    /// request that was let finish. No tight timing: the suite's CPU-heavy tests may starve the
    /// cooperative pool for seconds on a 2-core machine.
    @Test func cancellationAbortsARunningRequest() async throws {
        let received = Atomic<Int>(0)
        let server = try LoopbackHTTPServer { request in
            received.add(1, ordering: .relaxed)
            return .init(status: 200, headers: [], body: [], delay: .seconds(30))
        }
        defer { server.stop() }
        let client = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60)))
        let task = Task { try await client.send(HTTPRequest(url: server.baseURL)) }
        let deadline = ContinuousClock.now + .seconds(20)
        while received.load(ordering: .relaxed) == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(received.load(ordering: .relaxed) == 1, "the server never saw the request")
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - cancelledAt < .seconds(20), "the transfer ran on instead of being aborted")
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected a cancellation error, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        #expect(error.underlying != nil, "curl should report the transfer aborted by the progress callback")
    }

    @Test func userInfoIsNotEchoedInErrors() {
        #expect(CurlHTTPClient.redactedTarget("https://user:secret@kms.example.com:443/path?q") == "https://kms.example.com:443")
    }
}
