import JSON
import Primitives

/// Transaction and receipt lookups, eth_sendRawTransaction and eth_sendRawTransactionSync.
extension ChainMethods {
    /// A mined transaction (with block fields), else a pooled one (block fields null), else null.
    func getTransactionByHash(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        if let (block, index) = try await minedTransaction(hash) {
            return ChainJSON.transaction(in: block, at: index)
        }
        if let pooled = try await backend.poolTransaction(hash: hash) {
            return ChainJSON.transaction(pooled.transaction, sender: pooled.sender, inclusion: nil)
        }
        return .null
    }

    func getTransactionByBlockHashAndIndex(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        let index = try params.uint64(at: 1)
        guard let block = try await backend.block(hash: hash), index < block.transactions.count else { return .null }
        return ChainJSON.transaction(in: block, at: Int(index))
    }

    func getTransactionByBlockNumberAndIndex(_ params: RPCParams) async throws -> JSONValue {
        let tag = try params.blockTag(at: 0)
        let index = try params.uint64(at: 1)
        guard let block = try await block(.tag(tag)), index < block.transactions.count else { return .null }
        return ChainJSON.transaction(in: block, at: Int(index))
    }

    /// The receipt of a mined transaction; null for pooled and unknown ones.
    func getTransactionReceipt(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        guard let (block, index) = try await minedTransaction(hash) else { return .null }
        return ChainJSON.receipt(in: block, at: index)
    }

    /// `[raw]` -> the transaction hash, once the pool accepted it.
    func sendRawTransaction(_ params: RPCParams) async throws -> JSONValue {
        let raw = try params.data(at: 0)
        return ChainJSON.hash(try await backend.sendRawTransaction(raw).hash)
    }

    /// EIP-7966: `[raw, timeout in ms?]` -> the receipt once the transaction is in a block.
    ///
    /// The timeout may be a quantity or a JSON integer; absent, zero or above
    /// ``ChainMethodsConfiguration/maxSyncTimeout`` it is ``ChainMethodsConfiguration/defaultSyncTimeout``
    /// (EIP-7966: an invalid timeout falls back to the default). A rejected transaction fails
    /// at once as with eth_sendRawTransaction; a queued one (nonce gap, uncovered cost) fails
    /// at once with code 5; one not included in time fails with code 4. Both carry the
    /// transaction hash in `data`, and the transaction stays in the pool.
    func sendRawTransactionSync(_ params: RPCParams) async throws -> JSONValue {
        let raw = try params.data(at: 0)
        var timeout = configuration.defaultSyncTimeout
        if let ms = try params.optional(1)?.flexibleUInt64(), ms > 0, ms <= UInt64(Int64.max) {
            let asked = Duration.milliseconds(Int64(ms))
            if asked <= configuration.maxSyncTimeout { timeout = asked }
        }
        let submission = try await backend.sendRawTransaction(raw)
        guard submission.isPending else { throw JSONRPCError.transactionQueued(hash: submission.hash) }
        if try await backend.waitForInclusion(of: submission.hash, timeout: timeout),
           let (block, index) = try await minedTransaction(submission.hash) {
            return ChainJSON.receipt(in: block, at: index)
        }
        throw JSONRPCError.inclusionTimeout(hash: submission.hash, timeout: timeout)
    }

    /// The canonical block holding transaction `hash` and its index there.
    func minedTransaction(_ hash: Hash32) async throws -> (RPCBlock, Int)? {
        guard let location = try await backend.transactionLocation(hash: hash),
              let block = try await backend.block(hash: location.blockHash),
              block.transactions.indices.contains(location.index),
              block.transactions[location.index].hash == hash
        else { return nil }
        return (block, location.index)
    }
}
