import JSON
import Primitives

/// txpool_status, txpool_content, txpool_contentFrom, txpool_inspect, in geth's formats:
/// transactions grouped by sender (EIP-55 checksummed keys, as geth writes them) and by nonce
/// (decimal string keys), in nonce order; pooled transactions have null block fields.
extension ChainMethods {
    /// `{"pending": count, "queued": count}`.
    func txPoolStatus(_: RPCParams) async throws -> JSONValue {
        let content = try await backend.poolContent()
        return ["pending": ChainJSON.quantity(content.pending.count), "queued": ChainJSON.quantity(content.queued.count)]
    }

    /// `{"pending": {sender: {nonce: tx}}, "queued": {...}}`.
    func txPoolContent(_: RPCParams) async throws -> JSONValue {
        let content = try await backend.poolContent()
        return ["pending": Self.bySender(content.pending, Self.poolTransaction),
                "queued": Self.bySender(content.queued, Self.poolTransaction)]
    }

    /// `[address]` -> `{"pending": {nonce: tx}, "queued": {...}}` for one sender.
    func txPoolContentFrom(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let content = try await backend.poolContent()
        return ["pending": Self.byNonce(content.pending.filter { $0.sender == address }, Self.poolTransaction),
                "queued": Self.byNonce(content.queued.filter { $0.sender == address }, Self.poolTransaction)]
    }

    /// Like txpool_content with one-line summaries:
    /// `0x...: 1000 wei + 21000 gas × 2000000000 wei` (`contract creation: ...` without a
    /// recipient); the price is the gas price, or the fee cap of an EIP-1559 transaction.
    func txPoolInspect(_: RPCParams) async throws -> JSONValue {
        let content = try await backend.poolContent()
        return ["pending": Self.bySender(content.pending, Self.summary), "queued": Self.bySender(content.queued, Self.summary)]
    }

    static func poolTransaction(_ pooled: RPCPoolTransaction) -> JSONValue {
        ChainJSON.transaction(pooled.transaction, sender: pooled.sender, inclusion: nil)
    }

    static func summary(_ pooled: RPCPoolTransaction) -> JSONValue {
        let t = pooled.transaction.transaction
        let recipient = t.to.map(\.checksummed) ?? "contract creation"
        return .string("\(recipient): \(t.value) wei + \(t.gasLimit) gas × \(t.maxFeePerGas) wei")
    }

    static func bySender(_ transactions: [RPCPoolTransaction], _ format: (RPCPoolTransaction) -> JSONValue) -> JSONValue {
        var groups: [Address: [RPCPoolTransaction]] = [:]
        for tx in transactions { groups[tx.sender, default: []].append(tx) }
        var o = JSONObject()
        for sender in groups.keys.sorted() {
            o.append(sender.checksummed, byNonce(groups[sender]!, format))
        }
        return .object(o)
    }

    static func byNonce(_ transactions: [RPCPoolTransaction], _ format: (RPCPoolTransaction) -> JSONValue) -> JSONValue {
        var o = JSONObject()
        for tx in transactions.sorted(by: { ($0.transaction.transaction.nonce ?? 0) < ($1.transaction.transaction.nonce ?? 0) }) {
            o.append(String(tx.transaction.transaction.nonce ?? 0), format(tx))
        }
        return .object(o)
    }
}
