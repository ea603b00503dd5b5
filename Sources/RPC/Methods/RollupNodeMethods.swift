import JSON
import Primitives

/// The handlers of the `rollupNode_` and `rollupNodeAdmin_` methods.
///
/// Integer parameters (queue indexes, L1 block numbers) may be JSON integers, as Scroll's node
/// takes them, or hex quantities; results use quantities like the `eth_` methods.
struct RollupNodeMethods: Sendable {
    let rollup: any RPCRollupBackend
    let chain: ChainMethods

    /// `{"mode", "automaticSequencing", "l2": {"head": {"number", "hash"}}, "l1": {"latest",
    /// "finalized", "processed", "syncing"}, "l1Messages": {"nextQueueIndex", "pending"},
    /// "follower"}`; L1 numbers are null before the watcher's first poll. `mode` is `sequencer`,
    /// `follower` or `node`; `follower` is null except on a follower: `{"following" (URL),
    /// "sourceHead", "behind" (blocks; null before the source's first answer), "importedBlocks",
    /// "refusedBlocks", "doubleSignEvidence", "rollbacks", "lastError"}`.
    func status(_: RPCParams) async throws -> JSONValue {
        let s = try await rollup.rollupStatus()
        let head: JSONValue = ["number": ChainJSON.quantity(s.headNumber), "hash": ChainJSON.hash(s.headHash)]
        var follower: JSONValue = .null
        if let f = s.follower {
            follower = [
                "following": .string(f.following),
                "sourceHead": f.sourceHead.map(ChainJSON.quantity) ?? .null,
                "behind": f.sourceHead.map { ChainJSON.quantity($0 > s.headNumber ? $0 - s.headNumber : 0) } ?? .null,
                "importedBlocks": .int(f.importedBlocks), "refusedBlocks": .int(f.refusedBlocks),
                "doubleSignEvidence": .int(f.doubleSignEvidence), "rollbacks": .int(f.rollbacks),
                "lastError": f.lastError.map(JSONValue.string) ?? .null,
            ]
        }
        return [
            "mode": .string(s.mode),
            "automaticSequencing": .bool(s.automaticSequencing),
            "l2": ["head": head],
            "l1": ["latest": s.l1Latest.map(ChainJSON.quantity) ?? .null,
                   "finalized": s.l1Finalized.map(ChainJSON.quantity) ?? .null,
                   "processed": s.l1Processed.map(ChainJSON.quantity) ?? .null,
                   "syncing": .bool(s.isSyncing)],
            "l1Messages": ["nextQueueIndex": ChainJSON.quantity(s.nextL1QueueIndex),
                           "pending": ChainJSON.quantity(s.pendingL1Messages)],
            "follower": follower,
        ]
    }

    /// `[block hash, number or tag]` -> `{"blockHash", "blockNumber", "signature", "signer",
    /// "digest"}` or null for an unknown block. `digest` is keccak256(rlp(header without
    /// extraData)), what the sequencer signed; `signer` the address the 65-byte signature
    /// recovers to over it. Both `signature` and `signer` are null for a block that carries no
    /// signature (genesis); `signer` is null when the signature recovers no key.
    func getBlockSignature(_ params: RPCParams) async throws -> JSONValue {
        guard let block = try await chain.block(try params.required(0).blockSelector()) else { return .null }
        guard let signature = try await chain.backend.blockSignature(hash: block.hash) else { return .null }
        let digest = block.header.signatureDigest
        var signer: JSONValue = .null
        if let parsed = try? Signature(compact: signature), let address = try? Secp256k1.recoverAddress(digest: digest, signature: parsed) {
            signer = ChainJSON.address(address)
        }
        return [
            "blockHash": ChainJSON.hash(block.hash),
            "blockNumber": ChainJSON.quantity(block.number),
            "signature": signature.isEmpty ? .null : ChainJSON.data(signature),
            "signer": signer,
            "digest": ChainJSON.hash(digest),
        ]
    }

    /// `[queueIndex]` -> `{"transaction": {"type": "0x7e", "hash", "queueIndex", "gas", "to",
    /// "value", "sender", "input"}, "l1BlockNumber", "l2BlockNumber", "queueHash"}` or null;
    /// `l2BlockNumber` is null until a block includes the message.
    func getL1MessageByIndex(_ params: RPCParams) async throws -> JSONValue {
        let index = try params.required(0).flexibleUInt64()
        guard let entry = try await rollup.l1Message(queueIndex: index) else { return .null }
        let m = entry.message
        let transaction: JSONValue = [
            "type": "0x7e",
            "hash": ChainJSON.hash(SignedTransaction(l1Message: m).hash),
            "queueIndex": ChainJSON.quantity(m.queueIndex),
            "gas": ChainJSON.quantity(m.gasLimit),
            "to": ChainJSON.address(m.to),
            "value": ChainJSON.quantity(m.value),
            "sender": ChainJSON.address(m.sender),
            "input": ChainJSON.data(m.data),
        ]
        return [
            "transaction": transaction,
            "l1BlockNumber": ChainJSON.quantity(entry.l1BlockNumber),
            "l2BlockNumber": entry.l2BlockNumber.map(ChainJSON.quantity) ?? .null,
            "queueHash": entry.queueHash.map(ChainJSON.hash) ?? .null,
        ]
    }

    func enableAutomaticSequencing(_: RPCParams) async throws -> JSONValue {
        .bool(try await rollup.setAutomaticSequencing(true))
    }

    func disableAutomaticSequencing(_: RPCParams) async throws -> JSONValue {
        .bool(try await rollup.setAutomaticSequencing(false))
    }

    /// `[l1BlockNumber]` -> what the node returns (true: done).
    func revertToL1Block(_ params: RPCParams) async throws -> JSONValue {
        .bool(try await rollup.revertToL1Block(try params.required(0).flexibleUInt64()))
    }
}
