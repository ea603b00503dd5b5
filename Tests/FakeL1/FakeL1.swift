import Foundation
import Primitives
import Synchronization

/// One fake L1 JSON-RPC provider over a `FakeL1Chain`, with the faults real providers have.
///
/// Several providers may share one chain (failover tests). Methods: `eth_chainId`,
/// `eth_blockNumber`, `net_version`, `web3_clientVersion`, `eth_getBlockByNumber` (numbers and the
/// tags latest, pending, safe, finalized, earliest), `eth_getBlockByHash`, `eth_getLogs` (block
/// range or blockHash, address, topics), and for developers `fake_enqueue`, `fake_mine`,
/// `fake_reorg`. Batch requests are answered in order.
///
/// Faults: an outage (dropped connections or an HTTP status), HTTP 429 for the next N requests,
/// a maximum eth_getLogs block range and a maximum result count (refused the way providers do),
/// omitted or duplicated logs, and a response delay.
public final class FakeL1: Sendable {
    public let chain: FakeL1Chain

    /// How an outage looks to clients.
    public enum Outage: Sendable, Equatable {
        /// The connection is closed without an answer.
        case dropConnection
        /// Every request gets this HTTP status (503, 502, …) with a small body.
        case status(Int)
    }

    /// How a refused eth_getLogs range is answered.
    public enum RangeRefusal: Sendable, Equatable {
        /// A JSON-RPC error, for example -32005 "query returned more than 10000 results".
        case jsonRPC(code: Int, message: String)
        /// HTTP 413.
        case http413
    }

