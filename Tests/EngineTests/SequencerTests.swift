import Synchronization
import Testing
import Primitives
import Storage
import TestSupport
@testable import Engine

/// A list-backed pool: everything submitted is offered in order; committed ones are removed.
final class ListPool: SequencerTransactionPool, Sendable {
    let items = Mutex<[(SignedTransaction, Address)]>([])
    func add(_ tx: SignedTransaction) throws { let s = try tx.recoverSender(); items.withLock { $0.append((tx, s)) } }
    var hasPendingTransactions: Bool { items.withLock { !$0.isEmpty } }
    func blockTransactions(baseFee: U256) -> TransactionList { TransactionList(items.withLock { $0 }) }
    func blockCommitted(_ block: SealedBlock, invalid: [Hash32], head: MempoolHead) {
        let gone = Set(block.transactions.map(\.hash) + invalid)
        items.withLock { $0.removeAll { gone.contains($0.0.hash) } }
    }
}

/// Signs with a fixed key; can be told to fail, or to spend clock time while signing.
final class FakeSealer: BlockSealer, Sendable {
    let key = DevelopmentKeys.privateKey(0)
    let failures = Mutex(0)
    let signed = Mutex<[(UInt64, Hash32)]>([])
    let onSign: (@Sendable () -> Void)?
    init(onSign: (@Sendable () -> Void)? = nil) { self.onSign = onSign }
    var address: Address { key.address }
    struct Refused: Error {}
    func sign(digest: Hash32, height: UInt64) async throws -> [UInt8] {
        onSign?()
        if failures.withLock({ f in defer { if f > 0 { f -= 1 } }; return f > 0 }) { throw Refused() }
        signed.withLock { $0.append((height, digest)) }
        return try key.sign(digest: digest).compact
    }
}

final class FakeL1: L1MessageSource, Sendable {
    let messages = Mutex<[L1MessageTransaction]>([])
    let caughtUp = Mutex(true)
    var isCaughtUp: Bool { caughtUp.withLock { $0 } }
    func eligibleMessages(startingAt queueIndex: UInt64, max: Int, gasLimit: UInt64) -> [L1MessageTransaction] {
        Array(messages.withLock { $0 }.filter { $0.queueIndex >= queueIndex }.prefix(max))
    }
    let staged = Mutex<[UInt64]>([])
    func stageInclusion(_ messages: [L1MessageTransaction], inBlock number: UInt64, into batch: inout WriteBatch) throws {
        staged.withLock { $0.append(contentsOf: messages.map(\.queueIndex)) }
    }
}

struct SequencerTests {
    static func configuration(allowEmpty: Bool = false, autoStart: Bool = true) -> SequencerConfiguration {
        SequencerConfiguration(blockTime: .milliseconds(1000), buildingBudget: .milliseconds(800), allowEmptyBlocks: allowEmpty,
                               feeRecipient: ChainFixture.devSpec.feeRecipient, maxL1Messages: 10, maxTransactions: nil,
                               autoStart: autoStart)
    }

    static func make(_ f: ChainFixture, pool: ListPool = ListPool(), l1: FakeL1 = FakeL1(), sealer: FakeSealer = FakeSealer(),
                     clock: ManualClock = ManualClock(), allowEmpty: Bool = false, autoStart: Bool = true) throws -> Sequencer<ListPool, ManualClock> {
        try Sequencer(chain: f.chain, pool: pool, l1: l1, sealer: sealer, clock: clock, wallClock: { 1_700_000_000 },
                      configuration: configuration(allowEmpty: allowEmpty, autoStart: autoStart))
    }

    /// The post-building reserve: the smallest recent tail plus the largest recent per-gas cost
    /// (blocks above 1M gas), with 10 % to spare; nothing before any block is measured.
    @Test func sealReserveLearnsFromRecentBlocks() throws {
        let f = try ChainFixture()
        let s = try Self.make(f)
        #expect(s.sealReserve()(100_000_000) == .zero)
        s.recordTail(.milliseconds(20), gas: 21_000)  // a tiny block: the fixed part
        s.recordTail(.milliseconds(220), gas: 100_000_000)  // 200 ms above it for 100M gas
        let reserve = s.sealReserve()
        #expect(reserve(0) == .milliseconds(20))
        #expect(abs((reserve(100_000_000) - .milliseconds(240)) / .milliseconds(1)) < 0.001)
        #expect(abs((reserve(50_000_000) - .milliseconds(130)) / .milliseconds(1)) < 0.001)
        s.recordTail(.milliseconds(420), gas: 100_000_000)  // 400 ms above the fixed part: the largest rate
        #expect(abs((s.sealReserve()(100_000_000) - .milliseconds(460)) / .milliseconds(1)) < 0.001)
        for _ in 0..<16 { s.recordTail(.milliseconds(10), gas: 21_000) }
        #expect(s.sealReserve()(100_000_000) == .milliseconds(10), "the large block left the window")
    }

