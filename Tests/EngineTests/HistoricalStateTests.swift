import Testing
import Primitives
import Storage
@testable import Engine

/// The state of older blocks, read through their state roots: accounts, storage and code as
/// they were, calls executed on them, the served window and archive mode.
@Suite struct HistoricalStateTests {
    static let contract = try! Address(hex: "0x00000000000000000000000000000000000c0de2")
    /// PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns storage slot 0.
    static let code: [UInt8] = [0x60, 0x00, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]

    /// Commits `count` blocks; block i sets the contract's slot 0 to i and its balance to i wei,
    /// and slot i to i (so earlier blocks lack later slots). The contract is deployed in block 1.
    func commitBlocks(_ f: ChainFixture, count: Int) throws -> [SealedBlock] {
        var blocks: [SealedBlock] = []
        for i in 1...count {
            var source = TransactionList([])
            let built = try f.chain.build(attributes: f.attributes(timestamp: 1_000 + UInt64(i)), l1Messages: [], transactions: &source,
                                          systemUpdate: { state, _ in
                let hash = i == 1 ? state.deploy(code: Self.code) : try state.account(Self.contract).codeHash
                var account = try state.account(Self.contract)
                account.nonce = 1; account.balance = U256(UInt64(i)); account.codeHash = hash
                try state.set(Self.contract, account)
                try state.setStorage(Self.contract, slot: 0, U256(UInt64(i)))
                try state.setStorage(Self.contract, slot: U256(UInt64(i)), U256(UInt64(i)))
            })
            try f.chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
            blocks.append(built.block)
        }
        return blocks
    }

    @Test func everyKeptBlockReadsItsOwnAccountsStorageAndCode() throws {
        let f = try ChainFixture()
        let blocks = try commitBlocks(f, count: 6)
        for block in blocks {
            let n = block.number
            let state = try f.chain.state(at: block.header, hash: block.hash)
            let account = try #require(try state.account(Self.contract))
            #expect(account.balance == U256(n), "block \(n)")
            #expect(try state.storage(Self.contract, slot: 0) == U256(n))
            #expect(try state.storage(Self.contract, slot: U256(n)) == U256(n))
            #expect(try state.storage(Self.contract, slot: U256(n + 1)) == .zero, "a slot written later is zero at block \(n)")
            #expect(try state.code(hash: account.codeHash) == Self.code)
        }
        // Genesis: no contract; a funded development account is there with its genesis balance.
        let genesis = try #require(try f.chain.block(number: 0))
        let atGenesis = try f.chain.state(at: genesis.header, hash: genesis.hash)
        #expect(try atGenesis.account(Self.contract) == nil)
        #expect(try atGenesis.storage(Self.contract, slot: 0) == .zero)
        let funded = ChainFixture.keys[0].address
        #expect(try atGenesis.account(funded) == (try f.chain.headContractState.account(funded)))
    }

    @Test func callsRunOnTheNamedBlocksState() throws {
        let f = try ChainFixture()
        let blocks = try commitBlocks(f, count: 3)
        func slot0(_ block: SealedBlock?) throws -> U256? {
            let outcome = try f.chain.call(from: .zero, to: Self.contract, gas: 100_000, maxFeePerGas: nil, maxPriorityFeePerGas: nil,
                                           value: .zero, data: [], accessList: [], pending: false,
                                           block: block.map { ($0.header, $0.hash) })
            guard case .success(let output, _) = outcome else { Issue.record("\(outcome)"); return nil }
            return U256(bigEndian: output)
        }
        #expect(try slot0(blocks[0]) == 1)
        #expect(try slot0(blocks[1]) == 2)
        #expect(try slot0(blocks[2]) == 3)
        #expect(try slot0(nil) == 3)
        // Before the deployment the address has no code: the call succeeds with no output.
        let genesis = try #require(try f.chain.block(number: 0))
        let outcome = try f.chain.call(from: .zero, to: Self.contract, gas: 100_000, maxFeePerGas: nil, maxPriorityFeePerGas: nil,
                                       value: .zero, data: [], accessList: [], pending: false, block: (genesis.header, genesis.hash))
        #expect(outcome == .success(output: [], gasUsed: 21_000))
    }

    @Test func blocksBelowTheWindowAreRefusedNamingTheBlock() throws {
        let f = try ChainFixture(stateHistory: .recent(2))
        let blocks = try commitBlocks(f, count: 5)  // head 5: blocks 3, 4, 5 are served
        #expect(try f.chain.state(at: blocks[2].header, hash: blocks[2].hash).storage(Self.contract, slot: 0) == 3)
        do {
            _ = try f.chain.state(at: blocks[1].header, hash: blocks[1].hash)
            Issue.record("block 2 is below the window")
        } catch {
            guard case .stateNotKept(let n, let hash, _, let head, let kept) = error else { Issue.record("\(error)"); return }
            #expect(n == 2 && hash == blocks[1].hash && head == 5 && kept == 2)
            #expect(error.description.hasPrefix("missing trie node \(blocks[1].header.stateRoot)"))
            #expect(error.description.contains("state of block 2 (\(blocks[1].hash)) is not kept"))
            #expect(error.description.contains("--archive"))
        }
        // A call on it is refused with the same error rather than run on another state.
        #expect(throws: EngineError.self) {
            try f.chain.call(from: .zero, to: Self.contract, gas: 100_000, maxFeePerGas: nil, maxPriorityFeePerGas: nil,
                             value: .zero, data: [], accessList: [], pending: false, block: (blocks[0].header, blocks[0].hash))
        }
    }

    @Test func archiveServesEveryBlockAlsoAfterAReopen() throws {
        let f = try ChainFixture(stateHistory: .archive)
        let blocks = try commitBlocks(f, count: 4)
        try f.reopen()
        for block in blocks {
            #expect(try f.chain.state(at: block.header, hash: block.hash).storage(Self.contract, slot: 0) == U256(block.number))
        }
    }

    @Test func aMissingNodeIsReportedWithTheBlockNotAsAnAbsentAccount() throws {
        let f = try ChainFixture(stateHistory: .archive)
        let blocks = try commitBlocks(f, count: 2)
        var header = blocks[0].header
        header.stateRoot = Hash32([UInt8](repeating: 0xab, count: 32))  // a root whose node was never stored
        do {
            _ = try f.chain.state(at: header, hash: blocks[0].hash).account(Self.contract)
            Issue.record("a missing root node must not read as an absent account")
        } catch {
            #expect(error.description == "missing trie node \(Hash32([UInt8](repeating: 0xab, count: 32))) (state root \(Hash32([UInt8](repeating: 0xab, count: 32))) of block 1, \(blocks[0].hash))")
        }
    }
}

