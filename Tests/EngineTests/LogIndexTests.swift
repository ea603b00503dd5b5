import Primitives
import Testing
@testable import Engine

extension ChainFixture {
    /// Commits a block with one transfer whose receipt carries `logs` (as an EVM would emit
    /// them; the engine has none yet), with the header's bloom to match.
    @discardableResult
    func commitBlock(logs: [Log], nonce: UInt64, timestamp: UInt64 = 1_000) throws -> SealedBlock {
        let tx = transfer(0, nonce: nonce, to: ChainFixture.keys[1].address, value: 1)
        var source = TransactionList([(tx, ChainFixture.keys[0].address)])
        var built = try chain.build(attributes: attributes(timestamp: timestamp), l1Messages: [], transactions: &source)
        var receipts = built.block.receipts
        let r = receipts[0]
        receipts[0] = Receipt(type: r.type, status: r.status, cumulativeGasUsed: r.cumulativeGasUsed, logs: logs)
        var header = built.block.header
        header.logsBloom = Bloom(logs: logs)
        built.block = SealedBlock(header: header, transactions: built.block.transactions, senders: built.block.senders, receipts: receipts)
        try chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
        return built.block
    }
}

@Suite struct LogIndexTests {
    static let a = try! Address(hex: "0x00000000000000000000000000000000000000aa")
    static let b = try! Address(hex: "0x00000000000000000000000000000000000000bb")
    static let transfer = Keccak.hash256(Array("Transfer(address,address,uint256)".utf8))
    static let approval = Keccak.hash256(Array("Approval(address,address,uint256)".utf8))
    static let alice = Hash32(Array(repeating: 0, count: 31) + [1])

    @Test func namesTheBlocksThatLoggedAndFollowsRollbacks() throws {
        let f = try ChainFixture()
        try f.commitBlock(logs: [Log(address: Self.a, topics: [Self.transfer, Self.alice], data: [])], nonce: 0)   // 1
        try f.commitBlock(logs: [], nonce: 1)                                                                      // 2
        try f.commitBlock(logs: [Log(address: Self.b, topics: [Self.approval], data: []),
                                 Log(address: Self.a, topics: [Self.approval], data: [])], nonce: 2)              // 3
        try f.commitBlock(logs: [Log(address: Self.b, topics: [Self.transfer], data: [])], nonce: 3)               // 4
        let chain = f.chain!
        #expect(try chain.logBlocks(addresses: [Self.a], topics: [], from: 0, to: 4) == [1, 3])
        #expect(try chain.logBlocks(addresses: [Self.a, Self.b], topics: [], from: 0, to: 4) == [1, 3, 4])
        #expect(try chain.logBlocks(addresses: [], topics: [[Self.transfer]], from: 0, to: 4) == [1, 4])
        #expect(try chain.logBlocks(addresses: [Self.a], topics: [[Self.transfer]], from: 0, to: 4) == [1])
        #expect(try chain.logBlocks(addresses: [], topics: [nil, [Self.alice]], from: 0, to: 4) == [1])
        #expect(try chain.logBlocks(addresses: [Self.a], topics: [], from: 2, to: 3) == [3])
        #expect(try chain.logBlocks(addresses: [], topics: [nil], from: 0, to: 4) == nil, "nothing to narrow by: scan")

        try chain.rollback(to: 2)
        #expect(try chain.logBlocks(addresses: [Self.a, Self.b], topics: [], from: 0, to: 10) == [1])
        try f.commitBlock(logs: [Log(address: Self.b, topics: [], data: [])], nonce: 2)                            // 3'
        #expect(try chain.logBlocks(addresses: [Self.a, Self.b], topics: [], from: 0, to: 10) == [1, 3])
        #expect(try chain.logBlocks(addresses: [Self.a], topics: [], from: 0, to: 10) == [1])
        // Reopened, the index is still there and starts at genesis.
        try f.reopen()
        #expect(try f.chain.logBlocks(addresses: [Self.b], topics: [], from: 0, to: 10) == [3])
    }
}
