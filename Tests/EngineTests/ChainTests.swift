import Foundation
import Testing
import Execution
import Primitives
import Storage
import TestSupport
@testable import Engine

struct ChainTests {
    static let gwei = U256(1_000_000_000)
    static let ether = U256(1_000_000_000_000_000_000)

    @Test func genesisIsTheSameForTheSameSpecAndMatchesItsState() throws {
        let spec = ChainFixture.devSpec
        #expect(spec.genesisHash == spec.genesisHash)
        let f = try ChainFixture()
        #expect(f.chain.genesisHash == spec.genesisHash)
        #expect(f.chain.headBlock.number == 0)
        // The genesis state root is the secure trie of the alloc, recomputed from scratch.
        #expect(f.chain.headBlock.header.stateRoot == secureTrieRoot(of: try f.allAccounts()))
        let a0 = try Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        #expect(try f.chain.account(a0)?.balance == U256(10_000) * Self.ether)
        // Any change to the spec's genesis changes the hash.
        var other = spec
        other.genesis.timestamp += 1
        #expect(other.genesisHash != spec.genesisHash)
    }

    @Test func refusesADatadirOfAnotherGenesisNamingBothHashes() throws {
        let f = try ChainFixture()
        var other = ChainFixture.devSpec
        other.chainID = 999
        other.genesis.gasLimit = 20_000_000
        let db = f.db!
        do {
            _ = try Chain(database: ChainDatabase(db), spec: other)
            Issue.record("opened a datadir of another chain")
        } catch {
            let message = "\(error)"
            #expect(message.contains(f.chain.genesisHash.hex))
            #expect(message.contains(other.genesisHash.hex))
        }
    }

