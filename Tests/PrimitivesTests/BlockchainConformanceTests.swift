import Foundation
import Testing
import TestSupport
@testable import Primitives

/// ethereum/tests BlockchainTests/ValidBlocks and BasicTests/genesishashestest: header decoding,
/// exact re-encoding and hashing, and the transactions, ommers, withdrawals and (where it can be
/// known without executing the block) receipts roots of real blocks.
struct BlockchainConformanceTests {
    static let folder = "ethereum-tests/BlockchainTests/ValidBlocks"

    /// A block's parts as they appear in its RLP: [header, transactions, ommers, withdrawals?].
    struct DecodedBlock {
        var header: Header
        var headerEncoding: [UInt8]
        /// EIP-2718 type (0 for legacy) and encoding of each transaction.
        var transactions: [(type: UInt8, encoding: [UInt8])]
        var ommersEncoding: [UInt8]
        var withdrawals: [[UInt8]]?
    }

    static func decodeBlock(_ bytes: [UInt8]) throws -> DecodedBlock {
        var outer = RLPReader(bytes)
        var block = try outer.readList()
        try outer.finish()
        var headerReader = block
        let headerEncoding = Array(try headerReader.readEncoded())
        let header = try Header(from: &block)
        var txList = try block.readList()
        var transactions: [(type: UInt8, encoding: [UInt8])] = []
        while !txList.isAtEnd {
            if try txList.nextIsList() {
                // Legacy: the list's encoding as it is.
                transactions.append((0, Array(try txList.readEncoded())))
            } else {
                // Typed: a string whose payload is type || rlp(...).
                let payload = Array(try txList.readBytes())
                guard let type = payload.first, type < 0x80 else { throw FixtureError.malformed("typed transaction") }
                transactions.append((type, payload))
            }
        }
        let ommersEncoding = Array(try block.readEncoded())
        var withdrawals: [[UInt8]]?
        if !block.isAtEnd {
            var list = try block.readList()
            var items: [[UInt8]] = []
            while !list.isAtEnd { items.append(Array(try list.readEncoded())) }
            withdrawals = items
        }
        try block.finish()
        return DecodedBlock(header: header, headerEncoding: headerEncoding, transactions: transactions,
                            ommersEncoding: ommersEncoding, withdrawals: withdrawals)
    }

    // MARK: Receipts roots

    /// How a block's receipts are known, or why they are not.
    enum ReceiptsSource: String, CaseIterable {
        case noTransactions = "no transactions: the empty root"
        case singleTransactionWithoutLogs =
            "one transaction and an empty bloom (so no logs): the receipt is fixed but for its status bit, cumulative gas = the header's gasUsed; exactly one of succeeded/failed must give the root"
        case log1Contract =
            "one call to the LOG1 contract 0x095e7b…2d87, its log read off the contract's code by hand (PUSH32 0xff…ff, MSTORE at 0, LOG1(0, 32, topic 0)); status succeeded"
        case needsExecution = "excluded: needs execution: receipts (per-transaction status, cumulative gas and logs) are not in the block RLP"
    }

    /// The contract behind bcValidBlockTest's log tests (ExtraData32, log1_correct, timeDiff*).
    static let log1Address = try! Address(hex: "0x095e7baea6a6c7c4c2dfeb977efac326af552d87")
    static let log1Code = "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600052600060206000a100"
    static var log1Log: Log {
        Log(address: log1Address, topics: [.zero], data: [UInt8](repeating: 0xff, count: 32))
    }

    static func receiptsSource(_ block: DecodedBlock, json: [String: Any], pre: [String: Any]) -> ReceiptsSource {
        if block.transactions.isEmpty { return .noTransactions }
        guard block.transactions.count == 1 else { return .needsExecution }
        if block.header.logsBloom.isEmpty { return .singleTransactionWithoutLogs }
        let tx = (json["transactions"] as? [[String: Any]])?.first
        let code = (pre[log1Address.hex] as? [String: Any])?["code"] as? String
        if (tx?["to"] as? String) == log1Address.hex, (tx?["data"] as? String) == "0x", code == log1Code {
            return .log1Contract
        }
        return .needsExecution
    }

    // MARK: Tests

