import Engine
import Foundation
import JSON
import Primitives
import RPC
import Storage
import TestSupport

/// eth_getLogs over a long chain through the log index (and, for comparison, through the
/// per-block blooms), and the delay of eth_subscribe newHeads notifications over WebSocket.
enum LogsAndSubscriptionBenchmarks {
    static let target = try! Address(hex: "0x00000000000000000000000000000000000a11ce")
    static let transferTopic = Keccak.hash256(Array("Transfer(address,address,uint256)".utf8))

    /// The RPC layer's view of a `Chain` (what RollupNode's backend does for eth_getLogs),
    /// optionally without the index (so that eth_getLogs tests blooms).
    struct Backend: RPCChainBackend {
        let chain: Chain
        let useIndex: Bool
        var chainID: UInt64 { chain.spec.chainID }
        func headNumber() async throws -> UInt64 { chain.headBlock.number }
        func block(number: UInt64) async throws -> RPCBlock? { try chain.block(number: number).map(Self.rpc) }
        func block(hash: Hash32) async throws -> RPCBlock? { try chain.block(hash: hash).map(Self.rpc) }
        func header(number: UInt64) async throws -> Header? {
            guard let hash = try chain.canonicalHash(number: number) else { return nil }
            return try chain.header(hash: hash)
        }
        func logBlocks(addresses: [Address], topics: [[Hash32]?], from: UInt64, to: UInt64) async throws -> [UInt64]? {
            useIndex ? try chain.logBlocks(addresses: addresses, topics: topics, from: from, to: to) : nil
        }
        func transactionLocation(hash: Hash32) async throws -> RPCTransactionLocation? { nil }
        func nextBaseFee() async throws -> U256 { chain.nextBaseFee }
        func execute(_ call: RPCCall) async throws -> RPCCallOutcome { throw JSONRPCError.internalError }
        func l1Fee(_ call: RPCCall) async throws -> U256 { .zero }
        func callGasLimit() async throws -> UInt64 { chain.headBlock.header.gasLimit }
        func blockSignature(hash: Hash32) async throws -> [UInt8]? { nil }
        func account(_ address: Address, at block: RPCStateBlock?) async throws -> RPCAccount? { nil }
        func code(_ address: Address, at block: RPCStateBlock?) async throws -> [UInt8] { [] }
        func storage(_ address: Address, slot: Hash32, at block: RPCStateBlock?) async throws -> Hash32 { .zero }
        func createAccessList(_ call: RPCCall) async throws -> (accessList: [AccessListEntry], outcome: RPCCallOutcome) {
            ([], .success(output: [], gasUsed: 21_000))
        }
        func proof(_ address: Address, slots: [Hash32], at block: RPCStateBlock?) async throws -> RPCAccountProof {
            RPCAccountProof(account: nil, storageRoot: .emptyTrieRoot, accountProof: [], storage: [])
        }
        func pendingNonce(_ address: Address) async throws -> UInt64 { 0 }
        func poolTransaction(hash: Hash32) async throws -> RPCPoolTransaction? { nil }
        func poolContent() async throws -> RPCPoolContent { RPCPoolContent() }
        func sendRawTransaction(_ bytes: [UInt8]) async throws -> RPCSubmission { throw JSONRPCError.internalError }
        func waitForInclusion(of hash: Hash32, timeout: Duration) async throws -> Bool { false }
        static func rpc(_ b: SealedBlock) -> RPCBlock {
            RPCBlock(header: b.header, hash: b.hash, transactions: b.transactions, senders: b.senders, receipts: b.receipts)
        }
    }

