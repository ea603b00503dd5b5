import JSON
import Primitives

/// The JSON shapes of chain objects, as geth writes them and the execution-apis schemas
/// require: quantities in minimal hex, data and hashes as lowercase `0x` hex, addresses as
/// lowercase hex (geth's choice; clients checksum them themselves), `null` for absent values.
enum ChainJSON {
    static func quantity(_ value: UInt64) -> JSONValue { .string(Hex.encodeQuantity(value)) }
    static func quantity(_ value: Int) -> JSONValue { quantity(UInt64(value)) }
    static func quantity(_ value: U256) -> JSONValue { .string(value.quantity) }
    static func data(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes)) }
    static func hash(_ hash: Hash32) -> JSONValue { .string(hash.hex) }
    static func address(_ address: Address) -> JSONValue { .string(address.hex) }
    static func address(_ address: Address?) -> JSONValue { address.map { .string($0.hex) } ?? .null }

    static func accessList(_ list: [AccessListEntry]) -> JSONValue {
        .array(list.map { entry in
            ["address": address(entry.address), "storageKeys": .array(entry.storageKeys.map(hash))]
        })
    }
}

// MARK: - Blocks

extension ChainJSON {
    /// A block with transaction hashes (`fullTransactions == false`) or transaction objects.
    ///
    /// Besides the schema's fields it carries `difficulty` and `totalDifficulty` (both 0x0 on
    /// this chain) for older clients, and the post-London header fields only when the header
    /// has them.
    static func block(_ block: RPCBlock, fullTransactions: Bool) -> JSONValue {
        let h = block.header
        var o = JSONObject()
        o.members.reserveCapacity(24)
        if let baseFee = h.baseFeePerGas { o.append("baseFeePerGas", quantity(baseFee)) }
        o.append("difficulty", quantity(h.difficulty))
        o.append("extraData", data(h.extraData))
        o.append("gasLimit", quantity(h.gasLimit))
        o.append("gasUsed", quantity(h.gasUsed))
        o.append("hash", hash(block.hash))
        o.append("logsBloom", data(h.logsBloom.bytes))
        o.append("miner", address(h.beneficiary))
        o.append("mixHash", hash(h.mixHash))
        o.append("nonce", data((0..<8).map { UInt8(truncatingIfNeeded: h.nonce >> (56 - 8 * UInt64($0))) }))
        o.append("number", quantity(h.number))
        o.append("parentHash", hash(h.parentHash))
        o.append("receiptsRoot", hash(h.receiptsRoot))
        o.append("sha3Uncles", hash(h.ommersHash))
        o.append("size", quantity(encodedSize(of: block)))
        o.append("stateRoot", hash(h.stateRoot))
        o.append("timestamp", quantity(h.timestamp))
        o.append("totalDifficulty", "0x0")
        if fullTransactions {
            o.append("transactions", .array(block.transactions.indices.map { transaction(in: block, at: $0) }))
        } else {
            o.append("transactions", .array(block.transactions.map { hash($0.hash) }))
        }
        o.append("transactionsRoot", hash(h.transactionsRoot))
        o.append("uncles", [])
        if let root = h.withdrawalsRoot {
            o.append("withdrawals", [])
            o.append("withdrawalsRoot", hash(root))
        }
        if let v = h.blobGasUsed { o.append("blobGasUsed", quantity(v)) }
        if let v = h.excessBlobGas { o.append("excessBlobGas", quantity(v)) }
        if let v = h.parentBeaconBlockRoot { o.append("parentBeaconBlockRoot", hash(v)) }
        if let v = h.requestsHash { o.append("requestsHash", hash(v)) }
        return .object(o)
    }

    /// The length of rlp([header, transactions, uncles]) (plus an empty withdrawals list when
    /// the header has a withdrawals root): geth's block `size`. Legacy transactions are list
    /// items, typed ones byte strings holding their envelope.
    static func encodedSize(of block: RPCBlock) -> Int {
        var w = RLPWriter(capacity: 600 + block.transactions.reduce(0) { $0 + $1.encoded.count + 3 })
        w.writeList { w in
            block.header.write(to: &w)
            w.writeList { w in
                for tx in block.transactions {
                    if tx.type == .legacy { w.write(encoded: tx.encoded) } else { w.write(bytes: tx.encoded) }
                }
            }
            w.writeList { _ in }
            if block.header.withdrawalsRoot != nil { w.writeList { _ in } }
        }
        return w.bytes.count
    }
}

