import JSON
import Primitives
import Testing
@testable import RPC

@Suite struct EthTransactionMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }
    var block1: RPCBlock { chain.blocks[1] }
    var block2: RPCBlock { chain.blocks[2] }

    func transaction(_ hash: Hash32) async throws -> JSONValue {
        try await rpc.result("eth_getTransactionByHash", [.hex(hash)])
    }

    @Test func formatsAProtectedLegacyTransaction() async throws {
        let tx = block1.transactions[1]
        let json = try await transaction(tx.hash)
        #expect(json["type"] == "0x0")
        #expect(json["from"] == .hex(InMemoryChain.alice.address))
        #expect(json["to"] == .hex(InMemoryChain.carol))
        #expect(json["gasPrice"] == .hex(InMemoryChain.gwei * 2))
        #expect(json["gas"] == "0x5208")
        #expect(json["nonce"] == "0x0")
        #expect(json["value"] == "0x3e8")
        #expect(json["input"] == "0x")
        #expect(json["chainId"] == "0x82750")
        #expect(json["v"] == .hex(UInt64(534_352 * 2 + 35) + UInt64(tx.signature!.v)))  // EIP-155
        #expect(json["r"] == .hex(tx.signature!.r))
        #expect(json["s"] == .hex(tx.signature!.s))
        #expect(json["yParity"] == nil && json["accessList"] == nil && json["maxFeePerGas"] == nil)
        #expect(json["blockHash"] == .hex(block1.hash) && json["blockNumber"] == "0x1" && json["transactionIndex"] == "0x1")
        #expect(json["blockTimestamp"] == .hex(block1.header.timestamp))
    }

    @Test func formatsAnUnprotectedLegacyTransaction() async throws {
        let tx = block2.transactions[2]
        let json = try await transaction(tx.hash)
        #expect(json["v"] == .hex(27 + UInt64(tx.signature!.v)))
        #expect(json["chainId"] == nil)
    }

    @Test func formatsAnAccessListTransaction() async throws {
        let tx = block1.transactions[2]
        let json = try await transaction(tx.hash)
        #expect(json["type"] == "0x1")
        #expect(json["gasPrice"] == .hex(InMemoryChain.gwei))
        #expect(json["chainId"] == "0x82750")
        #expect(json["accessList"] == [["address": .hex(InMemoryChain.contract), "storageKeys": [.hex(Hash32.zero)]]])
        #expect(json["yParity"] == .hex(UInt64(tx.signature!.v)))
        #expect(json["v"] == json["yParity"])
    }

    @Test func formatsADynamicFeeTransactionMinedAndPooled() async throws {
        let mined = try await transaction(block1.transactions[3].hash)
        #expect(mined["type"] == "0x2")
        #expect(mined["maxFeePerGas"] == .hex(InMemoryChain.gwei * 3))
        #expect(mined["maxPriorityFeePerGas"] == .hex(InMemoryChain.gwei / 2))
        #expect(mined["gasPrice"] == .hex(U256(10_000_000) + InMemoryChain.gwei / 2), "base fee + tip when mined")
        #expect(mined["accessList"] == [])

        let pooled = chain.pool.pending[0]
        let json = try await transaction(pooled.transaction.hash)
        #expect(json["gasPrice"] == .hex(InMemoryChain.gwei * 5), "the fee cap while pooled")
        #expect(json["blockHash"] == .null && json["blockNumber"] == .null && json["blockTimestamp"] == .null)
        #expect(json["transactionIndex"] == .null)
        #expect(json["from"] == .hex(pooled.sender))
        #expect(json["nonce"] == "0x3")
        let queued = try await transaction(chain.pool.queued[0].transaction.hash)
        #expect(queued["to"] == .null && queued["input"] == "0x60")
    }

    @Test func formatsAnL1Message() async throws {
        let tx = block1.transactions[0]
        let json = try await transaction(tx.hash)
        #expect(json == [
            "blockHash": .hex(block1.hash), "blockNumber": "0x1", "blockTimestamp": .hex(block1.header.timestamp),
            "from": .hex(InMemoryChain.l1Sender), "gas": "0x186a0", "gasPrice": "0x0", "hash": .hex(tx.hash), "input": "0x",
            "nonce": "0x0", "to": .hex(InMemoryChain.bob.address), "transactionIndex": "0x0", "value": "0xde0b6b3a7640000",
            "type": "0x7e", "queueIndex": "0x0", "sender": .hex(InMemoryChain.l1Sender),
        ])
    }

    @Test func findsTransactionsByBlockAndIndex() async throws {
        for (i, tx) in block2.transactions.enumerated() {
            let byHash = try await transaction(tx.hash)
            #expect(try await rpc.result("eth_getTransactionByBlockHashAndIndex", [.hex(block2.hash), .hex(UInt64(i))]) == byHash)
            #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["0x2", .hex(UInt64(i))]) == byHash)
        }
        #expect(try await rpc.result("eth_getTransactionByBlockHashAndIndex", [.hex(block2.hash), "0x3"]) == .null)
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["latest", "0x0"]) == .null)
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["0x9", "0x0"]) == .null)
        #expect(try await rpc.result("eth_getTransactionByBlockHashAndIndex", [.hex(Hash32(repeating: 3)), "0x0"]) == .null)
        #expect(await rpc.error("eth_getTransactionByBlockNumberAndIndex", ["0x2", 0]) == .invalidParams("invalid argument 1: expected a hex string, got number"))
        #expect(await rpc.error("eth_getTransactionByBlockNumberAndIndex", ["0x2", "0x00"]) == .invalidParams("invalid argument 1: hex string has leading zero digits"))
        #expect(try await transaction(Hash32(repeating: 3)) == .null)
    }

    @Test func derivesReceiptFieldsFromTheBlock() async throws {
        let receipts = try await (0..<4).asyncMap { try await rpc.result("eth_getTransactionReceipt", [.hex(block1.transactions[$0].hash)]) }
        #expect(receipts.map { $0["type"] } == ["0x7e", "0x0", "0x1", "0x2"])
        #expect(receipts.map { $0["gasUsed"] } == ["0x5208", "0x5208", "0x62d4", "0x5208"])  // 21000, 21000, 25300, 21000
        #expect(receipts.map { $0["cumulativeGasUsed"] } == ["0x5208", "0xa410", "0x106e4", "0x158ec"])
        #expect(receipts.map { $0["effectiveGasPrice"] } == ["0x0", .hex(InMemoryChain.gwei * 2), .hex(InMemoryChain.gwei),
                                                            .hex(U256(10_000_000) + InMemoryChain.gwei / 2)])
        #expect(receipts.map { $0["from"] } == block1.senders.map { .hex($0) })
        #expect(receipts.map { $0["transactionIndex"] } == ["0x0", "0x1", "0x2", "0x3"])
        #expect(receipts.allSatisfy { $0["status"] == "0x1" && $0["contractAddress"] == .null && $0["blockHash"] == .hex(block1.hash) })
        let logs = try #require(receipts[3]["logs"]?.arrayValue)
        #expect(logs.map { $0["logIndex"] } == ["0x1", "0x2"])
        #expect(logs.allSatisfy { $0["transactionHash"] == .hex(block1.transactions[3].hash) && $0["removed"] == false })
        #expect(receipts[3]["logsBloom"] == .hex(block1.receipts[3].bloom.bytes))
        #expect(try await rpc.result("eth_getTransactionReceipt", [.hex(chain.pool.pending[0].transaction.hash)]) == .null)
    }

    @Test func submitsRawTransactions() async throws {
        let tx = InMemoryChain.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: InMemoryChain.chainID, nonce: 4, maxPriorityFeePerGas: 1, maxFeePerGas: InMemoryChain.gwei, gasLimit: 21_000,
            to: InMemoryChain.carol, value: 1)), InMemoryChain.alice)
        #expect(try await rpc.result("eth_sendRawTransaction", [.hex(tx.encoded)]) == .hex(tx.hash))
        #expect(try await transaction(tx.hash)["blockHash"] == .null)
        #expect(await rpc.error("eth_sendRawTransaction", [.hex(tx.encoded)]) == .rejected(.alreadyKnown))
        #expect(try await rpc.result("eth_getTransactionCount", [.hex(InMemoryChain.alice.address), "pending"]) == "0x5")
    }

    @Test func rejectsBadRawTransactionsInGethsWords() async throws {
        let stale = InMemoryChain.sign(.legacy(LegacyTransaction(chainID: InMemoryChain.chainID, nonce: 0, gasPrice: InMemoryChain.gwei,
                                                                gasLimit: 21_000, to: InMemoryChain.carol, value: 1)), InMemoryChain.alice)
        #expect(await rpc.error("eth_sendRawTransaction", [.hex(stale.encoded)])?.message.hasPrefix("nonce too low") == true)
        let otherChain = InMemoryChain.sign(.legacy(LegacyTransaction(chainID: 1, nonce: 4, gasPrice: InMemoryChain.gwei,
                                                                     gasLimit: 21_000, to: InMemoryChain.carol, value: 1)), InMemoryChain.alice)
        #expect(await rpc.error("eth_sendRawTransaction", [.hex(otherChain.encoded)]) == .server("invalid chain id for signer: have 1 want 534352"))
        #expect(await rpc.error("eth_sendRawTransaction", ["0x"]) == .server("typed transaction too short"))
        #expect(await rpc.error("eth_sendRawTransaction", ["0x03c0"])
                == .server("transaction type not supported: blob transactions (type 0x03) are not accepted on this rollup"))
        let l1 = SignedTransaction(l1Message: L1MessageTransaction(queueIndex: 9, gasLimit: 21_000, to: InMemoryChain.carol,
                                                                   value: 1, sender: InMemoryChain.l1Sender))
        #expect(await rpc.error("eth_sendRawTransaction", [.hex(l1.encoded)]) == .server("transaction type not supported"))
        #expect(await rpc.error("eth_sendRawTransaction", ["0xf8"])?.code == JSONRPCError.serverErrorCode)
        #expect(await rpc.error("eth_sendRawTransaction", ["f86b"]) == .invalidParams("invalid argument 0: hex string without 0x prefix"))
        #expect(await rpc.error("eth_sendRawTransaction", ["0xf86"]) == .invalidParams("invalid argument 0: hex string of odd length"))
        #expect(await rpc.error("eth_sendRawTransaction", []) == .invalidParams("missing value for required argument 0"))
    }

    func freshTransfer(nonce: UInt64, value: U256 = 1) -> SignedTransaction {
        InMemoryChain.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: InMemoryChain.chainID, nonce: nonce, maxPriorityFeePerGas: 1, maxFeePerGas: InMemoryChain.gwei, gasLimit: 21_000,
            to: InMemoryChain.carol, value: value)), InMemoryChain.alice)
    }

    @Test(arguments: [JSONValue.int(5000), "0x1388", .null])
    func waitsForInclusionAndReturnsTheReceipt(timeout: JSONValue) async throws {
        let tx = freshTransfer(nonce: 4)
        let rpc = self.rpc
        async let sync = rpc.call("eth_sendRawTransactionSync", timeout.isNull ? [.hex(tx.encoded)] : [.hex(tx.encoded), timeout])
        while try await chain.poolTransaction(hash: tx.hash) == nil { try await Task.sleep(for: .milliseconds(2)) }
        chain.mine()
        let receipt = try await sync.get()
        #expect(receipt == (try await rpc.result("eth_getTransactionReceipt", [.hex(tx.hash)])))
        #expect(receipt["blockNumber"] == "0x4")
    }

    @Test func syncAnswersCode4WithTheHashWhenNotIncludedInTime() async throws {
        let configuration = ChainMethodsConfiguration(defaultSyncTimeout: .milliseconds(30), maxSyncTimeout: .milliseconds(500))
        let rpc = ChainFixture.dispatcher(chain, configuration: configuration)
        chain.inclusionWaitsExpire.store(true, ordering: .relaxed)
        let tx = freshTransfer(nonce: 4)
        let error = await rpc.error("eth_sendRawTransactionSync", [.hex(tx.encoded), 50])
        #expect(error == JSONRPCError(code: 4, message: "The transaction was added to the mempool but wasn't processed in 50ms.",
                                      data: .hex(tx.hash)))
        // Zero and too long timeouts fall back to the default (EIP-7966).
        for (i, timeout) in ([0, "0x0", 600, "0x258"] as [JSONValue]).enumerated() {
            let next = freshTransfer(nonce: 5 + UInt64(i))
            let e = await rpc.error("eth_sendRawTransactionSync", [.hex(next.encoded), timeout])
            #expect(e?.code == 4 && e?.message.hasSuffix("processed in 30ms.") == true, "\(timeout)")
        }
        #expect(chain.inclusionWaits.withLock { $0 } == [.milliseconds(50)] + Array(repeating: .milliseconds(30), count: 4))
        #expect(chain.pool.pending.contains { $0.transaction.hash == tx.hash }, "the transaction stays pooled")
        #expect(await rpc.error("eth_sendRawTransactionSync", [.hex(tx.encoded), -1]) == .invalidParams(
            "invalid argument 1: expected a non-negative integer below 2^64, got -1"))
        #expect(await rpc.error("eth_sendRawTransactionSync", [.hex(tx.encoded), .number(JSONNumber(literal: "1.5")!)]) == .invalidParams(
            "invalid argument 1: expected a non-negative integer below 2^64, got 1.5"))
        #expect(await rpc.error("eth_sendRawTransactionSync", [.hex(tx.encoded), "0x01"]) == .invalidParams(
            "invalid argument 1: hex string has leading zero digits"))
    }

    @Test func syncAnswersCode5ForAQueuedTransaction() async throws {
        let gapped = freshTransfer(nonce: 9)
        let error = await rpc.error("eth_sendRawTransactionSync", [.hex(gapped.encoded)])
        #expect(error?.code == 5)
        #expect(error?.data == .hex(gapped.hash))
        #expect(chain.pool.queued.contains { $0.transaction.hash == gapped.hash })
    }

    @Test func syncFailsAtOnceForARejectedTransaction() async throws {
        let stale = freshTransfer(nonce: 0)
        #expect(await rpc.error("eth_sendRawTransactionSync", [.hex(stale.encoded)])?.message.hasPrefix("nonce too low") == true)
        #expect(chain.inclusionWaits.withLock { $0 }.isEmpty, "answered without waiting for an inclusion")
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}

