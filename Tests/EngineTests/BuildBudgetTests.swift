import Primitives
import Testing
import TestSupport
@testable import Engine

/// The building budget holds when transactions are expensive: a transaction that starts before
/// the deadline may finish after it, none starts after it; a call that loops until it runs out
/// of gas costs its gas limit and no more.
@Suite struct BuildBudgetTests {
    /// Hands out a fixed list and moves the manual clock by `cost` for each transaction, as if
    /// executing each took that long.
    struct TimedSource: BlockTransactionSource {
        var list: TransactionList
        let clock: ManualClock
        let cost: Duration
        var handedOut = 0
        mutating func next() -> (transaction: SignedTransaction, sender: Address)? {
            guard let next = list.next() else { return nil }
            clock.advance(by: cost)
            handedOut += 1
            return next
        }
        mutating func skipSender(_ sender: Address) { list.skipSender(sender) }
    }

    /// JUMPDEST PUSH0 JUMP: loops until out of gas.
    static let loop: [UInt8] = [0x5b, 0x5f, 0x56]

    @Test func noTransactionStartsAfterTheDeadlineAndLoopsCostTheirGasLimit() throws {
        let f = try ChainFixture()
        // Deploy the loop: initcode copies the 3 code bytes after it to memory and returns them.
        let initCode: [UInt8] = [0x60, 0x03, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x03, 0x60, 0x00, 0xf3] + Self.loop
        let create = try Transaction.dynamicFee(DynamicFeeTransaction(
            chainID: f.spec.chainID, nonce: 0, maxPriorityFeePerGas: U256(1_000_000_000), maxFeePerGas: U256(5_000_000_000),
            gasLimit: 100_000, to: nil, value: .zero, data: initCode, accessList: [])).signed(with: ChainFixture.keys[0])
        let deployed = try f.commitBlock([create])
        #expect(deployed.receipts.first?.status == .succeeded)
        let looper = Address.created(by: ChainFixture.keys[0].address, nonce: 0)

        // Six calls of 1M gas each, from three senders; each "takes" 10 ms; the budget is 25 ms.
        var txs: [(SignedTransaction, Address)] = []
        for i in 0..<6 {
            let key = ChainFixture.keys[i % 3]
            let nonce: UInt64 = (i % 3 == 0 ? 1 : 0) + UInt64(i / 3)
            let tx = try Transaction.dynamicFee(DynamicFeeTransaction(
                chainID: f.spec.chainID, nonce: nonce, maxPriorityFeePerGas: U256(1_000_000_000),
                maxFeePerGas: U256(5_000_000_000), gasLimit: 1_000_000, to: looper, value: .zero, data: [],
                accessList: [])).signed(with: key)
            txs.append((tx, key.address))
        }
        let clock = ManualClock()
        var source = TimedSource(list: TransactionList(txs), clock: clock, cost: .milliseconds(10))
        var attributes = f.attributes(timestamp: 2_000)
        attributes.buildingBudget = .milliseconds(25)
        let built = try f.chain.build(attributes: attributes, l1Messages: [], transactions: &source, clock: clock)
        // Started at 0, 10 and 20 ms (the third finishes at 30, after the deadline); none at 30.
        #expect(source.handedOut == 3)
        #expect(built.block.transactions.count == 3)
        for r in built.block.receipts { #expect(r.status == .failed) }
        // Each loop ran out of gas: it used exactly its gas limit, no more.
        #expect(built.block.header.gasUsed == 3 * 1_000_000)
    }
}
