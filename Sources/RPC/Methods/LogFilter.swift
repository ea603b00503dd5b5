import JSON
import Primitives

/// The filter object of eth_getLogs.
///
/// - `blockHash`, or `fromBlock` / `toBlock` (numbers or tags, `latest` by default); not both.
/// - `address`: one address or a list (any of them); absent, null or `[]`: any address.
/// - `topics`: up to four positions; each is null (any), one topic, or a list of topics (any
///   of them; a list containing null, and an empty list, match anything).
struct LogFilter: Sendable, Equatable {
    enum Range: Sendable, Equatable {
        case block(Hash32)
        case numbers(from: BlockTag, to: BlockTag)
    }

    var range: Range
    /// Empty: any address.
    var addresses: [Address]
    /// One entry per position; nil matches any topic.
    var topics: [[Hash32]?]

    static let maxTopics = 4

    init(_ argument: RPCParams.Argument, maxEntries: Int) throws(JSONRPCError) {
        let object = try argument.object()
        func member(_ key: String) -> RPCParams.Member? {
            guard let value = object[key], !value.isNull else { return nil }
            return argument.member(key, value)
        }
        if let hash = try member("blockHash")?.hash() {
            guard member("fromBlock") == nil, member("toBlock") == nil else {
                throw argument.invalid("cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other")
            }
            range = .block(hash)
        } else {
            range = .numbers(from: try member("fromBlock")?.blockTag() ?? .latest, to: try member("toBlock")?.blockTag() ?? .latest)
        }

        addresses = []
        if let address = member("address") {
            if case .array(let list) = address.value {
                for (i, item) in list.enumerated() {
                    addresses.append(try argument.member("address[\(i)]", item).address())
                }
            } else {
                addresses = [try address.address()]
            }
        }

        topics = []
        if let raw = member("topics") {
            for (i, position) in try raw.array().enumerated() {
                switch position {
                case .null:
                    topics.append(nil)
                case .array(let alternatives):
                    var hashes: [Hash32]? = []
                    for (j, alternative) in alternatives.enumerated() {
                        if alternative.isNull { hashes = nil; break }
                        hashes?.append(try argument.member("topics[\(i)][\(j)]", alternative).hash())
                    }
                    topics.append(hashes?.isEmpty == true ? nil : hashes)
                default:
                    topics.append([try argument.member("topics[\(i)]", position).hash()])
                }
            }
        }

        if topics.count > Self.maxTopics { throw JSONRPCError.server("exceed max topics") }
        if addresses.count > maxEntries || topics.contains(where: { ($0?.count ?? 0) > maxEntries }) {
            throw JSONRPCError.server("exceed max addresses or topics per search position")
        }
    }

    /// Whether `log` matches the addresses and every topic position.
    func matches(_ log: Log) -> Bool {
        if !addresses.isEmpty && !addresses.contains(log.address) { return false }
        if log.topics.count < topics.count { return false }
        for (i, alternatives) in topics.enumerated() {
            if let alternatives, !alternatives.contains(log.topics[i]) { return false }
        }
        return true
    }

    /// Whether a block with `bloom` can hold a matching log (false: it certainly holds none).
    func mayMatch(_ bloom: Bloom) -> Bool {
        if !addresses.isEmpty && !addresses.contains(where: { bloom.contains($0.bytes) }) { return false }
        for alternatives in topics {
            if let alternatives, !alternatives.contains(where: { bloom.contains($0.bytes) }) { return false }
        }
        return true
    }

    /// The matching logs of `block` in JSON form, in block order (`removed` for blocks a
    /// rollback took off the chain).
    func logs(in block: RPCBlock, removed: Bool = false) -> [JSONValue] {
        var out: [JSONValue] = []
        var logIndex = 0
        for (i, receipt) in block.receipts.enumerated() {
            for log in receipt.logs {
                if matches(log) { out.append(ChainJSON.log(log, in: block, transactionIndex: i, logIndex: logIndex, removed: removed)) }
                logIndex += 1
            }
        }
        return out
    }
}

extension ChainMethods {
    /// `[filter]` -> the matching logs. A range is clamped to the head (a range starting above
    /// it is empty) and may span at most ``ChainMethodsConfiguration/maxLogBlockRange`` blocks;
    /// at most ``ChainMethodsConfiguration/maxLogResults`` logs are returned (more: reth's
    /// error, naming the range that fits). The backend's log index names the blocks to load
    /// when the filter has an address or a topic; otherwise blocks whose bloom rules the
    /// filter out are skipped without loading their receipts.
    func getLogs(_ params: RPCParams) async throws -> JSONValue {
        try await logs(matching: LogFilter(params.required(0), maxEntries: configuration.maxLogFilterEntries))
    }

    /// The logs `filter` matches (eth_getLogs, eth_getFilterLogs).
    func logs(matching filter: LogFilter) async throws -> JSONValue {
        switch filter.range {
        case .block(let hash):
            guard let block = try await backend.block(hash: hash) else { throw JSONRPCError.server("unknown block") }
            return .array(filter.logs(in: block))
        case .numbers(let fromTag, let toTag):
            let head = try await backend.headNumber()
            let from = try await number(of: fromTag)
            var to = try await number(of: toTag)
            guard from <= to else { throw JSONRPCError.server("invalid block range params") }
            if from > head { return [] }
            to = min(to, head)
            if to - from >= configuration.maxLogBlockRange {
                throw JSONRPCError.server("exceed maximum block range: \(configuration.maxLogBlockRange)")
            }
            var out: [JSONValue] = []
            let limit = configuration.maxLogResults
            var lastFull: UInt64?  // the last block whose logs all fit
            func add(_ block: RPCBlock) throws {
                let logs = filter.logs(in: block)
                if out.count + logs.count > limit {
                    let retry = lastFull.map { ", retry with the range \(from)-\($0)" } ?? ""
                    throw JSONRPCError.server("query exceeds max results \(limit)\(retry)")
                }
                out.append(contentsOf: logs)
                lastFull = block.number
            }
            if let candidates = try await backend.logBlocks(addresses: filter.addresses, topics: filter.topics, from: from, to: to) {
                for n in candidates {
                    try Task.checkCancellation()
                    if let block = try await backend.block(number: n) { try add(block) }
                }
                return .array(out)
            }
            for n in from...to {
                try Task.checkCancellation()
                guard let header = try await backend.header(number: n), filter.mayMatch(header.logsBloom),
                      let block = try await backend.block(number: n)
                else { continue }
                try add(block)
            }
            return .array(out)
        }
    }
}