// MARK: - Transactions

extension ChainJSON {
    /// Where a transaction sits, for the block fields of its JSON form.
    struct Inclusion {
        var blockHash: Hash32
        var blockNumber: UInt64
        var blockTimestamp: UInt64
        var index: Int
        var baseFee: U256
    }

    /// Transaction `index` of `block`.
    static func transaction(in block: RPCBlock, at index: Int) -> JSONValue {
        let inclusion = Inclusion(blockHash: block.hash, blockNumber: block.number, blockTimestamp: block.header.timestamp,
                                  index: index, baseFee: block.header.baseFeePerGas ?? .zero)
        return transaction(block.transactions[index], sender: block.senders[index], inclusion: inclusion)
    }

    /// One EIP-7702 authorization as geth returns it.
    static func authorization(_ a: Authorization) -> JSONValue {
        var o = JSONObject()
        o.append("chainId", quantity(a.chainID))
        o.append("address", address(a.address))
        o.append("nonce", quantity(a.nonce))
        o.append("yParity", quantity(UInt64(a.yParity)))
        o.append("r", quantity(a.r))
        o.append("s", quantity(a.s))
        return .object(o)
    }

    /// A transaction, mined (`inclusion` given) or pooled (block fields `null`).
    ///
    /// Per type: legacy has `gasPrice`, `v` (27/28, or EIP-155's chainId*2+35+parity) and
    /// `chainId` when replay-protected; 0x01 adds `chainId`, `accessList`, `yParity` and `v`
    /// (= yParity); 0x02 adds `maxFeePerGas`, `maxPriorityFeePerGas` and reports as `gasPrice`
    /// the effective price when mined, `maxFeePerGas` when pooled; 0x04 (EIP-7702) is 0x02's
    /// shape plus `authorizationList` ({chainId, address, nonce, yParity, r, s} each, geth's). An L1 message (0x7e) has
    /// no signature: it carries `queueIndex`, `sender` (also as `from`), `gasPrice` 0x0 (it
    /// pays no fee) and `nonce` 0x0 (it has none; clients such as ethers require the field).
    static func transaction(_ tx: SignedTransaction, sender: Address, inclusion: Inclusion?) -> JSONValue {
        let t = tx.transaction
        var o = JSONObject()
        o.members.reserveCapacity(22)
        o.append("blockHash", inclusion.map { hash($0.blockHash) } ?? .null)
        o.append("blockNumber", inclusion.map { quantity($0.blockNumber) } ?? .null)
        o.append("blockTimestamp", inclusion.map { quantity($0.blockTimestamp) } ?? .null)
        o.append("from", address(sender))
        o.append("gas", quantity(t.gasLimit))
        switch t {
        case .legacy(let legacy):
            o.append("gasPrice", quantity(legacy.gasPrice))
        case .accessList(let access):
            o.append("gasPrice", quantity(access.gasPrice))
        case .dynamicFee, .setCode:
            let price = inclusion.map { t.effectiveGasPrice(baseFee: $0.baseFee) } ?? t.maxFeePerGas
            o.append("gasPrice", quantity(price))
            o.append("maxFeePerGas", quantity(t.maxFeePerGas))
            o.append("maxPriorityFeePerGas", quantity(t.maxPriorityFeePerGas))
        case .l1Message:
            o.append("gasPrice", "0x0")
        }
        o.append("hash", hash(tx.hash))
        o.append("input", data(t.data))
        o.append("nonce", quantity(t.nonce ?? 0))
        o.append("to", address(t.to))
        o.append("transactionIndex", inclusion.map { quantity($0.index) } ?? .null)
        o.append("value", quantity(t.value))
        o.append("type", quantity(UInt64(t.type.rawValue)))
        switch t {
        case .legacy(let legacy):
            if let chainID = legacy.chainID { o.append("chainId", quantity(chainID)) }
        case .accessList, .dynamicFee:
            o.append("accessList", accessList(t.accessList))
            o.append("chainId", quantity(t.chainID ?? 0))
        case .setCode(let setCode):
            o.append("accessList", accessList(t.accessList))
            o.append("authorizationList", .array(setCode.authorizationList.map(authorization)))
            o.append("chainId", quantity(t.chainID ?? 0))
        case .l1Message(let message):
            o.append("queueIndex", quantity(message.queueIndex))
            o.append("sender", address(message.sender))
        }
        if let signature = tx.signature {
            switch t {
            case .legacy(let legacy):
                let v: U256 = legacy.chainID.map { U256($0) * 2 + U256(35 + UInt64(signature.v)) } ?? U256(27 + UInt64(signature.v))
                o.append("v", quantity(v))
            default:
                o.append("v", quantity(UInt64(signature.v)))
                o.append("yParity", quantity(UInt64(signature.v)))
            }
            o.append("r", quantity(signature.r))
            o.append("s", quantity(signature.s))
        }
        return .object(o)
    }
}

