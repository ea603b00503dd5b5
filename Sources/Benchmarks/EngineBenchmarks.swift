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
        return try open(spec)
    }

    /// A chain of `spec` in a fresh temporary datadir (the caller closes and removes it).
    static func open(_ spec: ChainSpec) throws -> (Chain, RocksDatabase, String) {
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

/// Seal latency of ERC-20-style transfers over a token whose storage holds many balances: the
/// storage trie's paths are as deep as the holder count makes them, so this measures that the
/// incremental root costs what a block touches, not the size of the contract's storage.
enum TokenSealBenchmarks {
    /// A hand-assembled token runtime: every call is `transfer(to, amount)` (selector ignored;
    /// `to` at calldata 4, `amount` at 36). Balances live at keccak256(holder ‖ 0) as in
    /// Solidity's and Vyper's `mapping(address => uint256)` at slot 0; it reverts when the
    /// caller's balance is short and logs Transfer(caller, to, amount).
    static let runtime: [UInt8] = {
        var c: [UInt8] = []
        c += [0x33, 0x60, 0x00, 0x52]                    // CALLER PUSH1 0 MSTORE          mem[0] = caller
        c += [0x60, 0x00, 0x60, 0x20, 0x52]              // PUSH1 0 PUSH1 32 MSTORE        mem[32] = 0
        c += [0x60, 0x40, 0x60, 0x00, 0x20]              // SHA3(0, 64)                    [fromSlot]
        c += [0x60, 0x24, 0x35]                          // CALLDATALOAD(36)               [fromSlot, amount]
        c += [0x81, 0x54]                                // DUP2 SLOAD                     [fromSlot, amount, fromBal]
        c += [0x81, 0x81, 0x10]                          // DUP2 DUP2 LT                   fromBal < amount
        let jumpAt = c.count
        c += [0x60, 0x00, 0x57]                          // PUSH1 revert JUMPI (patched below)
        c += [0x81, 0x90, 0x03, 0x82, 0x55]              // DUP2 SWAP1 SUB DUP3 SSTORE     balance[from] -= amount
        c += [0x60, 0x04, 0x35, 0x60, 0x00, 0x52]        // mem[0] = to
        c += [0x60, 0x40, 0x60, 0x00, 0x20]              // SHA3(0, 64)                    [fromSlot, amount, toSlot]
        c += [0x80, 0x54, 0x82, 0x01, 0x90, 0x55]        // DUP1 SLOAD DUP3 ADD SWAP1 SSTORE balance[to] += amount
        c += [0x60, 0x00, 0x52]                          // mem[0] = amount                [fromSlot]
        c += [0x60, 0x04, 0x35, 0x33, 0x7f] + transferTopic.bytes  // to, caller, topic
        c += [0x60, 0x20, 0x60, 0x00, 0xa3, 0x00]        // LOG3(0, 32, topic, caller, to) STOP
        c[jumpAt + 1] = UInt8(c.count)
        c += [0x5b, 0x60, 0x00, 0x80, 0xfd]              // JUMPDEST PUSH1 0 DUP1 REVERT
        return c
    }()

    static let transferTopic = Keccak.hash256(Array("Transfer(address,address,uint256)".utf8))
    static let token = Address(lastBytesOf: Keccak.hash256(Array("bench-token".utf8)))

    static func balanceSlot(_ holder: Address) -> U256 {
        U256(bigEndian: Keccak.hash256([UInt8](repeating: 0, count: 12) + holder.bytes + [UInt8](repeating: 0, count: 32)).bytes)!
    }

    /// A chain whose genesis holds the token with `holders` balances: the `senders` and
    /// pseudo-random holders.
    static func makeChain(holders: Int, senders: [PrivateKey]) throws -> (Chain, RocksDatabase, String) {
        var spec = try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        spec.genesis.alloc = [:]
        spec.genesis.gasLimit = 250_000_000
        var storage: [U256: U256] = [:]
        for k in senders {
            spec.genesis.alloc[k.address] = .init(balance: EngineBenchmarks.ether * U256(1000))
            storage[balanceSlot(k.address)] = U256(1_000_000)
        }
        var i: UInt64 = 0
        while storage.count < holders {
            storage[balanceSlot(Address(lastBytesOf: Keccak.hash256(withUnsafeBytes(of: i.bigEndian) { Array($0) })))] = U256(i + 1)
            i += 1
        }
        spec.genesis.alloc[token] = .init(balance: .zero, code: runtime, storage: storage)
        return try EngineBenchmarks.open(spec)
    }

    /// One transfer per sender to a fresh recipient (a new balance slot each).
    static func transfers(_ senders: [PrivateKey], round: UInt64) -> [(SignedTransaction, Address)] {
        senders.enumerated().map { j, k in
            let to = Address(lastBytesOf: Keccak.hash256(Array("recipient-\(round)-\(j)".utf8)))
            let data: [UInt8] = [0xa9, 0x05, 0x9c, 0xbb] + [UInt8](repeating: 0, count: 12) + to.bytes + U256(UInt64(j + 1)).bigEndianBytes
            let tx = try! Transaction.dynamicFee(DynamicFeeTransaction(
                chainID: 1337, nonce: round, maxPriorityFeePerGas: U256(1_000_000_000), maxFeePerGas: U256(100_000_000_000),
                gasLimit: 100_000, to: token, value: .zero, data: data, accessList: [])).signed(with: k)
            return (tx, k.address)
        }
    }

    static func run() throws {
        let senders = (0..<1_000).map { i in try! PrivateKey(bytes: Keccak.hash256(Array("sender-\(i)".utf8)).bytes) }
        var totals: [Int: Double] = [:]
        for holders in [10_000, 1_000_000] {
            let clock = ContinuousClock()
            let t = clock.now
            let (chain, db, path) = try makeChain(holders: holders, senders: senders)
            defer { db.close(); try? FileManager.default.removeItem(atPath: path) }
            report("genesis of a token with \(holders) holders (tries + synced batch)", EngineBenchmarks.ms(t.duration(to: clock.now)) / 1000, unit: "s")
            _ = try EngineBenchmarks.seal(chain, transfers(senders, round: 0), timestamp: 1)  // warm-up
            var best = Double.infinity
            for round in 1...3 as ClosedRange<UInt64> {
                let r = try EngineBenchmarks.seal(chain, transfers(senders, round: round), timestamp: round + 1)
                let receipts = chain.headBlock.receipts
                precondition(r.count == 1_000 && receipts.allSatisfy { $0.status == .succeeded } && receipts.allSatisfy { $0.logs.count == 1 },
                             "every token transfer must succeed with one Transfer log")
                report("seal 1,000 token transfers, \(holders) holders, round \(round): build + roots", r.build, unit: "ms")
                report("seal 1,000 token transfers, \(holders) holders, round \(round): synced commit", r.commit, unit: "ms")
                best = min(best, r.build + r.commit)
            }
            totals[holders] = best
            report("seal 1,000 token transfers, \(holders) holders: best seal total", best, unit: "ms")
        }
        report("seal total ratio, 1,000,000 vs 10,000 holders (goal at most 2)", totals[1_000_000]! / totals[10_000]!, unit: "x")
    }
}