    /// A block's building stops before a transaction whose start would leave too little of the
    /// slot for sealing the gas taken so far.
    @Test func buildingStopsWhenTheSealReserveWouldPassTheSlotEnd() throws {
        let f = try ChainFixture()
        let txs = (0..<20).map { f.transfer(1, nonce: UInt64($0), to: ChainFixture.keys[2].address, value: U256(1)) }
        var source = TransactionList(txs.map { ($0, ChainFixture.keys[1].address) })
        var attributes = f.attributes(timestamp: 1_001)
        attributes.slotRemaining = .milliseconds(500)
        // 21,000 gas per transfer; after five, the reserve (100 ms per 21,000 gas) passes 500 ms.
        attributes.sealReserve = { gas in .milliseconds(100) * Int(gas / 21_000) }
        let built = try f.chain.build(attributes: attributes, l1Messages: [], transactions: &source)
        #expect(built.block.transactions.count == 5)
        #expect(built.sealDuration > .zero)
    }

    @Test func makesNoBlockWithNothingToIncludeUnlessEmptyBlocksAreAllowed() async throws {
        let f = try ChainFixture()
        let clock = ManualClock()
        let s = try Self.make(f, clock: clock)
        #expect(await s.step(deadline: clock.now.advanced(by: .milliseconds(800))) == .nothingToInclude)
        #expect(f.chain.headBlock.number == 0)
        let empty = try Self.make(f, clock: clock, allowEmpty: true)
        guard case .produced(let n, _) = await empty.step(deadline: clock.now.advanced(by: .milliseconds(800))) else {
            Issue.record("no block"); return
        }
        #expect(n == 1)
        #expect(f.chain.headBlock.transactions.isEmpty)
    }

    @Test func anL1MessageAloneMakesABlock() async throws {
        let f = try ChainFixture()
        let l1 = FakeL1()
        l1.messages.withLock { $0 = [L1MessageTransaction(queueIndex: 0, gasLimit: 30_000, to: ChainFixture.keys[1].address,
                                                          value: U256(5), data: [], sender: ChainFixture.keys[2].address)] }
        let s = try Self.make(f, l1: l1)
        #expect(await s.step(deadline: ManualClock().now) != .nothingToInclude)
        #expect(f.chain.headBlock.l1MessageCount == 1)
        #expect(l1.staged.withLock { $0 } == [0])
    }

    @Test func producesSignedBlocksThatRecoverToTheSigner() async throws {
        let f = try ChainFixture()
        let pool = ListPool()
        let sealer = FakeSealer()
        try pool.add(f.transfer(0, nonce: 0, to: ChainFixture.keys[1].address, value: U256(1)))
        try pool.add(f.transfer(0, nonce: 1, to: ChainFixture.keys[1].address, value: U256(2)))
        let s = try Self.make(f, pool: pool, sealer: sealer)
        let outcome = await s.step(deadline: ManualClock().now.advanced(by: .seconds(1)))
        guard case .produced(let number, let hash) = outcome else { Issue.record("\(outcome)"); return }
        #expect(number == 1)
        let block = try #require(try f.chain.block(hash: hash))
        #expect(block.transactions.count == 2)
        #expect(block.header.timestamp == 1_700_000_000)
        let signature = try Signature(compact: try #require(try f.chain.signature(blockHash: hash)))
        #expect(try Secp256k1.recoverAddress(digest: block.header.signatureDigest, signature: signature) == sealer.address)
        #expect(!pool.hasPendingTransactions)
        #expect(s.counters.blocks == 1)
    }

    /// evm_mine / anvil_mine: blocks on demand, empty ones too, with sequencing off; the first
    /// takes the asked timestamp; concurrent requests never build two blocks on one parent.
    @Test func minesBlocksOnDemandOneAfterAnother() async throws {
        let f = try ChainFixture()
        let sealer = FakeSealer()
        let s = try Self.make(f, sealer: sealer, autoStart: false)
        #expect(!s.isEnabled)
        let outcomes = await s.mine(count: 3, timestamp: 1_800_000_000)
        #expect(outcomes.count == 3 && f.chain.headBlock.number == 3)
        #expect(try f.chain.block(number: 1)?.header.timestamp == 1_800_000_000)
        #expect(f.chain.headBlock.header.timestamp == 1_800_000_000)  // the wall clock (1.7e9) never goes below the parent
        // Eight concurrent requests of two blocks each: sixteen blocks, each on the one before.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = await s.mine(count: 2) } }
        }
        #expect(f.chain.headBlock.number == 19)
        let heights = sealer.signed.withLock { $0.map(\.0) }
        #expect(heights == Array(1...19))
        for n in UInt64(2)...19 {
            #expect(try f.chain.block(number: n)?.header.parentHash == f.chain.block(number: n - 1)?.hash)
        }
        // A failure stops the run and is reported.
        sealer.failures.withLock { $0 = 1 }
        let failed = await s.mine(count: 3)
        #expect(failed.count == 1)
        guard case .failed = failed.first else { Issue.record("expected a failure, got \(failed)"); return }
    }