// MARK: - Receipts and logs

extension ChainJSON {
    /// The receipt of transaction `index` of `block`, with the fields derived from the block:
    /// gas used by this transaction alone, the effective gas price (0 for L1 messages) and
    /// block-wide log indexes; `l1Fee` on a chain that charges Scroll's L1 data fee (0 for L1
    /// messages), as Scroll's RPC returns it. `contractAddress` is the created contract's address for a
    /// creation (from the sender and nonce, whether or not it succeeded, as geth reports it),
    /// null otherwise.
    static func receipt(in block: RPCBlock, at index: Int) -> JSONValue {
        let tx = block.transactions[index]
        let receipt = block.receipts[index]
        let baseFee = block.header.baseFeePerGas ?? .zero
        var o = JSONObject()
        o.members.reserveCapacity(14)
        o.append("blockHash", hash(block.hash))
        o.append("blockNumber", quantity(block.number))
        if tx.transaction.to == nil, case let t = tx.transaction, t.type != .l1Message {
            o.append("contractAddress", address(Address.created(by: block.senders[index], nonce: t.nonce ?? 0)))
        } else {
            o.append("contractAddress", .null)
        }
        o.append("cumulativeGasUsed", quantity(receipt.cumulativeGasUsed))
        o.append("effectiveGasPrice", quantity(tx.transaction.effectiveGasPrice(baseFee: baseFee)))
        o.append("from", address(block.senders[index]))
        o.append("gasUsed", quantity(block.gasUsed(at: index)))
        if index < block.l1Fees.count { o.append("l1Fee", quantity(block.l1Fees[index])) }
        o.append("logs", .array(logs(in: block, at: index)))
        o.append("logsBloom", data(receipt.bloom.bytes))
        o.append("status", quantity(UInt64(receipt.status.rawValue)))
        o.append("to", address(tx.transaction.to))
        o.append("transactionHash", hash(tx.hash))
        o.append("transactionIndex", quantity(index))
        o.append("type", quantity(UInt64(receipt.type)))
        return .object(o)
    }

    /// Every receipt of `block`.
    static func receipts(of block: RPCBlock) -> JSONValue {
        .array(block.transactions.indices.map { receipt(in: block, at: $0) })
    }

    /// The logs of transaction `index` of `block`, with their block-wide indexes.
    static func logs(in block: RPCBlock, at index: Int) -> [JSONValue] {
        var logIndex = block.firstLogIndex(of: index)
        return block.receipts[index].logs.map { entry in
            defer { logIndex += 1 }
            return log(entry, in: block, transactionIndex: index, logIndex: logIndex)
        }
    }

    /// One log as eth_getLogs and receipts return it; `removed` is true only in subscription
    /// and filter results for blocks that a rollback took off the chain.
    static func log(_ log: Log, in block: RPCBlock, transactionIndex: Int, logIndex: Int, removed: Bool = false) -> JSONValue {
        var o = JSONObject()
        o.members.reserveCapacity(10)
        o.append("address", address(log.address))
        o.append("blockHash", hash(block.hash))
        o.append("blockNumber", quantity(block.number))
        o.append("blockTimestamp", quantity(block.header.timestamp))
        o.append("data", data(log.data))
        o.append("logIndex", quantity(logIndex))
        o.append("removed", .bool(removed))
        o.append("topics", .array(log.topics.map(hash)))
        o.append("transactionHash", hash(block.transactions[transactionIndex].hash))
        o.append("transactionIndex", quantity(transactionIndex))
        return .object(o)
    }
}