    @Test func refusesADatadirWhoseBlocksWereMadeUnderOtherRules() throws {
        let f = try ChainFixture()
        var cancun = ChainFixture.devSpec
        cancun.scrollFork = nil
        #expect(cancun.genesisHash == f.chain.genesisHash, "the rules are not part of genesis")
        // Genesis alone: the rules may still change (the datadir takes the new ones).
        _ = try Chain(database: ChainDatabase(f.db!), spec: cancun)
        _ = try Chain(database: ChainDatabase(f.db!), spec: ChainFixture.devSpec)
        _ = try f.commitBlock([f.transfer(0, nonce: 0, to: ChainFixture.keys[1].address, value: Self.ether)])
        #expect(throws: EngineError.rulesMismatch(datadir: "scroll-galileo", spec: "Cancun")) {
            _ = try Chain(database: ChainDatabase(f.db!), spec: cancun)
        }
        let message = EngineError.rulesMismatch(datadir: "scroll-galileo", spec: "Cancun").description
        #expect(message.contains("scroll-galileo") && message.contains("Cancun") && message.contains("--datadir"))
        _ = try Chain(database: ChainDatabase(f.db!), spec: ChainFixture.devSpec)
    }

    @Test func commitsTransfersWithReceiptsIndexAndExactBalances() throws {
        let f = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        let before = try a.map { try f.chain.account($0)!.balance }
        let txs = [
            f.transfer(0, nonce: 0, to: a[1], value: Self.ether),
            f.transfer(0, nonce: 1, to: a[2], value: U256(7)),
            f.transfer(1, nonce: 0, to: a[0], value: U256(3), tip: U256(2)),
        ]
        let block = try f.commitBlock(txs)
        #expect(block.number == 1)
        #expect(block.transactions.map(\.hash) == txs.map(\.hash))
        #expect(block.header.gasUsed == 63_000)
        #expect(block.receipts.map(\.cumulativeGasUsed) == [21_000, 42_000, 63_000])
        #expect(block.receipts.allSatisfy { $0.status == .succeeded })
        let baseFee = try #require(block.header.baseFeePerGas)
        // Genesis used no gas: the base fee fell by 1/8.
        #expect(baseFee == U256(875_000_000))
        let p0 = baseFee + Self.gwei, p1 = baseFee + U256(2)
        // The dev chain runs Scroll's latest rules: each transfer also pays the L1 data fee of its
        // envelope at the genesis oracle values (Galileo's formula), to the fee recipient.
        let oracle = try L1Fee.OracleValues { slot throws(EngineError) in
            try f.chain.headContractState.storage(L1GasPriceOracle.address, slot: slot)
        }
        let fees = txs.map { L1Fee.fee(formula: .galileo, oracle: oracle, rlp: $0.encoded, compressedSize: ScrollCompression.compressedSize($0.encoded)) }
        #expect(block.l1Fees == fees)
        #expect(fees.allSatisfy { !$0.isZero })
        #expect(try f.chain.account(a[0])!.balance == before[0] - Self.ether - U256(7) - U256(42_000) * p0 + U256(3) - fees[0] - fees[1])
        #expect(try f.chain.account(a[1])!.balance == before[1] + Self.ether - U256(3) - U256(21_000) * p1 - fees[2])
        #expect(try f.chain.account(a[2])!.balance == before[2] + U256(7))
        #expect(try f.chain.account(ChainFixture.devSpec.feeRecipient)!.balance
                == U256(42_000) * p0 + U256(21_000) * p1 + fees[0] + fees[1] + fees[2])
        #expect(try f.chain.account(a[0])!.nonce == 2)
        let loc = try #require(try f.chain.transactionLocation(txs[2].hash))
        #expect(loc == TransactionLocation(blockHash: block.hash, blockNumber: 1, index: 2))
        #expect(try f.chain.block(number: 1)?.hash == block.hash)
        #expect(try f.chain.signature(blockHash: block.hash) == [UInt8](repeating: 1, count: 65))
        #expect(block.header.stateRoot == secureTrieRoot(of: try f.allAccounts()))
        #expect(block.header.transactionsRoot == orderedTrieRoot(txs.map(\.encoded)))
    }

    @Test func leavesOutTransactionsThatCannotRunAndKeepsGoing() throws {
        let f = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        let txs = [
            f.transfer(0, nonce: 5, to: a[1], value: .zero),                 // nonce too high: skip sender 0
            f.transfer(0, nonce: 0, to: a[1], value: .zero),                 // same sender: skipped too
            f.transfer(1, nonce: 0, to: a[0], value: U256(10_001) * Self.ether), // insufficient funds
            f.transfer(2, nonce: 0, to: a[0], value: U256(1)),
        ]
        var source = TransactionList(try txs.map { ($0, try $0.recoverSender()) })
        let built = try f.chain.build(attributes: f.attributes(), l1Messages: [], transactions: &source)
        #expect(built.block.transactions.map(\.hash) == [txs[3].hash])
        #expect(built.invalidTransactions.isEmpty)  // all of these may become valid later
    }

    @Test func includesL1MessagesFirstContiguousAndWithinTheirCaps() throws {
        let f = try ChainFixture()
        let to = try Address(hex: "0x00000000000000000000000000000000000000aa")
        let sender = try Address(hex: "0x00000000000000000000000000000000000000bb")
        func message(_ i: UInt64, gas: UInt64 = 100_000) -> L1MessageTransaction {
            L1MessageTransaction(queueIndex: i, gasLimit: gas, to: to, value: U256(i + 1), data: [], sender: sender)
        }
        let user = f.transfer(0, nonce: 0, to: to, value: U256(1000))
        // At most 3 per block.
        var source = TransactionList([(user, ChainFixture.keys[0].address)])
        var built = try f.chain.build(attributes: f.attributes(maxL1: 3), l1Messages: (0..<5).map { message($0) }, transactions: &source)
        #expect(built.block.transactions.map(\.type) == [.l1Message, .l1Message, .l1Message, .dynamicFee])
        #expect(built.block.l1MessageCount == 3)
        try f.chain.commit(built, signature: [])
        #expect(f.chain.nextL1QueueIndex == 3)
        #expect(try f.chain.account(to)?.balance == U256(1 + 2 + 3 + 1000))
        // A gap stops inclusion: index 4 without 3 includes nothing.
        var none = NoTransactions()
        built = try f.chain.build(attributes: f.attributes(), l1Messages: [message(4)], transactions: &none)
        #expect(built.block.transactions.isEmpty)
        // The cumulative gas limit of the messages stays within the block gas limit (30M).
        built = try f.chain.build(attributes: f.attributes(), l1Messages: [message(3, gas: 20_000_000), message(4, gas: 10_000_000), message(5, gas: 1)],
                                  transactions: &none)
        #expect(built.block.transactions.count == 2)
        try f.chain.commit(built, signature: [])
        #expect(f.chain.nextL1QueueIndex == 5)
    }

    @Test func incrementalStateRootEqualsTheRootFromScratchAfterRandomBlocks() throws {
        let seed = SplitMix64.seedFromEnvironment(default: 0x5EED_B10C)
        print("ChainTests random blocks seed \(seed)")
        var rng = SplitMix64(seed: seed)
        let f = try ChainFixture()
        var nonces = [UInt64](repeating: 0, count: ChainFixture.keys.count)
        for round in 0..<12 {
            var txs: [SignedTransaction] = []
            for _ in 0..<Int.random(in: 0...25, using: &rng) {
                let from = Int.random(in: 0..<ChainFixture.keys.count, using: &rng)
                let to = Bool.random(using: &rng) ? ChainFixture.keys[Int.random(in: 0..<4, using: &rng)].address
                                                  : Address(lastBytesOf: Keccak.hash256(rng.bytes(8)))
                txs.append(f.transfer(from, nonce: nonces[from], to: to, value: U256(UInt64.random(in: 0...1_000_000, using: &rng))))
                nonces[from] += 1
            }
            let block = try f.commitBlock(txs, timestamp: 1_000 + UInt64(round))
            #expect(block.transactions.count == txs.count)
            #expect(block.header.stateRoot == secureTrieRoot(of: try f.allAccounts()), "round \(round)")
            if round == 5 { try f.reopen() }  // later rounds load trie nodes from RocksDB
        }
    }

    @Test func reopeningTheDatadirGivesTheSameHeadAndState() throws {
        let f = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        try f.commitBlock([f.transfer(0, nonce: 0, to: a[1], value: Self.ether)])
        let block2 = try f.commitBlock([f.transfer(0, nonce: 1, to: a[2], value: Self.ether)], timestamp: 1_001)
        let balance = try f.chain.account(a[2])
        try f.reopen()
        #expect(f.chain.headBlock == block2)
        #expect(try f.chain.account(a[2]) == balance)
        // And it keeps building on top.
        let block3 = try f.commitBlock([f.transfer(0, nonce: 2, to: a[3], value: U256(1))], timestamp: 1_002)
        #expect(block3.header.parentHash == block2.hash)
        #expect(block3.header.stateRoot == secureTrieRoot(of: try f.allAccounts()))
    }

    @Test func rollbackRestoresStateAndReturnsUserTransactions() throws {
        let f = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        let b1 = try f.commitBlock([f.transfer(0, nonce: 0, to: a[1], value: Self.ether)])
        let stateAfter1 = try f.allAccounts()
        let sender = try Address(hex: "0x00000000000000000000000000000000000000bb")
        let l1 = L1MessageTransaction(queueIndex: 0, gasLimit: 50_000, to: a[3], value: Self.ether, data: [], sender: sender)
        let t2 = f.transfer(1, nonce: 0, to: a[2], value: U256(5))
        let t3 = f.transfer(0, nonce: 1, to: Address(lastBytesOf: Keccak.hash256([9])), value: U256(6))
        try f.commitBlock([t2], l1: [l1], timestamp: 1_001)
        try f.commitBlock([t3], timestamp: 1_002)
        #expect(f.chain.nextL1QueueIndex == 1)

        let rollback = try f.chain.rollback(to: 1)
        #expect(rollback.transactions.map(\.hash) == [t2.hash, t3.hash])
        #expect(Set(rollback.touchedAccounts).isSuperset(of: [a[0], a[1], a[2], a[3]]))
        #expect(f.chain.headBlock.hash == b1.hash)
        #expect(f.chain.nextL1QueueIndex == 0)
        let restored = try f.allAccounts()
        #expect(restored.map(\.key) == stateAfter1.map(\.key))
        #expect(restored.map(\.value) == stateAfter1.map(\.value))
        #expect(try f.chain.transactionLocation(t2.hash) == nil)
        #expect(try f.chain.block(number: 2) == nil)
        // Building again continues from block 1 with a matching state root.
        let again = try f.commitBlock([t2], timestamp: 1_003)
        #expect(again.number == 2)
        #expect(again.header.stateRoot == secureTrieRoot(of: try f.allAccounts()))
        try f.reopen()
        #expect(f.chain.headBlock.hash == again.hash)
    }

    @Test func refusesToCommitABlockThatNoLongerExtendsTheHead() throws {
        let f = try ChainFixture()
        var none = NoTransactions()
        let first = try f.chain.build(attributes: f.attributes(), l1Messages: [], transactions: &none)
        let second = try f.chain.build(attributes: f.attributes(timestamp: 1_001), l1Messages: [], transactions: &none)
        try f.chain.commit(first, signature: [])
        #expect(throws: EngineError.self) { try f.chain.commit(second, signature: []) }
        #expect(f.chain.headBlock.hash == first.block.hash)
    }
}
