import Testing
import Primitives
@testable import Engine

private typealias F = MempoolFixture

/// Transactions that could never run must not sit in front of their sender's later nonces for
/// ever: refused at admission, dropped after the pool's lifetime, or shown with their reason.
@Suite struct MempoolStuckSenderTests {
    private func rejection(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    private func defaultPool(_ state: InMemoryAccountState, baseFee: U256 = .zero, timestamp: UInt64 = 0,
                             minimumBaseFee: U256 = .zero, lifetime: UInt64 = 3 * 3_600) -> Mempool {
        Mempool(configuration: MempoolConfiguration(chainID: F.chainID, minimumBaseFee: minimumBaseFee, lifetime: lifetime),
                head: F.head(state, baseFee: baseFee, timestamp: timestamp))
    }

    @Test func refusesAZeroTipByDefaultInGethsWords() throws {
        let pool = defaultPool(F.state())
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, tip: 0, fee: 0)) }
                == "transaction underpriced: gas tip cap 0, minimum needed 1")
        #expect(rejection { try pool.add(F.legacy(F.alice, nonce: 0, gasPrice: 0)) }
                == "transaction underpriced: gas tip cap 0, minimum needed 1")
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1, fee: 1, wei: true))  // one wei is enough
        #expect(pool.status.total == 1)
    }

    @Test func refusesAFeeCapBelowTheChainsMinimumBaseFee() throws {
        let pool = defaultPool(F.state(), minimumBaseFee: 1_000)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, tip: 1, fee: 999, wei: true)) }
                == "max fee per gas less than block base fee: maxFeePerGas: 999, baseFee: 1000 (the chain's minimum base fee: this transaction could never be included)")
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1, fee: 1_000, wei: true))
        #expect(pool.status.total == 1)
    }

    @Test func refusesAFeeCapBelowTheNextBlocksBaseFee() throws {
        let pool = defaultPool(F.state(), baseFee: U256(50) * F.gwei)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, fee: 49)) }
                == "max fee per gas less than block base fee: address \(F.alice.address), maxFeePerGas: 49000000000, baseFee: 50000000000")
        try pool.add(F.transfer(F.alice, nonce: 0, fee: 50))
        #expect(pool.status.total == 1)
    }

    @Test func dropsSendersThatCannotExecuteForTheLifetime() throws {
        let state = F.state()
        // Admitted while the base fee was low; then it rises to 50 gwei.
        let pool = defaultPool(state, baseFee: U256(5) * F.gwei, timestamp: 1_000, lifetime: 600)
        try pool.add(F.transfer(F.alice, nonce: 1))               // a nonce gap: queued
        try pool.add(F.transfer(F.bob, nonce: 0, fee: 10))        // fee cap below the base fee
        try pool.add(F.transfer(F.bob, nonce: 1, fee: 100))       // behind bob's first
        try pool.add(F.transfer(F.carol, nonce: 0, fee: 100))     // executable
        try pool.add(F.transfer(F.carol, nonce: 2, fee: 100))     // queued, but carol makes progress
        #expect(pool.status.total == 5)
        try pool.headChanged(to: F.head(state, baseFee: U256(50) * F.gwei, timestamp: 1_000), touchedAccounts: [])

        func advance(to timestamp: UInt64) throws -> MempoolUpdate {
            try pool.headChanged(to: F.head(state, baseFee: U256(50) * F.gwei, timestamp: timestamp), touchedAccounts: [])
        }
        #expect(try advance(to: 1_500).expired.isEmpty)           // younger than the lifetime
        let update = try advance(to: 1_700)
        #expect(Set(update.expired.map(\.sender)) == [F.alice.address, F.bob.address])
        #expect(update.expired.count == 3)
        #expect(pool.status.total == 2)
        #expect(pool.invariantViolations() == [])
    }

    @Test func aNewTransactionRestartsTheLifetime() throws {
        let state = F.state()
        let pool = defaultPool(state, timestamp: 1_000, lifetime: 600)
        try pool.add(F.transfer(F.alice, nonce: 2))
        try pool.headChanged(to: F.head(state, timestamp: 1_500), touchedAccounts: [])
        try pool.add(F.transfer(F.alice, nonce: 3))               // admitted at 1,500
        #expect(try pool.headChanged(to: F.head(state, timestamp: 1_700), touchedAccounts: []).expired.isEmpty)
        #expect(try pool.headChanged(to: F.head(state, timestamp: 2_200), touchedAccounts: []).expired.count == 2)
    }

    @Test func namesWhyEachWaitingTransactionWaits() throws {
        var state = F.state()
        let pool = defaultPool(state, baseFee: U256(5) * F.gwei)
        let a1 = F.transfer(F.alice, nonce: 1)
        let b0 = F.transfer(F.bob, nonce: 0, fee: 10), b1 = F.transfer(F.bob, nonce: 1)
        let c0 = F.transfer(F.carol, nonce: 0), c1 = F.transfer(F.carol, nonce: 1)
        for tx in [a1, b0, b1, c0, c1] { try pool.add(tx) }
        // Another transaction of carol's (say, from another node) drains her balance: it now
        // covers one transfer.
        state[F.carol.address] = Account(nonce: 0, balance: U256(21_000) * U256(100) * F.gwei + 1)
        // And the base fee rises above bob's first fee cap.
        try pool.headChanged(to: F.head(state, baseFee: U256(50) * F.gwei), touchedAccounts: [F.carol.address])
        let reasons = pool.content().waitingReasons.mapValues { "\($0)" }
        #expect(reasons[a1.hash] == "nonce gap: next executable nonce is 0")
        #expect(reasons[b0.hash] == "max fee per gas 10000000000 below base fee 50000000000")
        #expect(reasons[b1.hash] == "waits for nonce 0")
        #expect(reasons[c0.hash] == nil)
        #expect(reasons[c1.hash]?.hasPrefix("insufficient funds: balance 2100000000000001, cost with earlier nonces ") == true)
        #expect(reasons.count == 4)
    }
}
