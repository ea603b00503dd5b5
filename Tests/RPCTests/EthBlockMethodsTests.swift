import Primitives
import Testing
@testable import RPC

@Suite struct EthBlockMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }

    @Test func answersTheConstantMethods() async throws {
        #expect(try await rpc.result("eth_chainId") == "0x82750")
        #expect(try await rpc.result("eth_blockNumber") == "0x3")
        #expect(try await rpc.result("eth_syncing") == false)
        #expect(try await rpc.result("eth_accounts") == [])
        #expect(try await rpc.result("net_version") == "534352")
        #expect(await rpc.error("eth_chainId", [1]) == .invalidParams("too many arguments, want at most 0"))
    }

    /// The raw encodings hash to what the chain says: the header to the block hash, each
    /// transaction to its hash, the receipts to the header's receipts root; the raw block is the
    /// header, the body's transactions and no uncles.
    @Test func debugRawMethodsAnswerTheChainsOwnEncodings() async throws {
        let block = chain.blocks[1]
        guard case .string(let header) = try await rpc.result("debug_getRawHeader", ["0x1"]) else { Issue.record("no header"); return }
        #expect(Keccak.hash256(try Hex.decode(header)) == block.hash)
        #expect(try await rpc.result("debug_getRawHeader", [.string(block.hash.hex)]) == .string(header))
        guard case .array(let receipts) = try await rpc.result("debug_getRawReceipts", ["0x1"]) else { Issue.record("no receipts"); return }
        #expect(receipts == block.receipts.map { .string(Hex.encode($0.encoded)) })
        for tx in block.transactions {
            guard case .string(let raw) = try await rpc.result("debug_getRawTransaction", [.string(tx.hash.hex)]) else {
                Issue.record("no raw transaction"); return
            }
            #expect(Keccak.hash256(try Hex.decode(raw)) == tx.hash)
        }
        guard case .string(let rawBlock) = try await rpc.result("debug_getRawBlock", ["0x1"]) else { Issue.record("no block"); return }
        var reader = RLPReader(try Hex.decode(rawBlock))
        let items = try reader.readItem()
        guard case .list(let parts) = items, parts.count == 3, case .list(let txs) = parts[1], case .list(let uncles) = parts[2] else {
            Issue.record("not [header, transactions, uncles]: \(items)"); return
        }
        #expect(txs.count == block.transactions.count && uncles.isEmpty)
        #expect(try await rpc.result("debug_getRawHeader", ["0x63"]) == .null)
        #expect(try await rpc.result("debug_getRawTransaction", [.string(Hash32.zero.hex)]) == .null)
    }

    @Test func servesBlocksByNumberWithHashesOrTransactions() async throws {
        let block = chain.blocks[1]
        let hashes = try await rpc.result("eth_getBlockByNumber", ["0x1", false])
        #expect(hashes["hash"] == .hex(block.hash))
        #expect(hashes["number"] == "0x1")
        #expect(hashes["parentHash"] == .hex(chain.blocks[0].hash))
        #expect(hashes["transactions"] == .array(block.transactions.map { .hex($0.hash) }))
        #expect(hashes["baseFeePerGas"] == "0x989680")
        #expect(hashes["gasLimit"] == "0x1c9c380")
        #expect(hashes["gasUsed"] == .hex(block.header.gasUsed))
        #expect(hashes["miner"] == "0x5300000000000000000000000000000000000005")
        #expect(hashes["sha3Uncles"] == "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        #expect(hashes["nonce"] == "0x0000000000000000")
        #expect(hashes["difficulty"] == "0x0")
        #expect(hashes["totalDifficulty"] == "0x0")
        #expect(hashes["uncles"] == [])
        #expect(hashes["extraData"] == .hex(Array("rollup-node".utf8)))
        #expect(hashes["logsBloom"] == .hex(block.header.logsBloom.bytes))
        #expect(hashes["withdrawals"] == nil)

        let full = try await rpc.result("eth_getBlockByNumber", ["0x1", true])
        let transactions = try #require(full["transactions"]?.arrayValue)
        #expect(transactions.map { $0["hash"] } == block.transactions.map { .hex($0.hash) })
        #expect(transactions.map { $0["type"] } == ["0x7e", "0x0", "0x1", "0x2"])
        #expect(transactions.allSatisfy { $0["blockHash"] == .hex(block.hash) && $0["blockNumber"] == "0x1" })
        #expect(transactions.map { $0["transactionIndex"] } == ["0x0", "0x1", "0x2", "0x3"])
        #expect(full["size"] == hashes["size"])
    }

    @Test func reportsTheRLPSizeOfTheBlock() async throws {
        for block in chain.blocks {
            // rlp([header, [legacy txs as lists, typed ones as strings], []]), assembled by hand.
            var body: [UInt8] = []
            for tx in block.transactions {
                body += tx.type == .legacy ? tx.encoded : RLP.encode(.bytes(tx.encoded))
            }
            let payload = block.header.encoded + Self.listHeader(body.count) + body + [0xc0]
            let size = Self.listHeader(payload.count).count + payload.count
            #expect(try await rpc.result("eth_getBlockByHash", [.hex(block.hash), false])["size"] == .hex(UInt64(size)))
        }
    }

    static func listHeader(_ length: Int) -> [UInt8] {
        if length < 56 { return [0xc0 + UInt8(length)] }
        let bytes = U256(UInt64(length)).minimalBytes
        return [0xf7 + UInt8(bytes.count)] + bytes
    }

    @Test func resolvesBlockTags() async throws {
        let head = try await rpc.result("eth_getBlockByNumber", ["latest", false])
        #expect(head["number"] == "0x3")
        for tag in ["pending", "safe", "finalized"] {
            #expect(try await rpc.result("eth_getBlockByNumber", [.string(tag), false]) == head, "\(tag) is the head")
        }
        #expect(try await rpc.result("eth_getBlockByNumber", ["earliest", false])["hash"] == .hex(chain.blocks[0].hash))
        chain.mine()
        #expect(try await rpc.result("eth_getBlockByNumber", ["latest", false])["number"] == "0x4")
    }

    @Test func answersNullForUnknownBlocks() async throws {
        #expect(try await rpc.result("eth_getBlockByNumber", ["0x4", false]) == .null)
        #expect(try await rpc.result("eth_getBlockByNumber", ["0x7fffffffffffffff", true]) == .null)
        #expect(try await rpc.result("eth_getBlockByHash", [.hex(Hash32(repeating: 1)), false]) == .null)
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["0x9"]) == .null)
        #expect(try await rpc.result("eth_getBlockTransactionCountByHash", [.hex(Hash32(repeating: 1))]) == .null)
        #expect(try await rpc.result("eth_getBlockReceipts", ["0x9"]) == .null)
        #expect(try await rpc.result("eth_getBlockReceipts", [.hex(Hash32(repeating: 1))]) == .null)
    }

    @Test func rejectsMalformedBlockParameters() async {
        #expect(await rpc.error("eth_getBlockByNumber", ["0x01", false]) == .invalidParams("invalid argument 0: hex string has leading zero digits"))
        #expect(await rpc.error("eth_getBlockByNumber", [1, false]) == .invalidParams("invalid argument 0: expected a block number or tag, got number"))
        #expect(await rpc.error("eth_getBlockByNumber", ["newest", false]) == .invalidParams("invalid argument 0: hex string without 0x prefix"))
        #expect(await rpc.error("eth_getBlockByNumber", ["0x1"]) == .invalidParams("missing value for required argument 1"))
        #expect(await rpc.error("eth_getBlockByNumber", ["0x1", "true"]) == .invalidParams("invalid argument 1: expected a boolean, got string"))
        #expect(await rpc.error("eth_getBlockByNumber", ["0x1", true, 1]) == .invalidParams("too many arguments, want at most 2"))
        #expect(await rpc.error("eth_getBlockByNumber", ["0x8000000000000000", true]) == .invalidParams("invalid argument 0: block number larger than int64"))
        #expect(await rpc.error("eth_getBlockByHash", ["0x1234", false]) == .invalidParams("invalid argument 0: hex string has 2 bytes, want 32"))
        #expect(await rpc.error("eth_getBlockByHash", [.null, false]) == .invalidParams("missing value for required argument 0"))
        #expect(await rpc.error("eth_getBlockReceipts", [true]) == .invalidParams("invalid argument 0: expected a block number, tag or hash, got boolean"))
    }

    @Test func countsTransactions() async throws {
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["0x1"]) == "0x4")
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["latest"]) == "0x0")
        #expect(try await rpc.result("eth_getBlockTransactionCountByHash", [.hex(chain.blocks[2].hash)]) == "0x3")
    }

    @Test func servesEveryReceiptOfABlock() async throws {
        let block = chain.blocks[1]
        let byNumber = try await rpc.result("eth_getBlockReceipts", ["0x1"])
        #expect(try await rpc.result("eth_getBlockReceipts", [.hex(block.hash)]) == byNumber)
        #expect(try await rpc.result("eth_getBlockReceipts", [["blockHash": .hex(block.hash)]]) == byNumber)
        let receipts = try #require(byNumber.arrayValue)
        #expect(receipts.count == 4)
        for (i, tx) in block.transactions.enumerated() {
            #expect(receipts[i] == (try await rpc.result("eth_getTransactionReceipt", [.hex(tx.hash)])))
        }
        // Log indexes run across the whole block: tx 1 has log 0, tx 3 has logs 1 and 2.
        #expect(receipts.flatMap { $0["logs"]?.arrayValue ?? [] }.map { $0["logIndex"] } == ["0x0", "0x1", "0x2"])
        #expect(try await rpc.result("eth_getBlockReceipts", ["latest"]) == [])
    }
}
