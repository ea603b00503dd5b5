import JSON
import Primitives

/// geth's raw debug methods (namespace `debug`):
///
/// - debug_getRawHeader [block]: the header's RLP (its keccak256 is the block hash).
/// - debug_getRawBlock [block]: rlp([header, transactions, uncles]), transactions as in a block
///   body (a legacy transaction as its RLP list, a typed one as a byte string holding its
///   EIP-2718 envelope); uncles are always empty.
/// - debug_getRawReceipts [block]: the EIP-2718 encodings of the block's receipts, the values of
///   its receipts trie.
/// - debug_getRawTransaction [hash]: the transaction's EIP-2718 encoding (what
///   eth_sendRawTransaction takes), mined or in the pool.
///
/// `block` is a number, a tag or a hash (geth's BlockNumberOrHash); an unknown block or
/// transaction answers null.
extension ChainMethods {
    func getRawHeader(_ params: RPCParams) async throws -> JSONValue {
        guard let block = try await block(params.required(0).blockSelector()) else { return .null }
        return ChainJSON.data(block.header.encoded)
    }

    func getRawBlock(_ params: RPCParams) async throws -> JSONValue {
        guard let block = try await block(params.required(0).blockSelector()) else { return .null }
        var w = RLPWriter(capacity: 600 + block.transactions.reduce(0) { $0 + $1.encoded.count + 4 })
        w.writeList { w in
            w.write(encoded: block.header.encoded)
            w.writeList { w in
                for tx in block.transactions {
                    if tx.transaction.type == .legacy { w.write(encoded: tx.encoded) } else { w.write(bytes: tx.encoded) }
                }
            }
            w.writeList { _ in }
        }
        return ChainJSON.data(w.bytes)
    }

    func getRawReceipts(_ params: RPCParams) async throws -> JSONValue {
        guard let block = try await block(params.required(0).blockSelector()) else { return .null }
        return .array(block.receipts.map { ChainJSON.data($0.encoded) })
    }

    func getRawTransaction(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        if let (block, index) = try await minedTransaction(hash) { return ChainJSON.data(block.transactions[index].encoded) }
        if let pooled = try await backend.poolTransaction(hash: hash) { return ChainJSON.data(pooled.transaction.encoded) }
        return .null
    }
}

extension RPCMethodTable {
    /// Registers debug_getRawHeader, debug_getRawBlock, debug_getRawReceipts and
    /// debug_getRawTransaction over `backend`.
    public mutating func registerDebugRawMethods(backend: any RPCChainBackend,
                                                 configuration: ChainMethodsConfiguration = ChainMethodsConfiguration()) {
        let m = ChainMethods(backend: backend, configuration: configuration)
        register("debug_getRawHeader", parameters: 1, m.getRawHeader)
        register("debug_getRawBlock", parameters: 1, m.getRawBlock)
        register("debug_getRawReceipts", parameters: 1, m.getRawReceipts)
        register("debug_getRawTransaction", parameters: 1, m.getRawTransaction)
    }
}
