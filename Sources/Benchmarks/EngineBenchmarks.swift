import Engine
import Foundation
import Primitives
import Storage

/// Seal latency: building (execution + state root + transaction and receipt roots) and the
/// synced commit of blocks of transfers, over states of different sizes, on RocksDB in a
/// temporary directory.
enum EngineBenchmarks {
    static let ether = U256(1_000_000_000_000_000_000)

    /// A chain whose genesis holds `accounts` accounts: `senders` with known keys, the rest at
    /// pseudo-random addresses.
    static func makeChain(accounts: Int, senders: [PrivateKey]) throws -> (Chain, RocksDatabase, String) {
        var spec = try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        spec.genesis.alloc = [:]
        spec.genesis.gasLimit = 250_000_000  // room for 10,000 transfers (210M gas) in one block
        for k in senders { spec.genesis.alloc[k.address] = .init(balance: ether * U256(1000)) }
        var i: UInt64 = 0
        while spec.genesis.alloc.count < accounts {
            let a = Address(lastBytesOf: Keccak.hash256(withUnsafeBytes(of: i.bigEndian) { Array($0) }))
            spec.genesis.alloc[a] = .init(balance: U256(i + 1))
            i += 1
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rn-bench-\(UUID().uuidString)").path
        let db = try RocksDatabase.open(path: path, columnFamilies: ChainDatabase.columnFamilies)
        return (try Chain(database: ChainDatabase(db), spec: spec), db, path)
    }

    static func transfers(_ senders: [PrivateKey], perSender: Int, chainID: UInt64, nonceBase: UInt64) -> [(SignedTransaction, Address)] {
        var out: [(SignedTransaction, Address)] = []
        for n in 0..<perSender {
            for (j, k) in senders.enumerated() {
                let to = Address(lastBytesOf: Keccak.hash256([UInt8(truncatingIfNeeded: j), UInt8(truncatingIfNeeded: j >> 8),
                                                               UInt8(truncatingIfNeeded: n), UInt8(truncatingIfNeeded: nonceBase)]))
                let tx = try! Transaction.dynamicFee(DynamicFeeTransaction(
                    chainID: chainID, nonce: nonceBase + UInt64(n), maxPriorityFeePerGas: U256(1_000_000_000),
                    maxFeePerGas: U256(100_000_000_000), gasLimit: 21_000, to: to, value: U256(1000), data: [], accessList: [])).signed(with: k)
                out.append((tx, k.address))
            }
        }
        return out
    }

    static func seal(_ chain: Chain, _ txs: [(SignedTransaction, Address)], timestamp: UInt64) throws -> (build: Double, commit: Double, count: Int) {
        var source = TransactionList(txs)
        let clock = ContinuousClock()
        let t0 = clock.now
        let built = try chain.build(attributes: PayloadAttributes(timestamp: timestamp, feeRecipient: chain.spec.feeRecipient,
                                                                  maxL1Messages: 0), l1Messages: [], transactions: &source)
        let t1 = clock.now
        try chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
        let t2 = clock.now
        return (ms(t0.duration(to: t1)), ms(t1.duration(to: t2)), built.block.transactions.count)
    }

    static func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    static func run() throws {
        let senders = (0..<1_000).map { i in try! PrivateKey(bytes: Keccak.hash256(Array("sender-\(i)".utf8)).bytes) }
        // 1,000 and 10,000 transfers over a state of 10,000 accounts.
        do {
            let (chain, db, path) = try makeChain(accounts: 10_000, senders: senders)
            defer { db.close(); try? FileManager.default.removeItem(atPath: path) }
            _ = try seal(chain, transfers(senders, perSender: 1, chainID: 1337, nonceBase: 0), timestamp: 1)  // warm-up
            let r1 = try seal(chain, transfers(senders, perSender: 1, chainID: 1337, nonceBase: 1), timestamp: 2)
            report("seal 1,000 transfers, 10,000-account state: build + roots", r1.build, unit: "ms")
            report("seal 1,000 transfers, 10,000-account state: synced commit", r1.commit, unit: "ms")
            let r10 = try seal(chain, transfers(senders, perSender: 10, chainID: 1337, nonceBase: 2), timestamp: 3)
            precondition(r10.count == 10_000)
            report("seal 10,000 transfers, 10,000-account state: build + roots", r10.build, unit: "ms")
            report("seal 10,000 transfers, 10,000-account state: synced commit", r10.commit, unit: "ms")
        }
        // The same 1,000-transfer block over 1,000,000 accounts.
        do {
            let clock = ContinuousClock()
            let t = clock.now
            let (chain, db, path) = try makeChain(accounts: 1_000_000, senders: senders)
            defer { db.close(); try? FileManager.default.removeItem(atPath: path) }
            report("genesis of 1,000,000 accounts (trie + synced batch)", ms(t.duration(to: clock.now)) / 1000, unit: "s")
            _ = try seal(chain, transfers(senders, perSender: 1, chainID: 1337, nonceBase: 0), timestamp: 1)  // warm-up
            let r1 = try seal(chain, transfers(senders, perSender: 1, chainID: 1337, nonceBase: 1), timestamp: 2)
            report("seal 1,000 transfers, 1,000,000-account state: build + roots", r1.build, unit: "ms")
            report("seal 1,000 transfers, 1,000,000-account state: synced commit", r1.commit, unit: "ms")
        }
    }
}