    /// The answer to one HTTP request.
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var dropConnection: Bool
        public var delay: Duration?
    }

    private struct Faults {
        var outage: Outage?
        var rateLimited = 0
        var maxBlockRange: UInt64?
        var rangeRefusal = RangeRefusal.jsonRPC(code: -32005, message: "block range too large: at most 10000 blocks per query")
        var maxResults: Int? = 10_000
        var omitted: [UInt64: Int] = [:]
        var duplicateLogs = false
        var delay: Duration?
    }

    private struct Counters {
        var requests = 0
        var byMethod: [String: Int] = [:]
        var logRanges: [ClosedRange<UInt64>] = []
        var refusedRanges = 0
    }

    private let faults = Mutex(Faults())
    private let counters = Mutex(Counters())

    public init(chain: FakeL1Chain = FakeL1Chain()) {
        self.chain = chain
    }

    // MARK: Faults

    public func setOutage(_ outage: Outage?) { faults.withLock { $0.outage = outage } }

    /// Answers the next `count` requests with HTTP 429.
    public func rateLimit(next count: Int) { faults.withLock { $0.rateLimited = count } }

    /// Refuses eth_getLogs over more than `blocks` blocks (nil: no limit).
    public func setMaxBlockRange(_ blocks: UInt64?, refusal: RangeRefusal = .jsonRPC(code: -32005, message: "block range too large: at most 10000 blocks per query")) {
        faults.withLock { $0.maxBlockRange = blocks; $0.rangeRefusal = refusal }
    }

    /// Refuses eth_getLogs matching more than `results` logs, with -32005 "query returned more
    /// than N results" (nil: no limit). 10,000 by default, like the big providers.
    public func setMaxResults(_ results: Int?) { faults.withLock { $0.maxResults = results } }

    /// Leaves the log of `queueIndex` out of the next `times` eth_getLogs answers that cover it.
    public func omitLog(queueIndex: UInt64, times: Int = 1) { faults.withLock { $0.omitted[queueIndex] = times } }

    /// Returns every log twice.
    public func setDuplicateLogs(_ on: Bool) { faults.withLock { $0.duplicateLogs = on } }

    /// Waits this long before each answer.
    public func setDelay(_ delay: Duration?) { faults.withLock { $0.delay = delay } }

    // MARK: Counters

    /// Requests answered (or refused) so far; with a method, only that method's (a batch counts
    /// once per call inside it).
    public func requestCount(_ method: String? = nil) -> Int {
        counters.withLock { c in method.map { c.byMethod[$0] ?? 0 } ?? c.requests }
    }

    /// The block ranges of the eth_getLogs calls answered with logs, in order.
    public var logRanges: [ClosedRange<UInt64>] { counters.withLock { $0.logRanges } }

    /// eth_getLogs calls refused for their range or result count.
    public var refusedRanges: Int { counters.withLock { $0.refusedRanges } }

    public func resetCounters() { counters.withLock { $0 = Counters() } }

    // MARK: Handling

    /// Answers one HTTP POST body.
    public func handle(_ body: [UInt8]) -> Response {
        let (outage, limited, delay) = faults.withLock { f -> (Outage?, Bool, Duration?) in
            let limited = f.rateLimited > 0
            if limited { f.rateLimited -= 1 }
            return (f.outage, limited, f.delay)
        }
        counters.withLock { $0.requests += 1 }
        switch outage {
        case .dropConnection: return Response(status: 0, body: [], dropConnection: true, delay: delay)
        case .status(let code): return Response(status: code, body: Array("{\"error\":\"outage\"}".utf8), dropConnection: false, delay: delay)
        case nil: break
        }
        if limited {
            return Response(status: 429, body: Array("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}".utf8),
                            dropConnection: false, delay: delay)
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return Response(status: 200, body: Array(Self.error(id: "null", code: -32700, message: "parse error").utf8), dropConnection: false, delay: delay)
        }
        if let batch = parsed as? [Any] {
            var parts: [String] = []
            for item in batch {
                let (text, _) = answer(item)
                parts.append(text)
            }
            return Response(status: 200, body: Array("[\(parts.joined(separator: ","))]".utf8), dropConnection: false, delay: delay)
        }
        let (text, status) = answer(parsed)
        return Response(status: status, body: Array(text.utf8), dropConnection: false, delay: delay)
    }

    private static func idText(_ id: Any?) -> String {
        switch id {
        case let n as NSNumber: return n.stringValue
        case let s as String: return "\"\(s)\""
        default: return "null"
        }
    }

    static func error(id: String, code: Int, message: String) -> String {
        "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"error\":{\"code\":\(code),\"message\":\"\(message)\"}}"
    }

    static func result(id: String, _ json: String) -> String {
        "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"result\":\(json)}"
    }

    struct RPCFailure: Error {
        var code: Int
        var message: String
        var httpStatus = 200
    }

    /// One request object -> (response text, HTTP status).
    private func answer(_ request: Any) -> (String, Int) {
        guard let object = request as? [String: Any], let method = object["method"] as? String else {
            return (Self.error(id: "null", code: -32600, message: "invalid request"), 200)
        }
        let id = Self.idText(object["id"])
        let params = object["params"] as? [Any] ?? []
        counters.withLock { $0.byMethod[method, default: 0] += 1 }
        do {
            return (Self.result(id: id, try dispatch(method, params)), 200)
        } catch let failure as RPCFailure {
            return (Self.error(id: id, code: failure.code, message: failure.message), failure.httpStatus)
        } catch {
            return (Self.error(id: id, code: -32603, message: "internal error"), 200)
        }
    }

    private func dispatch(_ method: String, _ params: [Any]) throws -> String {
        switch method {
        case "eth_chainId": return "\"\(Hex.encodeQuantity(chain.chainID))\""
        case "net_version": return "\"\(chain.chainID)\""
        case "web3_clientVersion": return "\"fake-l1/1.0\""
        case "eth_blockNumber": return "\"\(Hex.encodeQuantity(chain.latestNumber))\""
        case "eth_getBlockByNumber":
            guard let tag = params.first as? String else { throw RPCFailure(code: -32602, message: "missing block number") }
            return try blockNumber(tag).flatMap(chain.block).map(Self.blockJSON) ?? "null"
        case "eth_getBlockByHash":
            guard let text = params.first as? String, let hash = try? Hash32(hex: text) else {
                throw RPCFailure(code: -32602, message: "invalid block hash")
            }
            return chain.block(hash: hash).map(Self.blockJSON) ?? "null"
        case "eth_getLogs":
            guard let filter = params.first as? [String: Any] else { throw RPCFailure(code: -32602, message: "missing filter") }
            return try logs(filter)
        case "fake_enqueue":
            guard let spec = params.first as? [String: Any] else { throw RPCFailure(code: -32602, message: "expected {to, value, gasLimit, data, sender}") }
            let message = try Self.message(spec)
            let index = chain.enqueue(message)
            return "{\"queueIndex\":\"\(Hex.encodeQuantity(index))\"}"
        case "fake_mine":
            let n = try params.first.map { try Self.count($0) } ?? 1
            return "\"\(Hex.encodeQuantity(chain.mine(n)))\""
        case "fake_reorg":
            let spec = params.first as? [String: Any] ?? [:]
            let depth = try spec["depth"].map { try Self.count($0) } ?? 1
            guard depth >= 1, UInt64(depth) <= chain.latestNumber else { throw RPCFailure(code: -32602, message: "depth must be 1...head") }
            let mode: FakeL1Chain.ReorgMessages = (spec["messages"] as? String) == "drop" ? .drop : .keep
            let newBlocks = try spec["newBlocks"].map { try Self.count($0) }
            return "\"\(Hex.encodeQuantity(chain.reorg(depth: depth, newBlocks: newBlocks, messages: mode)))\""
        default:
            throw RPCFailure(code: -32601, message: "the method \(method) does not exist/is not available")
        }
    }

    private static func count(_ value: Any) throws -> Int {
        if let n = value as? Int { return n }
        if let s = value as? String, let n = try? Hex.decodeQuantity(s) { return Int(n) }
        throw RPCFailure(code: -32602, message: "expected a number")
    }

    static func message(_ spec: [String: Any]) throws -> FakeL1Chain.Message {
        func address(_ key: String, default fallback: Address?) throws -> Address {
            guard let text = spec[key] as? String else {
                if let fallback { return fallback }
                throw RPCFailure(code: -32602, message: "\(key) is required")
            }
            do { return try Address(hex: text) } catch { throw RPCFailure(code: -32602, message: "\(key): \(error)") }
        }
        func quantity(_ key: String, default fallback: U256) throws -> U256 {
            switch spec[key] {
            case nil: return fallback
            case let n as Int where n >= 0: return U256(UInt64(n))
            case let s as String:
                if s.hasPrefix("0x"), let v = try? U256(quantity: s) { return v }
                if let v = U256(decimal: s) { return v }
                throw RPCFailure(code: -32602, message: "\(key): not a number")
            default: throw RPCFailure(code: -32602, message: "\(key): not a number")
            }
        }
        let to = try address("to", default: nil)
        let sender = try address("sender", default: try! Address(hex: "0x1111111111111111111111111111111111111111"))
        let value = try quantity("value", default: .zero)
        guard let gasLimit = try quantity("gasLimit", default: U256(100_000)).uint64 else {
            throw RPCFailure(code: -32602, message: "gasLimit: too large")
        }
        var data: [UInt8] = []
        if let text = spec["data"] as? String {
            do { data = try Hex.decode(text) } catch { throw RPCFailure(code: -32602, message: "data: \(error)") }
        }
        return FakeL1Chain.Message(sender: sender, target: to, value: value, gasLimit: gasLimit, data: data)
    }

    private func blockNumber(_ tag: String) throws -> UInt64? {
        switch tag {
        case "latest", "pending": return chain.latestNumber
        case "finalized", "safe": return chain.finalizedNumber
        case "earliest": return 0
        default:
            guard let n = try? Hex.decodeQuantity(tag) else { throw RPCFailure(code: -32602, message: "invalid block number \(tag)") }
            return n
        }
    }

    private func logs(_ filter: [String: Any]) throws -> String {
        var blocks: [FakeL1Chain.Block]
        let range: ClosedRange<UInt64>
        if let hashText = filter["blockHash"] as? String {
            guard let hash = try? Hash32(hex: hashText), let block = chain.block(hash: hash) else {
                throw RPCFailure(code: -32000, message: "unknown block")
            }
            blocks = [block]
            range = block.number...block.number
        } else {
            let head = chain.latestNumber
            let from = try (filter["fromBlock"] as? String).map { try blockNumber($0) ?? head } ?? head
            let to = try (filter["toBlock"] as? String).map { try blockNumber($0) ?? head } ?? head
            guard from <= to else { throw RPCFailure(code: -32602, message: "invalid block range params") }
            let (maxRange, refusal) = faults.withLock { ($0.maxBlockRange, $0.rangeRefusal) }
            if let maxRange, to - from + 1 > maxRange {
                counters.withLock { $0.refusedRanges += 1 }
                switch refusal {
                case .jsonRPC(let code, let message): throw RPCFailure(code: code, message: message)
                case .http413: throw RPCFailure(code: -32600, message: "request entity too large", httpStatus: 413)
                }
            }
            blocks = []
            if from <= head {
                for n in from...min(to, head) { blocks.append(chain.block(n)!) }
            }
            range = from...to
        }
        let addresses: [String]? = {
            switch filter["address"] {
            case let s as String: return [s.lowercased()]
            case let a as [String]: return a.map { $0.lowercased() }
            default: return nil
            }
        }()
        let topicFilter: [[String]?] = (filter["topics"] as? [Any] ?? []).map { entry in
            switch entry {
            case let s as String: return [s.lowercased()]
            case let a as [String]: return a.map { $0.lowercased() }
            default: return nil
            }
        }
        let queueHex = chain.messageQueue.hex
        if let addresses, !addresses.contains(queueHex) {
            counters.withLock { $0.logRanges.append(range) }
            return "[]"
        }
        var selected: [FakeL1Chain.Log] = []
        for block in blocks {
            for log in block.logs {
                let topics = [FakeL1Chain.queueTransactionTopic.hex, FakeL1Chain.topic(log.message.sender).hex,
                              FakeL1Chain.topic(log.message.target).hex]
                var match = true
                for (i, wanted) in topicFilter.enumerated() {
                    guard let wanted else { continue }
                    if i >= topics.count || !wanted.contains(topics[i]) { match = false; break }
                }
                if match { selected.append(log) }
            }
        }
        let (maxResults, duplicate) = faults.withLock { ($0.maxResults, $0.duplicateLogs) }
        if let maxResults, selected.count > maxResults {
            counters.withLock { $0.refusedRanges += 1 }
            throw RPCFailure(code: -32005, message: "query returned more than \(maxResults) results")
        }
        selected = faults.withLock { f in
            guard !f.omitted.isEmpty else { return selected }
            return selected.filter { log in
                guard let times = f.omitted[log.queueIndex], times > 0 else { return true }
                f.omitted[log.queueIndex] = times - 1
                return false
            }
        }
        counters.withLock { $0.logRanges.append(range) }
        var out = "["
        out.reserveCapacity(selected.count * (duplicate ? 2 : 1) * (selected.first?.json.utf8.count ?? 0) + 2)
        var first = true
        for log in selected {
            for _ in 0..<(duplicate ? 2 : 1) {
                if !first { out += "," }
                first = false
                out += log.json
            }
        }
        return out + "]"
    }

    static let emptyBloom = "0x" + String(repeating: "0", count: 512)

    static func blockJSON(_ b: FakeL1Chain.Block) -> String {
        let zero = Hash32.zero.hex
        return "{\"number\":\"\(Hex.encodeQuantity(b.number))\",\"hash\":\"\(b.hash.hex)\",\"parentHash\":\"\(b.parentHash.hex)\","
            + "\"timestamp\":\"\(Hex.encodeQuantity(b.timestamp))\",\"nonce\":\"0x0000000000000000\",\"mixHash\":\"\(zero)\","
            + "\"sha3Uncles\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\",\"logsBloom\":\"\(emptyBloom)\","
            + "\"transactionsRoot\":\"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421\",\"stateRoot\":\"\(zero)\","
            + "\"receiptsRoot\":\"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421\","
            + "\"miner\":\"0x0000000000000000000000000000000000000000\",\"difficulty\":\"0x0\",\"totalDifficulty\":\"0x0\","
            + "\"extraData\":\"0x\",\"size\":\"0x200\",\"gasLimit\":\"0x1c9c380\",\"gasUsed\":\"0x0\",\"baseFeePerGas\":\"0x7\","
            + "\"transactions\":[],\"uncles\":[]}"
    }
}