/// Development state edits: applied before the block's transactions, recorded with the saved
/// inputs of a block being signed, and rebuilt to the same digest.
@Suite struct StateEditTests {
    @Test func editsApplyAreRecordedAndRebuildToTheSameBlock() throws {
        let f = try ChainFixture()
        let target = try Address(hex: "0x000000000000000000000000000000000000bEEF")
        let edits = [StateEdit(address: target, balance: U256(77), nonce: 3, code: [0x60, 0x00], storage: [1: 42, 2: 0]),
                     StateEdit(address: ChainFixture.keys[0].address, balance: U256(5))]
        var source = TransactionList([])
        var attributes = f.attributes(timestamp: 1_001)
        attributes.stateEdits = edits
        let built = try f.chain.build(attributes: attributes, l1Messages: [], transactions: &source)
        try f.chain.savePending(built)
        let record = try #require(try f.chain.pendingBlock())
        #expect(record.stateEdits == edits)
        let rebuilt = try f.chain.rebuild(record)
        #expect(rebuilt.signatureDigest == built.signatureDigest)
        try f.chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
        let head = f.chain.headContractState
        let account = try #require(try head.account(target))
        #expect(account.balance == 77 && account.nonce == 3)
        #expect(try head.code(hash: account.codeHash) == [0x60, 0x00])
        #expect(try head.storage(target, slot: 1) == 42)
        #expect(try head.storage(target, slot: 2) == 0)
        #expect(try head.account(ChainFixture.keys[0].address)?.balance == 5)
        // A record from before state edits (no trailing field) still decodes, with none.
        var old = record
        old.stateEdits = []
        #expect(try PendingBlock(encoded: old.encoded).stateEdits.isEmpty)
    }
}

/// A chain spec with `"evm": "scroll-curie"` runs Scroll's rules in calls and blocks.
@Suite struct ScrollRulesTests {
    @Test func blockHashPrevRandaoAndSelfDestructFollowScroll() throws {
        var spec = ChainFixture.devSpec
        spec.scrollFork = .curie
        let probe = try Address(hex: "0x00000000000000000000000000000000000000b1")
        let destroyer = try Address(hex: "0x00000000000000000000000000000000000000b2")
        // BLOCKHASH(NUMBER - 1) and PREVRANDAO, returned as two words.
        spec.genesis.alloc[probe] = .init(balance: .zero, code: [0x60, 0x01, 0x43, 0x03, 0x40, 0x5f, 0x52, 0x44, 0x60, 0x20, 0x52,
                                                                  0x60, 0x40, 0x5f, 0xf3])
        spec.genesis.alloc[destroyer] = .init(balance: .zero, code: [0x5f, 0xff])  // PUSH0 SELFDESTRUCT
        let f = try ChainFixture(spec: spec)
        for t in 1...2 as ClosedRange<UInt64> {
            var source = TransactionList([])
            var attributes = f.attributes(timestamp: 1_000 + t)
            attributes.stateEdits = [StateEdit(address: probe, balance: U256(t))]  // a non-empty block
            try f.chain.commit(try f.chain.build(attributes: attributes, l1Messages: [], transactions: &source),
                               signature: [UInt8](repeating: 1, count: 65))
        }
        let outcome = try f.chain.call(from: .zero, to: probe, gas: 100_000, maxFeePerGas: nil, maxPriorityFeePerGas: nil,
                                       value: .zero, data: [], accessList: [], pending: false)
        guard case .success(let output, _) = outcome else { Issue.record("\(outcome)"); return }
        var input = withUnsafeBytes(of: spec.chainID.bigEndian) { Array($0) }
        input += withUnsafeBytes(of: UInt64(1).bigEndian) { Array($0) }
        #expect(Array(output[0..<32]) == Keccak.hash256(input).bytes, "keccak256(chain id ‖ number) for block 1")
        #expect(Array(output[32..<64]) == [UInt8](repeating: 0, count: 32), "PREVRANDAO is 0")
        let destroyed = try f.chain.call(from: .zero, to: destroyer, gas: 100_000, maxFeePerGas: nil, maxPriorityFeePerGas: nil,
                                         value: .zero, data: [], accessList: [], pending: false)
        #expect(destroyed == .halted(reason: "invalid opcode"), "SELFDESTRUCT is disabled")
    }
}