    @Test func disablingIsRememberedAcrossRestartsAndWinsOverAutoStart() async throws {
        let f = try ChainFixture()
        let s = try Self.make(f, allowEmpty: true)
        try s.setAutomaticSequencing(false)
        #expect(await s.step(deadline: ManualClock().now) == .disabled)
        let restarted = try Self.make(f, allowEmpty: true, autoStart: true)
        #expect(!restarted.isEnabled)
        try restarted.setAutomaticSequencing(true)
        let again = try Self.make(f, allowEmpty: true, autoStart: false)
        #expect(again.isEnabled)
        // Without an explicit choice, auto-start decides.
        let fresh = try ChainFixture()
        #expect(!(try Self.make(fresh, autoStart: false)).isEnabled)
        #expect(try Self.make(fresh, autoStart: true).isEnabled)
    }

    @Test func waitsForTheL1ToCatchUp() async throws {
        let f = try ChainFixture()
        let l1 = FakeL1()
        l1.caughtUp.withLock { $0 = false }
        let s = try Self.make(f, l1: l1, allowEmpty: true)
        #expect(await s.step(deadline: ManualClock().now) == .waitingForL1)
    }

    @Test func aSignerFailureSkipsTheSlotAndTheNextSlotProduces() async throws {
        let f = try ChainFixture()
        let sealer = FakeSealer()
        sealer.failures.withLock { $0 = 1 }
        let s = try Self.make(f, sealer: sealer, allowEmpty: true)
        guard case .failed = await s.step(deadline: ManualClock().now) else { Issue.record("expected a failure"); return }
        #expect(f.chain.headBlock.number == 0)
        #expect(s.counters.failedSlots == 1)
        guard case .produced(let n, _) = await s.step(deadline: ManualClock().now) else { Issue.record("no block"); return }
        #expect(n == 1)
    }

    /// A crash after signing and before the commit: the restarted node rebuilds exactly the
    /// same block (same digest, so the double-sign guard accepts it) and commits it.
    @Test func finishesTheBlockThatWasBeingSignedWhenTheNodeStopped() async throws {
        let f = try ChainFixture()
        let pool = ListPool()
        try pool.add(f.transfer(0, nonce: 0, to: ChainFixture.keys[1].address, value: U256(1)))
        var source = pool.blockTransactions(baseFee: f.chain.nextBaseFee)
        let built = try f.chain.build(attributes: f.attributes(timestamp: 1_234), l1Messages: [], transactions: &source)
        try f.chain.savePending(built)
        _ = try FakeSealer().key.sign(digest: built.signatureDigest)  // signed; then the process died
        try f.reopen()

        let sealer = FakeSealer()
        let s = try Self.make(f, pool: pool, sealer: sealer)
        try await s.recoverPendingBlock()
        #expect(f.chain.headBlock.hash == built.block.hash)
        #expect(sealer.signed.withLock { $0.map(\.1) } == [built.signatureDigest])
        #expect(try f.chain.pendingBlock() == nil)
        // Nothing pending: recovery does nothing.
        try await s.recoverPendingBlock()
        #expect(f.chain.headBlock.number == 1)
    }