@Suite struct Web3SendFlowTests {
    /// web3.py's send flow as raw JSON bodies: connectivity probe, chain id, pending nonce, tip,
    /// latest block (base fee, gas limit), estimate with `"type": 2` as a JSON integer, send,
    /// then the receipt once mined.
    @Test func servesWeb3pysSendFlow() async throws {
        let chain = InMemoryChain()
        let rpc = ChainFixture.dispatcher(chain)
        let alice = InMemoryChain.alice.address.checksummed, carol = InMemoryChain.carol.checksummed
        func body(_ method: String, _ params: String) -> String {
            #"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params),"id":7}"#
        }
        func result(_ method: String, _ params: String = "[]") async throws -> JSONValue {
            let text = await rpc.respond(body(method, params))
            let response = try JSONValue(parsing: Array(text.utf8))
            #expect(response["error"] == nil, "\(method): \(text)")
            return response["result"] ?? .null
        }
        #expect(try await result("web3_clientVersion").stringValue?.hasPrefix("rollup-node/") == true)
        #expect(try await result("eth_chainId") == "0x82750")
        let nonce = try await result("eth_getTransactionCount", #"["\#(alice)","pending"]"#)
        let tip = try await result("eth_maxPriorityFeePerGas")
        let latest = try await result("eth_getBlockByNumber", #"["latest",false]"#)
        let baseFee = try U256(quantity: latest["baseFeePerGas"]!.stringValue!)
        #expect(latest["gasLimit"] == "0x1c9c380")
        let gas = try await result("eth_estimateGas",
            #"[{"type":2,"chainId":534352,"from":"\#(alice)","to":"\#(carol)","value":"0x2386f26fc10000","nonce":"\#(nonce.stringValue!)","maxPriorityFeePerGas":"\#(tip.stringValue!)","maxFeePerGas":"0x77359400","data":"0x"},"latest"]"#)
        #expect(gas == "0x5208")

        let maxFee = try U256(quantity: tip.stringValue!) + baseFee * 2  // web3.py's default fee
        let tx = InMemoryChain.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: InMemoryChain.chainID, nonce: try Hex.decodeQuantity(nonce.stringValue!),
            maxPriorityFeePerGas: try U256(quantity: tip.stringValue!), maxFeePerGas: maxFee, gasLimit: 21_000,
            to: InMemoryChain.carol, value: 10_000_000_000_000_000)), InMemoryChain.alice)
        let hash = try await result("eth_sendRawTransaction", #"["\#(Hex.encode(tx.encoded))"]"#)
        #expect(hash == .hex(tx.hash))
        #expect(try await result("eth_getTransactionReceipt", #"["\#(tx.hash.hex)"]"#) == .null)
        chain.mine()
        let receipt = try await result("eth_getTransactionReceipt", #"["\#(tx.hash.hex)"]"#)
        #expect(receipt["status"] == "0x1" && receipt["gasUsed"] == "0x5208")
        #expect(receipt["effectiveGasPrice"] == .hex(baseFee + (try U256(quantity: tip.stringValue!))))
    }
}
