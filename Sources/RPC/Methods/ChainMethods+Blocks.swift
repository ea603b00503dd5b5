import JSON
import Primitives

/// eth_blockNumber, eth_getBlockBy*, eth_getBlockTransactionCountBy*, eth_getBlockReceipts.
extension ChainMethods {
    func blockNumber(_: RPCParams) async throws -> JSONValue {
        ChainJSON.quantity(try await backend.headNumber())
    }

    /// `[tag, fullTransactions]` -> the block or null.
    func getBlockByNumber(_ params: RPCParams) async throws -> JSONValue {
        let tag = try params.blockTag(at: 0)
        let full = try params.bool(at: 1)
        guard let block = try await block(.tag(tag)) else { return .null }
        return ChainJSON.block(block, fullTransactions: full)
    }

    /// `[hash, fullTransactions]` -> the block or null.
    func getBlockByHash(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        let full = try params.bool(at: 1)
        guard let block = try await backend.block(hash: hash) else { return .null }
        return ChainJSON.block(block, fullTransactions: full)
    }

    func getBlockTransactionCountByNumber(_ params: RPCParams) async throws -> JSONValue {
        let tag = try params.blockTag(at: 0)
        guard let block = try await block(.tag(tag)) else { return .null }
        return ChainJSON.quantity(block.transactions.count)
    }

    func getBlockTransactionCountByHash(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        guard let block = try await backend.block(hash: hash) else { return .null }
        return ChainJSON.quantity(block.transactions.count)
    }

    /// `[block number, tag or hash]` -> every receipt of the block, or null.
    func getBlockReceipts(_ params: RPCParams) async throws -> JSONValue {
        let selector = try params.required(0).blockSelector()
        guard let block = try await block(selector) else { return .null }
        return ChainJSON.receipts(of: block)
    }
}