    /// A development state edit is never dropped: when a block saved before signing must be
    /// finished first, the edit gets the block after it.
    @Test func aStateEditAfterAPendingBlockGetsTheNextBlock() async throws {
        let f = try ChainFixture()
        var source = TransactionList([])
        let pending = try f.chain.build(attributes: f.attributes(timestamp: 1_234), l1Messages: [], transactions: &source)
        try f.chain.savePending(pending)
        let s = try Self.make(f)
        let target = try Address(hex: "0x000000000000000000000000000000000000bEEF")
        let outcomes = await s.mine(count: 1, stateEdits: [StateEdit(address: target, balance: U256(7))])
        guard case .produced(let n, _) = outcomes.last, outcomes.count == 1 else { Issue.record("\(outcomes)"); return }
        #expect(n == 2)
        #expect(try f.chain.block(number: 1)?.hash == pending.block.hash)
        #expect(try f.chain.headContractState.account(target)?.balance == 7)
    }

    @Test func theTickerProducesOneBlockPerSlotAndSkipsSlotsItOverranInto() async throws {
        let f = try ChainFixture()
        let clock = ManualClock()
        let slow = Mutex(false)
        // Signing takes 1.5 block times when `slow` is set (the clock moves while signing).
        let sealer = FakeSealer(onSign: { if slow.withLock({ $0 }) { clock.advance(by: .milliseconds(1500)) } })
        let s = try Self.make(f, sealer: sealer, clock: clock, allowEmpty: true)
        let task = Task { await s.run() }
        // Waits for the ticker's next step however long a busy machine takes (no real-time bound).
        func waitForSleeper() async {
            while clock.sleeperCount == 0 { try? await Task.sleep(for: .milliseconds(1)) }
        }
        func waitForHead(_ n: UInt64) async {
            while f.chain.headBlock.number < n { try? await Task.sleep(for: .milliseconds(1)) }
        }
        await waitForHead(1)  // slot 0 runs at once
        #expect(f.chain.headBlock.number == 1)
        await waitForSleeper()
        clock.advance(by: .milliseconds(1000))  // slot 1
        await waitForHead(2)
        #expect(f.chain.headBlock.number == 2)
        slow.withLock { $0 = true }
        await waitForSleeper()
        clock.advance(by: .milliseconds(1000))  // slot 2 starts at 2 s and its signing ends at 3.5 s
        await waitForHead(3)
        slow.withLock { $0 = false }
        await waitForSleeper()
        #expect(s.counters.skippedSlots == 1)   // slot 3 (3.0 s) was overrun
        #expect(clock.now.offset == .milliseconds(3500))
        clock.advance(by: .milliseconds(500))   // slot 4 at 4 s
        await waitForHead(4)
        #expect(f.chain.headBlock.number == 4)
        #expect(f.chain.headBlock.header.timestamp == 1_700_000_000)
        task.cancel()
        await task.value
    }
}

/// A pool whose every transaction waits for the base fee to fall (its fee cap is below it).
final class BaseFeeWaitingPool: SequencerTransactionPool, Sendable {
    let list = ListPool()
    var hasPendingTransactions: Bool { list.hasPendingTransactions }
    var hasTransactionsWaitingForBaseFee: Bool { list.hasPendingTransactions }
    func blockTransactions(baseFee: U256) -> TransactionList { list.blockTransactions(baseFee: baseFee) }
    func blockCommitted(_ block: SealedBlock, invalid: [Hash32], head: MempoolHead) {
        list.blockCommitted(block, invalid: invalid, head: head)
    }
}

@Suite struct SequencerBaseFeeWaitTests {
    /// Without blocks the base fee never falls: a transaction whose cap is below it (the base
    /// fee rose after it was admitted) would wait for ever on an idle chain. The sequencer
    /// seals empty blocks until the base fee reaches the cap.
    @Test func sealsEmptyBlocksWhileATransactionWaitsForTheBaseFeeToFall() async throws {
        let f = try ChainFixture()
        let pool = BaseFeeWaitingPool()
        let next = f.chain.nextBaseFee
        let cap = next - next / 16  // below the next base fee; the one after (7/8 of it) is below the cap
        try pool.list.add(f.transfer(1, nonce: 0, to: ChainFixture.keys[2].address, value: 1, tip: cap, feeCap: cap))
        let clock = ManualClock()
        let s = try Sequencer(chain: f.chain, pool: pool, l1: FakeL1(), sealer: FakeSealer(), clock: clock,
                              wallClock: { 1_700_000_000 }, configuration: SequencerTests.configuration())
        var included: UInt64?
        for _ in 0..<3 where included == nil {
            _ = await s.step(deadline: clock.now.advanced(by: .milliseconds(800)))
            if !f.chain.headBlock.transactions.isEmpty { included = f.chain.headBlock.number }
        }
        #expect(included == 2, "block 1 empty at base fee \(next), block 2 includes it")
    }
}
