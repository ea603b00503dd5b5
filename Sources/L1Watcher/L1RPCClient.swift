import Logging
import JSON
import Primitives
import Synchronization

/// JSON-RPC over several L1 endpoints with failover and fail-back.
///
/// Requests go to the first endpoint (in `--l1.url` order) that is not cooling down. A failure
/// (no response, HTTP 429/5xx/other non-200, a server-side JSON-RPC error, a malformed answer)
/// puts that endpoint in a cooldown of `base · 2^(k-1)` (capped, jittered to [d/2, d]) after its
/// k-th consecutive failure, and the request moves on to the next endpoint; when every endpoint
/// is cooling down it waits for the one that recovers first. A call gives up after
/// `maxAttempts` attempts. When the cooldown of an earlier endpoint ends, the next request tries
/// it again (fail-back); one success clears its record. Each endpoint's chain id is checked
/// before its first use.
final class L1RPCClient: Sendable {
    struct Settings: Sendable {
        var timeout: Duration
        var maxAttempts: Int
        var initialCooldown: Duration
        var maxCooldown: Duration
        var expectedChainID: UInt64
    }

    struct Health: Sendable {
        var consecutiveFailures = 0
        var cooldownUntil: Duration?
        var lastError: String?
        var chainIDVerified = false
        var requests = 0
        var failures = 0
    }

    let urls: [String]
    let names: [String]
    let transport: any L1Transport
    let clock: L1WatcherClock
    let settings: Settings
    let logger: Logger
    private let state: Mutex<(health: [Health], active: Int?)>
    private let nextID = Atomic<Int>(1)

    init(urls: [String], transport: any L1Transport, clock: L1WatcherClock, settings: Settings, logger: Logger) {
        self.urls = urls
        self.names = urls.map(L1RPCClient.redacted)
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.logger = logger
        self.state = Mutex((health: Array(repeating: Health(), count: urls.count), active: nil))
    }

