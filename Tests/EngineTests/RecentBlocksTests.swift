import Foundation
import Testing
import Primitives
import Storage
@testable import Engine

struct RecentBlocksTests {
    /// A block numbered `number` holding `count` copies of one transfer (its content does not
    /// matter here, only its hash and size).
    static func block(_ number: UInt64, transactions count: Int) -> SealedBlock {
        var header = ChainFixture.devSpec.genesisHeader()
        header.number = number
        let tx = try! Transaction.dynamicFee(DynamicFeeTransaction(
            chainID: 1337, nonce: 0, maxPriorityFeePerGas: U256(1), maxFeePerGas: U256(2), gasLimit: 21_000,
            to: ChainFixture.keys[1].address, value: U256(1))).signed(with: ChainFixture.keys[0])
        let receipt = Receipt(type: 2, status: .succeeded, cumulativeGasUsed: 21_000, logs: [])
        return SealedBlock(header: header, transactions: Array(repeating: tx, count: count),
                           senders: Array(repeating: ChainFixture.keys[0].address, count: count),
                           receipts: Array(repeating: receipt, count: count))
    }

    @Test func keepsTheNewestBlocksWithinBothLimits() {
        var recent = RecentBlocks(maxBlocks: 3, maxTransactions: 10)
        let blocks = (1...5).map { Self.block($0, transactions: 2) }
        for b in blocks { recent.insert(b) }
        // The block limit: the three newest.
        #expect(recent.count == 3)
        #expect(blocks.map { recent.block($0.hash) != nil } == [false, false, true, true, true])
        // The transaction limit: a 7-transaction block pushes out the two oldest (2 + 2 + 7 > 10).
        let big = Self.block(6, transactions: 7)
        recent.insert(big)
        #expect(recent.block(big.hash) == big)
        #expect(recent.count == 2)
        #expect(recent.transactionCount == 9)
        // A block over the transaction limit on its own is not kept, and evicts nothing.
        recent.insert(Self.block(7, transactions: 11))
        #expect(recent.count == 2)
        // Inserting a block again changes nothing.
        recent.insert(big)
        #expect(recent.transactionCount == 9)
    }

    @Test func servesCommittedBlocksByHashAsTheDatabaseHasThem() throws {
        let f = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        let b1 = try f.commitBlock([f.transfer(0, nonce: 0, to: a[1], value: U256(1)), f.transfer(1, nonce: 0, to: a[2], value: U256(2))])
        let b2 = try f.commitBlock([f.transfer(0, nonce: 1, to: a[3], value: U256(3))], timestamp: 1_001)
        // Block 1 is no longer the head: it comes from the recent blocks...
        #expect(f.chain.recentBlocks.withLock { $0.block(b1.hash) } == b1)
        #expect(try f.chain.block(hash: b1.hash) == b1)
        // ...and equals what a fresh process decodes from the database.
        try f.reopen()
        #expect(f.chain.recentBlocks.withLock { $0.count } == 0)
        #expect(try f.chain.block(hash: b1.hash) == b1)
        #expect(try f.chain.block(number: 1) == b1)
        #expect(f.chain.recentBlocks.withLock { $0.block(b1.hash) } == b1)
        #expect(try f.chain.block(hash: b2.hash) == b2)
        // A rolled-back block stays readable by hash, from memory or not.
        try f.chain.rollback(to: 1)
        #expect(try f.chain.block(hash: b2.hash) == b2)
        #expect(try f.chain.block(number: 2) == nil)
    }
}
