import Testing
import Primitives
@testable import Engine

/// What a sealed block, a changed head or an L1 reorg does to the pool.
struct MempoolHeadTests {
    typealias F = MempoolFixture

    /// The state after `txs` executed: nonces advance, balances pay cost at `baseFee` + value.
    static func executed(_ txs: [SignedTransaction], on state: InMemoryAccountState, baseFee: U256 = .zero) -> InMemoryAccountState {
        var state = state
        for tx in txs {
            let sender = try! tx.recoverSender()
            let t = tx.transaction
            state[sender]!.nonce += 1
            state[sender]!.balance -= U256(t.gasLimit) * t.effectiveGasPrice(baseFee: baseFee) + t.value
            state.accounts[t.to!, default: .empty].balance += t.value
        }
        return state
    }

    @Test func dropsIncludedTransactionsAndKeepsTheRest() throws {
        let state = F.state()
        let pool = F.pool(state)
        let a = (0..<4 as Range<UInt64>).map { F.transfer(F.alice, nonce: $0) }
        let b = F.transfer(F.bob, nonce: 0)
        for tx in a + [b] { try pool.add(tx) }
        let block = Array(a[0..<2]) + [b]
        let after = Self.executed(block, on: state)
        let update = try pool.blockCommitted(includedHashes: block.map(\.hash),
                                             touchedAccounts: [F.alice.address, F.bob.address, F.recipient],
                                             head: F.head(after))
        #expect(update.included == 3 && update.stale == 0)
        #expect(update.status == MempoolStatus(pending: 2, queued: 0))
        #expect(pool.content(from: F.alice.address).pending.map(\.nonce) == [2, 3])
        #expect(try pool.pendingNonce(of: F.alice.address) == 4)
        #expect(try pool.pendingNonce(of: F.bob.address) == 1)
        for tx in block { #expect(!pool.contains(hash: tx.hash)) }
        #expect(pool.invariantViolations() == [])
    }

    @Test func dropsTransactionsWhoseNonceWentStale() throws {
        var state = F.state()
        let pool = F.pool(state)
        for n in 0..<3 as Range<UInt64> { try pool.add(F.transfer(F.alice, nonce: n)) }
        // Nonces 0 and 1 were used by transactions the pool never saw (another submission path).
        state[F.alice.address]!.nonce = 2
        let update = try pool.blockCommitted(includedHashes: [], touchedAccounts: [F.alice.address], head: F.head(state))
        #expect(update.included == 0 && update.stale == 2)
        #expect(pool.content(from: F.alice.address).pending.map(\.nonce) == [2])
        #expect(pool.invariantViolations() == [])
    }

    @Test func demotesWhatTheBalanceNoLongerCoversAndPromotesWhenItDoesAgain() throws {
        var state = F.state()
        let pool = F.pool(state)
        for n in 0..<4 as Range<UInt64> { try pool.add(F.transfer(F.alice, nonce: n)) }
        let one = F.cost(F.transfer(F.alice, nonce: 0))
        state[F.alice.address]!.balance = one * 2 + U256(5)
        try pool.blockCommitted(includedHashes: [], touchedAccounts: [F.alice.address], head: F.head(state))
        #expect(pool.status == MempoolStatus(pending: 2, queued: 2))
        #expect(try pool.pendingNonce(of: F.alice.address) == 2)
        #expect(pool.invariantViolations() == [])

        // Someone pays alice: the queued ones are covered again.
        state[F.alice.address]!.balance = F.ether
        try pool.blockCommitted(includedHashes: [], touchedAccounts: [F.alice.address, F.bob.address], head: F.head(state))
        #expect(pool.status == MempoolStatus(pending: 4, queued: 0))
        #expect(pool.invariantViolations() == [])
    }

    @Test func sendersOfIncludedTransactionsAreRefreshedEvenWhenNotNamed() throws {
        let state = F.state()
        let pool = F.pool(state)
        let txs = (0..<3 as Range<UInt64>).map { F.transfer(F.alice, nonce: $0) }
        for tx in txs { try pool.add(tx) }
        let after = Self.executed([txs[0]], on: state)
        try pool.blockCommitted(includedHashes: [txs[0].hash], touchedAccounts: [], head: F.head(after))
        #expect(pool.content(from: F.alice.address).pending.map(\.nonce) == [1, 2])
        #expect(try pool.pendingNonce(of: F.alice.address) == 3)
    }

    @Test func validatesLaterAdmissionsAgainstTheNewHead() throws {
        var state = F.state()
        let pool = F.pool(state)
        try pool.add(F.transfer(F.alice, nonce: 0))
        state[F.alice.address]!.nonce = 1
        state[F.bob.address]!.nonce = 4
        try pool.blockCommitted(includedHashes: [], touchedAccounts: [F.alice.address, F.bob.address],
                                head: F.head(state, gasLimit: 25_000))
        #expect(rejection { try pool.add(F.transfer(F.bob, nonce: 3)) } == "nonce too low: next nonce 4, tx nonce 3")
        #expect(rejection { try pool.add(F.transfer(F.bob, nonce: 4, gas: 25_001)) }
                == "exceeds block gas limit: gas 25001, block gas limit 25000")
        try pool.add(F.transfer(F.bob, nonce: 4))
        #expect(pool.status == MempoolStatus(pending: 1, queued: 0))
    }

    @Test func aFailedStateReadLeavesThePoolAsItWas() throws {
        let pool = F.pool(F.state())
        try pool.add(F.transfer(F.alice, nonce: 0))
        let broken = MempoolHead(state: FailingAccountState(), baseFee: 7, gasLimit: 1)
        #expect(throws: MempoolError.stateUnavailable(FailingAccountState.error)) {
            try pool.blockCommitted(includedHashes: [], touchedAccounts: [F.alice.address], head: broken)
        }
        #expect(pool.head.baseFee == .zero)
        #expect(pool.status.pending == 1)
    }

    @Test func reinjectsTheTransactionsOfRolledBackBlocks() throws {
        let genesis = F.state()
        let pool = F.pool(genesis)
        let a = (0..<4 as Range<UInt64>).map { F.transfer(F.alice, nonce: $0) }
        let b = F.transfer(F.bob, nonce: 0)
        for tx in a + [b] { try pool.add(tx) }
        // Block 1 includes a0, a1 and b0; a2 and a3 stay.
        let block = [a[0], a[1], b]
        let after = Self.executed(block, on: genesis)
        try pool.blockCommitted(includedHashes: block.map(\.hash), touchedAccounts: [F.alice.address, F.bob.address, F.recipient],
                                head: F.head(after))
        #expect(pool.status == MempoolStatus(pending: 2, queued: 0))

        // An L1 reorg rolls block 1 back: a2 and a3 now wait behind a gap.
        try pool.headChanged(to: F.head(genesis), touchedAccounts: [F.alice.address, F.bob.address, F.recipient])
        #expect(pool.status == MempoolStatus(pending: 0, queued: 2))
        #expect(try pool.pendingNonce(of: F.alice.address) == 0)

        let l1 = SignedTransaction(l1Message: L1MessageTransaction(queueIndex: 0, gasLimit: 50_000, to: F.recipient, value: 0,
                                                                    sender: F.carol.address))
        // Out of order on purpose: the pool sorts by nonce.
        let count = pool.reinject([b, a[1], l1, a[0]])
        #expect(count == 3)
        #expect(pool.status == MempoolStatus(pending: 5, queued: 0))
        #expect(pool.content(from: F.alice.address).pending.map(\.nonce) == [0, 1, 2, 3])
        #expect(pool.invariantViolations() == [])
    }
}
