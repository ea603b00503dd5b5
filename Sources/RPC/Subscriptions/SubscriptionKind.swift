import JSON
import Primitives

/// What an `eth_subscribe` subscription (or an HTTP filter) asked for, and what it makes of
/// each ``RPCEvent``: zero or more results, in order.
///
/// - `newHeads`: the header of each new head, as eth_getBlockByNumber gives the block without
///   its transactions, size and uncles (geth's header object). A rollback sends nothing: the new
///   head was sent already; the new chain's blocks follow as they are committed, each once.
/// - `logs`: the matching logs of each new block; after a rollback, first the matching logs of
///   the removed blocks (oldest first) with `removed: true`.
/// - `newPendingTransactions`: the hash of each transaction entering the pool, or the whole
///   transaction (`true` flag, as geth).
enum SubscriptionKind: Sendable {
    case newHeads
    case logs(LogFilter)
    case newPendingTransactions(fullTransactions: Bool)

    /// The kind `eth_subscribe` names: `[kind, options?]`.
    init(_ params: RPCParams, maxFilterEntries: Int) throws(JSONRPCError) {
        let name = try params.string(at: 0)
        switch name {
        case "newHeads":
            self = .newHeads
        case "logs":
            let filter: LogFilter
            if let argument = params.optional(1) {
                filter = try LogFilter(argument, maxEntries: maxFilterEntries)
            } else {
                filter = try LogFilter(RPCParams.Argument(index: 1, value: .object([:])), maxEntries: maxFilterEntries)
            }
            if case .block = filter.range { throw JSONRPCError.invalidParams("invalid argument 1: blockHash is not allowed in a logs subscription") }
            self = .logs(filter)
        case "newPendingTransactions":
            self = .newPendingTransactions(fullTransactions: try params.optional(1)?.bool() ?? false)
        default:
            throw JSONRPCError(code: JSONRPCError.methodNotFoundCode, message: "no \"\(name)\" subscription in eth namespace")
        }
    }

    /// The results `event` produces for this subscription.
    func results(for event: RPCEvent) -> [JSONValue] {
        switch (self, event) {
        case (.newHeads, .newHead(let block)):
            return [ChainJSON.header(of: block)]
        case (.logs(let filter), .newHead(let block)):
            return filter.logs(in: block)
        case (.logs(let filter), .rolledBack(let removed, _)):
            return removed.flatMap { filter.logs(in: $0, removed: true) }
        case (.newPendingTransactions(let full), .pendingTransaction(let pooled)):
            return [full ? ChainJSON.transaction(pooled.transaction, sender: pooled.sender, inclusion: nil)
                         : ChainJSON.hash(pooled.transaction.hash)]
        default:
            return []
        }
    }
}

/// Subscription and filter ids as geth makes them: `0x` and the hex digits of 16 random bytes
/// without leading zeros.
enum SubscriptionID {
    static func random() -> String {
        var rng = SystemRandomNumberGenerator()
        let hex = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }, prefix: false)
        let trimmed = hex.drop { $0 == "0" }
        return "0x" + (trimmed.isEmpty ? "0" : trimmed)
    }
}

extension ChainJSON {
    /// The header of `block` as geth's `newHeads` sends it: the block object without
    /// transactions, uncles, size and total difficulty.
    static func header(of block: RPCBlock) -> JSONValue {
        guard case .object(var o) = ChainJSON.block(RPCBlock(header: block.header, hash: block.hash, transactions: [], senders: [], receipts: []),
                                                    fullTransactions: false)
        else { return .null }
        o.members.removeAll { ["transactions", "uncles", "size", "totalDifficulty"].contains($0.key) }
        return .object(o)
    }
}
