import Testing
import Primitives
import Storage
@testable import Engine

/// Contract state in RocksDB: storage words and code written in the block's batch, storage
/// roots inside the state root, reads of the head state, and exact rollback.
@Suite struct ContractStateTests {
    static let contract = try! Address(hex: "0x00000000000000000000000000000000000c0de1")
    static let code: [UInt8] = [0x60, 0x2a, 0x60, 0x00, 0x55, 0x00]  // PUSH1 42 PUSH1 0 SSTORE STOP

    /// Builds an empty block on the head whose system update runs `writes`, and commits it.
    @discardableResult
    func commit(_ f: ChainFixture, timestamp: UInt64, _ writes: @escaping (StateOverlay) throws -> Void) throws -> SealedBlock {
        var source = TransactionList([])
        let built = try f.chain.build(attributes: f.attributes(timestamp: timestamp), l1Messages: [], transactions: &source,
                                      systemUpdate: { state, _ in try writes(state) })
        try f.chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
        return built.block
    }

    /// The state root recomputed from scratch with in-memory tries: every genesis account plus
    /// `contract` with `words`.
    func expectedRoot(_ f: ChainFixture, contract: Account, words: [U256: U256]) throws -> Hash32 {
        let store = InMemoryTrieNodeStore()
        var storage = SecureTrie(store: store)
        for (slot, value) in words where !value.isZero {
            var w = RLPWriter(capacity: 33); w.write(value)
            try storage.insert(slot.bigEndianBytes, value: w.bytes)
        }
        var account = contract
        account.storageRoot = storage.commit().root
        var state = SecureTrie(store: store)
        for (key, value) in try f.allAccounts() where key != Self.contract.bytes { try state.insert(key, value: value) }
        try state.insert(Self.contract.bytes, value: account.rlp)
        return state.commit().root
    }

    @Test func storageAndCodeAreCommittedReadAndCoveredByTheStateRoot() throws {
        let f = try ChainFixture()
        let hash = Keccak.hash256(Self.code)
        let block = try commit(f, timestamp: 1_000) { state in
            state.deploy(code: Self.code)
            try state.set(Self.contract, Account(nonce: 1, balance: .zero, codeHash: hash))
            try state.setStorage(Self.contract, slot: 0, 42)
            try state.setStorage(Self.contract, slot: U256.max, 7)
        }
        let head = f.chain.headContractState
        #expect(try head.storage(Self.contract, slot: 0) == 42)
        #expect(try head.storage(Self.contract, slot: U256.max) == 7)
        #expect(try head.storage(Self.contract, slot: 1) == 0)
        #expect(try head.code(hash: hash) == Self.code)
        let account = try #require(try head.account(Self.contract))
        #expect(block.header.stateRoot == (try expectedRoot(f, contract: account, words: [0: 42, .max: 7])))
        #expect(account.storageRoot != .emptyTrieRoot)

        // A second block changes one word and deletes another: only those slots are touched.
        let second = try commit(f, timestamp: 1_001) { state in
            try state.setStorage(Self.contract, slot: 0, .zero)
            try state.setStorage(Self.contract, slot: 5, 99)
        }
        #expect(try f.chain.headContractState.storage(Self.contract, slot: 0) == 0)
        #expect(try f.chain.headContractState.storageSlots(Self.contract).map(\.slot) == [5, .max])
        let after = try #require(try f.chain.headContractState.account(Self.contract))
        #expect(second.header.stateRoot == (try expectedRoot(f, contract: after, words: [5: 99, .max: 7])))

        // Survives a reopen.
        try f.reopen()
        #expect(try f.chain.headContractState.storage(Self.contract, slot: 5) == 99)
    }

    @Test func rollbackRestoresStorageWordsExactly() throws {
        // Ethereum's rules: Scroll's from Feynman write a block-hash history word in every block,
        // so an empty block would not keep the root.
        var spec = ChainFixture.devSpec
        spec.scrollFork = nil
        let f = try ChainFixture(spec: spec)
        try commit(f, timestamp: 1_000) { state in
            try state.set(Self.contract, Account(nonce: 1, balance: .zero, codeHash: state.deploy(code: Self.code)))
            try state.setStorage(Self.contract, slot: 1, 10)
            try state.setStorage(Self.contract, slot: 2, 20)
        }
        let kept = f.chain.headBlock
        try commit(f, timestamp: 1_001) { state in
            try state.setStorage(Self.contract, slot: 1, 11)
            try state.setStorage(Self.contract, slot: 2, .zero)
            try state.setStorage(Self.contract, slot: 3, 30)
        }
        try commit(f, timestamp: 1_002) { state in try state.setStorage(Self.contract, slot: 1, 12) }
        try f.chain.rollback(to: kept.number)
        let head = f.chain.headContractState
        #expect(try head.storageSlots(Self.contract).map { [$0.slot, $0.value] } == [[1, 10], [2, 20]])
        // Building on the restored head gives the same root as the kept block's state.
        let rebuilt = try commit(f, timestamp: 1_003) { _ in }
        #expect(rebuilt.header.stateRoot == kept.header.stateRoot)
    }