    /// scheme://host[:port] only: provider URLs often carry an API key in the path or query.
    static func redacted(_ url: String) -> String {
        let chars = Array(url)
        guard let colon = (0..<chars.count).first(where: { i in
            i + 2 < chars.count && chars[i] == ":" && chars[i + 1] == "/" && chars[i + 2] == "/"
        }) else { return "<invalid URL>" }
        var host = chars[(colon + 3)...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = host.lastIndex(of: "@") { host = host[(at + 1)...] }
        return String(chars[..<(colon + 3)]) + String(host)
    }

    var endpointHealth: [Health] { state.withLock { $0.health } }
    var activeEndpoint: Int? { state.withLock { $0.active } }

    // MARK: Calls

    /// Calls `method` with `params` (JSON text of the params array) and returns `result`.
    /// With `rpcErrorsAreAnswers`, a JSON-RPC error object is returned to the caller at once
    /// instead of counting against the endpoint (used for the `finalized` tag, which some L1s lack).
    func call(_ method: String, _ params: String, rpcErrorsAreAnswers: Bool = false) async throws(L1WatcherError) -> JSONValue {
        var lastError: L1WatcherError?
        for attempt in 1...max(1, settings.maxAttempts) {
            let (index, wait) = choose()
            if wait > .zero {
                do { try await clock.sleep(for: wait) } catch {
                    throw L1WatcherError(code: .transport, message: "L1 request \(method) cancelled", underlying: error, isTransient: true)
                }
            }
            do {
                if !state.withLock({ $0.health[index].chainIDVerified }) {
                    try await verifyChainID(index)
                }
                let result = try await post(index, method, params)
                recordSuccess(index)
                return result
            } catch {
                switch error.code {
                case .rangeTooLarge:
                    recordSuccess(index)  // the endpoint answered; the range is the problem
                    throw error
                case .chainIDMismatch:
                    throw error
                case .rpcError where !error.isTransient || rpcErrorsAreAnswers:
                    recordSuccess(index)
                    throw error
                default:
                    recordFailure(index, error, willRetry: attempt < settings.maxAttempts)
                    lastError = error
                }
            }
        }
        var e = lastError!
        e.message = "\(e.message) (gave up after \(settings.maxAttempts) attempts)"
        throw e
    }

    /// `eth_chainId` against one endpoint; a mismatch is a configuration error.
    func verifyChainID(_ index: Int) async throws(L1WatcherError) {
        let result = try await post(index, "eth_chainId", "[]")
        guard let text = result.stringValue, let id = try? Hex.decodeQuantity(text) else {
            throw .malformed("eth_chainId from \(names[index]) returned \(result)")
        }
        guard id == settings.expectedChainID else {
            throw L1WatcherError(code: .chainIDMismatch,
                                 message: "L1 endpoint \(names[index]) serves chain id \(id), but the chain spec's l1.chainId is \(settings.expectedChainID); check --l1.url",
                                 isTransient: false)
        }
        state.withLock { $0.health[index].chainIDVerified = true }
        logger.info("L1 endpoint \(names[index]) serves chain id \(id)")
    }

    /// Checks every endpoint's chain id now (startup). Unreachable endpoints are skipped and
    /// checked before their first use; a mismatch throws.
    func verifyAllChainIDs() async throws(L1WatcherError) -> Int {
        var verified = 0
        for index in urls.indices {
            do {
                try await verifyChainID(index)
                verified += 1
            } catch {
                if error.code == .chainIDMismatch { throw error }
                recordFailure(index, error, willRetry: false)
            }
        }
        return verified
    }

    private func choose() -> (Int, Duration) {
        let now = clock.now
        return state.withLock { s in
            if let i = s.health.indices.first(where: { (s.health[$0].cooldownUntil ?? .zero) <= now }) {
                return (i, .zero)
            }
            let i = s.health.indices.min { s.health[$0].cooldownUntil! < s.health[$1].cooldownUntil! }!
            return (i, s.health[i].cooldownUntil! - now)
        }
    }

    private func recordSuccess(_ index: Int) {
        let (recovered, failedBack) = state.withLock { s -> (Bool, Int?) in
            let wasFailing = s.health[index].consecutiveFailures > 0
            s.health[index].consecutiveFailures = 0
            s.health[index].cooldownUntil = nil
            s.health[index].lastError = nil
            let previous = s.active
            s.active = index
            return (wasFailing, previous.flatMap { $0 > index ? $0 : nil })
        }
        if recovered { logger.info("L1 endpoint \(names[index]) is healthy again") }
        if let from = failedBack { logger.info("L1 requests fail back from \(names[from]) to \(names[index])") }
    }

    private func recordFailure(_ index: Int, _ error: L1WatcherError, willRetry: Bool) {
        let now = clock.now
        let (cooldown, next) = state.withLock { s -> (Duration, Int?) in
            s.health[index].consecutiveFailures += 1
            s.health[index].failures += 1
            s.health[index].lastError = error.description
            let d = Self.backoff(afterFailures: s.health[index].consecutiveFailures,
                                 initial: settings.initialCooldown, maximum: settings.maxCooldown)
            s.health[index].cooldownUntil = now + d
            let next = s.health.indices.first { $0 != index && (s.health[$0].cooldownUntil ?? .zero) <= now }
            return (d, next)
        }
        if let next, willRetry {
            logger.warning("L1 endpoint \(names[index]) failed (\(error)); failing over to \(names[next]), retrying \(names[index]) in \(cooldown)")
        } else {
            logger.warning("L1 endpoint \(names[index]) failed (\(error)); backing off \(cooldown)")
        }
    }

    /// A jittered exponential delay: uniform in [d/2, d] with d = min(maximum, initial · 2^(k-1)).
    static func backoff(afterFailures k: Int, initial: Duration, maximum: Duration) -> Duration {
        var d = initial
        var i = 1
        while i < k && d < maximum { d *= 2; i += 1 }
        d = min(d, maximum)
        let nanos = d / .nanoseconds(1)
        guard nanos > 1 else { return d }
        return .nanoseconds(Int64(Double.random(in: 0.5...1.0) * nanos))
    }

    // MARK: One request

    private func post(_ index: Int, _ method: String, _ params: String) async throws(L1WatcherError) -> JSONValue {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let body = Array("{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\",\"params\":\(params)}".utf8)
        state.withLock { $0.health[index].requests += 1 }
        let name = names[index]
        let response: (status: Int, body: [UInt8])
        do {
            response = try await transport.post(url: urls[index], body: body, timeout: settings.timeout)
        } catch {
            throw L1WatcherError(code: .transport, message: "\(method) to \(name) got no response", underlying: error, isTransient: true)
        }
        switch response.status {
        case 429:
            throw L1WatcherError(code: .rateLimited, message: "\(method) to \(name): HTTP 429 (rate limited)", isTransient: true)
        case 413 where method == "eth_getLogs":
            throw L1WatcherError(code: .rangeTooLarge, message: "eth_getLogs to \(name): HTTP 413 (request entity too large)", isTransient: true)
        default: break
        }
        let parsed = try? JSONValue(parsing: response.body)
        // Some providers answer JSON-RPC errors with a 4xx/5xx status and a JSON-RPC body.
        let rpcError: Bool = if case .object? = parsed?["error"] { true } else { false }
        if response.status == 200 || rpcError {
            guard let parsed else {
                throw .malformed("\(method) to \(name): the response is not JSON (HTTP \(response.status))")
            }
            if let error = parsed["error"], !error.isNull {
                throw Self.classify(error: error, method: method, endpoint: name, status: response.status)
            }
            guard let result = parsed["result"] else {
                throw .malformed("\(method) to \(name): the response has neither result nor error")
            }
            return result
        }
        let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
        throw L1WatcherError(code: .httpStatus, message: "\(method) to \(name): HTTP \(response.status) \(snippet)",
                             isTransient: response.status >= 500 || response.status == 408)
    }

    /// Sorts a JSON-RPC error object into range refusals, rate limits, server-side (transient)
    /// and request (permanent) errors.
    static func classify(error: JSONValue, method: String, endpoint: String, status: Int) -> L1WatcherError {
        let code = error["code"]?.numberValue?.int ?? 0
        let message = error["message"]?.stringValue ?? "\(error)"
        let text = message.lowercased()
        let described = "\(method) to \(endpoint): JSON-RPC error \(code): \(message)"
        let rateLimit = code == 429 || text.contains("rate limit") || text.contains("too many requests")
            || text.contains("request rate") || text.contains("request count") || text.contains("capacity exceeded")
        if rateLimit { return L1WatcherError(code: .rateLimited, message: described, isTransient: true) }
        if method == "eth_getLogs" && (code == -32005 || isRangeRefusal(text)) {
            return L1WatcherError(code: .rangeTooLarge, message: described, isTransient: true)
        }
        switch code {
        case -32700, -32600, -32601, -32602:
            return L1WatcherError(code: .rpcError, message: described, isTransient: false)
        default:
            return L1WatcherError(code: .rpcError, message: described, isTransient: true)
        }
    }

    /// Wordings providers use when an eth_getLogs range is too wide or matches too many logs.
    static func isRangeRefusal(_ text: String) -> Bool {
        let phrases = ["query returned more than", "block range", "range too large", "range is too large", "range too wide",
                       "exceed maximum block range", "exceeds the range", "too many blocks", "limit exceeded",
                       "response size exceeded", "response size should not", "log response size", "more than 10000 results",
                       "too many results", "results exceed", "query timeout exceeded"]
        return phrases.contains { text.contains($0) }
    }
}