    static func run(blocks: Int = Int(ProcessInfo.processInfo.environment["RN_BENCH_LOG_BLOCKS"] ?? "") ?? 100_000) async throws {
        print("\n== eth_getLogs over \(blocks) blocks (one transfer and one log each; the target address logs in 1 of 1,000) ==")
        let key = try PrivateKey(bytes: Keccak.hash256(Array("log-bench".utf8)).bytes)
        var spec = try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        spec.genesis.alloc = [key.address: .init(balance: U256(1_000_000_000_000_000_000) * U256(1_000_000))]
        // tmpfs: the figure is the query, not 100,000 fsyncs of the setup.
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : FileManager.default.temporaryDirectory.path
        let path = base + "/rn-logbench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try RocksDatabase.open(path: path, columnFamilies: ChainDatabase.columnFamilies)
        defer { db.close() }
        let chain = try Chain(database: ChainDatabase(db), spec: spec)

        let setup = ContinuousClock.now
        for n in 0..<blocks {
            let tx = try Transaction.dynamicFee(DynamicFeeTransaction(
                chainID: spec.chainID, nonce: UInt64(n), maxPriorityFeePerGas: U256(1_000_000_000), maxFeePerGas: U256(100_000_000_000),
                gasLimit: 21_000, to: Address(lastBytesOf: Keccak.hash256([UInt8(n & 0xFF)])), value: U256(1), data: [], accessList: [])).signed(with: key)
            var source = TransactionList([(tx, key.address)])
            var built = try chain.build(attributes: PayloadAttributes(timestamp: UInt64(1_000 + n), feeRecipient: spec.feeRecipient, maxL1Messages: 0),
                                        l1Messages: [], transactions: &source)
            let emitter = n % 1000 == 500 ? target : Address(lastBytesOf: Keccak.hash256(Array("emitter \(n % 997)".utf8)))
            let log = Log(address: emitter, topics: [transferTopic, Hash32(Array(repeating: 0, count: 12) + key.address.bytes)],
                          data: U256(UInt64(n)).bigEndianBytes)
            let r = built.block.receipts[0]
            var header = built.block.header
            header.logsBloom = Bloom(logs: [log])
            built.block = SealedBlock(header: header, transactions: built.block.transactions, senders: built.block.senders,
                                      receipts: [Receipt(type: r.type, status: r.status, cumulativeGasUsed: r.cumulativeGasUsed, logs: [log])])
            try chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
        }
        print("  setup: \(blocks) blocks built and committed in \(format(EngineBenchmarks.ms(setup.duration(to: .now)) / 1000)) s")

        let filter: JSONValue = ["fromBlock": "0x1", "toBlock": "latest", "address": .string(target.hex)]
        for useIndex in [true, false] {
            var table = RPCMethodTable()
            table.registerEthMethods(backend: Backend(chain: chain, useIndex: useIndex),
                                     configuration: ChainMethodsConfiguration(maxLogBlockRange: UInt64(blocks) + 1))
            let rpc = RPCDispatcher(methods: table, configuration: .init(requestTimeout: .seconds(600)))
            var times: [Double] = []
            var count = 0
            for _ in 0..<(useIndex ? 7 : 2) {
                let t0 = ContinuousClock.now
                let result = await rpc.call("eth_getLogs", [filter])
                times.append(EngineBenchmarks.ms(t0.duration(to: .now)))
                count = (try? result.get().arrayValue?.count) ?? -1
            }
            times.sort()
            report("eth_getLogs one address, \(blocks) blocks, \(count) logs, \(useIndex ? "log index" : "blooms only (no index)") (median)",
                   times[times.count / 2], unit: "ms")
            if useIndex { report("  same, fastest of 7", times.first!, unit: "ms") }
        }
    }

    /// newHeads delivery: from publishing a head on the hub (what the chain's commit does) to
    /// the WebSocket client reading the notification, over loopback.
    static func runSubscriptionDelay(heads: Int = 1000, spacing: Duration = .milliseconds(20)) async throws {
        print("\n== eth_subscribe newHeads delivery delay over WebSocket, \(heads) heads \(spacing) apart ==")
        let hub = RPCEventHub()
        var methods = RPCMethodTable()
        methods.registerSubscriptionMethods()
        let server = WebSocketServer(configuration: .init(host: "127.0.0.1", port: 0), methods: methods, hub: hub)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.boundPort()
            let ws = try await RawHTTPConnection.connect(port: port)
            _ = try await ws.upgradeToWebSocket()
            try await ws.sendText(#"{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}"#)
            _ = try await ws.readText()
            var parent = Hash32.zero
            var delays: [Double] = []
            for n in 0..<heads {
                let header = Header(parentHash: parent, beneficiary: .zero, stateRoot: .emptyTrieRoot, transactionsRoot: .emptyTrieRoot,
                                    receiptsRoot: .emptyTrieRoot, logsBloom: Bloom(), number: UInt64(n + 1), gasLimit: 30_000_000,
                                    gasUsed: 0, timestamp: UInt64(n), extraData: [], baseFeePerGas: U256(1))
                let block = RPCBlock(header: header, transactions: [], senders: [], receipts: [])
                parent = block.hash
                let t0 = ContinuousClock.now
                hub.publish(.newHead(block))
                _ = try await ws.readText()
                delays.append(EngineBenchmarks.ms(t0.duration(to: .now)))
                try await Task.sleep(for: spacing)
            }
            delays.sort()
            report("newHeads delay p50", delays[delays.count / 2], unit: "ms", decimals: 3)
            report("newHeads delay p99", delays[delays.count * 99 / 100], unit: "ms", decimals: 3)
            report("newHeads delay max", delays.last!, unit: "ms", decimals: 3)
            group.cancelAll()
        }
    }
}