    @Test func clearingStorageDeletesEveryWord() throws {
        let f = try ChainFixture()
        try commit(f, timestamp: 1_000) { state in
            try state.set(Self.contract, Account(nonce: 1, balance: .zero, codeHash: state.deploy(code: Self.code)))
            for slot in 0..<5 as Range<UInt64> { try state.setStorage(Self.contract, slot: U256(slot), U256(slot + 1)) }
        }
        try commit(f, timestamp: 1_001) { state in
            try state.setStorage(Self.contract, slot: 9, 9)
            try state.clearStorage(Self.contract)
        }
        #expect(try f.chain.headContractState.storageSlots(Self.contract).isEmpty)
        #expect(try f.chain.headContractState.account(Self.contract)?.storageRoot == .emptyTrieRoot)
    }
}

/// Contracts through the whole builder: deployed by a transaction, called by another, their
/// storage and logs committed with the block.
@Suite struct ContractBlockTests {
    /// Runtime: LOG1 with topic 0xaa and the 32-byte word CALLVALUE as data, then SSTORE slot 0
    /// = CALLVALUE: CALLVALUE PUSH1 0 MSTORE PUSH1 0xaa PUSH1 32 PUSH1 0 LOG1 CALLVALUE PUSH1 0 SSTORE STOP.
    static let runtime: [UInt8] = [0x34, 0x60, 0x00, 0x52, 0x60, 0xaa, 0x60, 0x20, 0x60, 0x00, 0xa1,
                                   0x34, 0x60, 0x00, 0x55, 0x00]

    static func initCode(for runtime: [UInt8]) -> [UInt8] {
        let n = UInt8(runtime.count)
        return [0x60, n, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, n, 0x60, 0x00, 0xf3] + runtime
    }

    static func sign(_ f: ChainFixture, _ from: Int, nonce: UInt64, to: Address?, value: U256, data: [UInt8], gas: UInt64) -> SignedTransaction {
        try! Transaction.dynamicFee(DynamicFeeTransaction(chainID: f.spec.chainID, nonce: nonce, maxPriorityFeePerGas: U256(1_000_000_000),
                                                          maxFeePerGas: U256(5_000_000_000), gasLimit: gas, to: to, value: value,
                                                          data: data, accessList: [])).signed(with: ChainFixture.keys[from])
    }

    @Test func deploysCallsAndCommitsLogsAndStorage() throws {
        let f = try ChainFixture()
        let deploy = Self.sign(f, 1, nonce: 0, to: nil, value: .zero, data: Self.initCode(for: Self.runtime), gas: 200_000)
        let first = try f.commitBlock([deploy])
        #expect(first.receipts.map(\.status) == [.succeeded])
        var w = RLPWriter(capacity: 32)
        w.writeList { w in w.write(ChainFixture.keys[1].address); w.write(UInt64(0)) }
        let contract = Address(Array(Keccak.hash256(w.bytes).bytes[12...]))
        let state = f.chain.headContractState
        let account = try #require(try state.account(contract))
        #expect(try state.code(hash: account.codeHash) == Self.runtime)

        let call = Self.sign(f, 2, nonce: 0, to: contract, value: U256(7), data: [], gas: 100_000)
        let failing = Self.sign(f, 3, nonce: 0, to: contract, value: .zero, data: [], gas: 21_100)  // runs out of gas
        let second = try f.commitBlock([call, failing], timestamp: 1_001)
        #expect(second.receipts.map(\.status) == [.succeeded, .failed])
        let log = try #require(second.receipts.first?.logs.first)
        #expect(log.address == contract)
        #expect(log.topics == [Hash32(U256(0xaa).bigEndianBytes)])
        #expect(log.data == U256(7).bigEndianBytes)
        #expect(second.header.logsBloom == second.receipts[0].bloom)
        #expect(second.header.gasUsed == second.receipts[1].cumulativeGasUsed)
        #expect(second.receipts[1].cumulativeGasUsed - second.receipts[0].cumulativeGasUsed == 21_100)  // charged all
        #expect(try f.chain.headContractState.storage(contract, slot: 0) == 7)
        try f.reopen()
        #expect(try f.chain.headContractState.storage(contract, slot: 0) == 7)
    }
}