    @Test func validBlocksHashAndRootsMatch() throws {
        var headers = 0, genesisHeaders = 0, transactionRoots = 0, ommersHashes = 0, withdrawalRoots = 0
        var receipts: [ReceiptsSource: Int] = [:]
        var statuses: [Receipt.Status: Int] = [:]

        for url in Fixtures.jsonFiles(under: FixtureLocation.url(Self.folder)) {
            let cases = try #require(Fixtures.json(at: url) as? [String: [String: Any]])
            for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
                let pre = body["pre"] as? [String: Any] ?? [:]

                // Genesis: decoded from genesisRLP, built from the JSON fields, hashed.
                let genesisJSON = try #require(body["genesisBlockHeader"] as? [String: Any])
                let genesis = try Self.decodeBlock(try Fixtures.bytes(try #require(body["genesisRLP"] as? String)))
                #expect(genesis.header == (try HeaderJSON.header(from: genesisJSON, ethereumTestsNames: true)), "\(name) genesis fields")
                #expect(genesis.header.encoded == genesis.headerEncoding, "\(name) genesis re-encodes")
                #expect(genesis.header.hash.hex == genesisJSON["hash"] as? String, "\(name) genesis hash")
                genesisHeaders += 1

                let blocks = try #require(body["blocks"] as? [[String: Any]])
                for (i, json) in blocks.enumerated() {
                    let label = "\(name) block \(i)"
                    let headerJSON = try #require(json["blockHeader"] as? [String: Any], "\(label): valid blocks have a header")
                    let block = try Self.decodeBlock(try Fixtures.bytes(try #require(json["rlp"] as? String)))
                    let header = block.header

                    #expect(header == (try HeaderJSON.header(from: headerJSON, ethereumTestsNames: true)), "\(label) fields")
                    #expect(header.encoded == block.headerEncoding, "\(label) re-encodes exactly")
                    #expect(try Header(encoded: block.headerEncoding) == header, "\(label) decodes alone")
                    #expect(header.hash.hex == headerJSON["hash"] as? String, "\(label) hash")
                    #expect(header.signatureDigest != header.hash)
                    headers += 1

                    let transactionsJSON = try #require(json["transactions"] as? [[String: Any]])
                    #expect(block.transactions.count == transactionsJSON.count, "\(label) transaction count")
                    #expect(orderedTrieRoot(block.transactions.map(\.encoding)) == header.transactionsRoot, "\(label) transactionsRoot")
                    transactionRoots += 1

                    #expect(Keccak.hash256(block.ommersEncoding) == header.ommersHash, "\(label) ommersHash")
                    ommersHashes += 1

                    if let withdrawals = block.withdrawals {
                        #expect(orderedTrieRoot(withdrawals) == header.withdrawalsRoot, "\(label) withdrawalsRoot")
                        withdrawalRoots += 1
                    }

                    let source = Self.receiptsSource(block, json: json, pre: pre)
                    receipts[source, default: 0] += 1
                    switch source {
                    case .noTransactions:
                        #expect(header.receiptsRoot == .emptyTrieRoot, "\(label) receiptsRoot")
                    case .singleTransactionWithoutLogs:
                        let type = block.transactions[0].type
                        let matching = [Receipt.Status.succeeded, .failed].filter { status in
                            let receipt = Receipt(type: type, status: status, cumulativeGasUsed: header.gasUsed, logs: [])
                            return orderedTrieRoot([receipt.encoded]) == header.receiptsRoot
                        }
                        #expect(matching.count == 1, "\(label) receiptsRoot")
                        if let status = matching.first { statuses[status, default: 0] += 1 }
                    case .log1Contract:
                        let receipt = Receipt(type: block.transactions[0].type, status: .succeeded,
                                              cumulativeGasUsed: header.gasUsed, logs: [Self.log1Log])
                        #expect(receipt.bloom == header.logsBloom, "\(label) logsBloom")
                        #expect(orderedTrieRoot([receipt.encoded]) == header.receiptsRoot, "\(label) receiptsRoot")
                        #expect(try Receipt(encoded: receipt.encoded) == receipt)
                    case .needsExecution:
                        break
                    }
                }
            }
        }

        #expect(genesisHeaders == 29 && headers == 148)
        #expect(transactionRoots == 148 && ommersHashes == 148 && withdrawalRoots == 148)
        #expect(receipts[.noTransactions] == 3 && receipts[.singleTransactionWithoutLogs] == 73)
        #expect(receipts[.log1Contract] == 8 && receipts[.needsExecution] == 64)

        Fixtures.report(suite: "BlockchainTests/ValidBlocks headers (decode, re-encode, hash)", executed: headers + genesisHeaders)
        Fixtures.report(suite: "BlockchainTests/ValidBlocks transactionsRoot", executed: transactionRoots)
        Fixtures.report(suite: "BlockchainTests/ValidBlocks ommersHash", executed: ommersHashes)
        Fixtures.report(suite: "BlockchainTests/ValidBlocks withdrawalsRoot", executed: withdrawalRoots)
        let excluded = receipts[.needsExecution, default: 0]
        Fixtures.report(suite: "BlockchainTests/ValidBlocks receiptsRoot", executed: receipts.values.reduce(0, +) - excluded, excluded: excluded)
        for source in ReceiptsSource.allCases {
            print("conformance: BlockchainTests/ValidBlocks receiptsRoot: \(receipts[source, default: 0]) \(source.rawValue)")
        }
        print("conformance: BlockchainTests/ValidBlocks receiptsRoot: single-transaction statuses found: \(statuses[.succeeded, default: 0]) succeeded, \(statuses[.failed, default: 0]) failed")
    }

    @Test func genesisHeadersHash() throws {
        let url = FixtureLocation.url("ethereum-tests/BasicTests/genesishashestest.json")
        let json = try #require(Fixtures.json(at: url) as? [String: String])
        let block = try Self.decodeBlock(try Fixtures.bytes(try #require(json["genesis_rlp_hex"])))
        #expect(block.header.baseFeePerGas == nil, "a pre-London header")
        #expect(block.header.encoded == block.headerEncoding)
        #expect(block.header.hash.hex == "0x" + (try #require(json["genesis_hash"])))
        #expect(block.header.stateRoot.hex == "0x" + (try #require(json["genesis_state_root"])))
        Fixtures.report(suite: "BasicTests/genesishashestest", executed: 1)
    }
}
