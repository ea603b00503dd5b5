import Testing
import Primitives
@testable import Engine

/// The per-sender and global limits, and what gives way when the pool is full.
struct MempoolEvictionTests {
    typealias F = MempoolFixture

    @Test func aSenderAtItsLimitGivesUpItsTailForALowerNonce() throws {
        let pool = F.pool(F.state(), accountSlots: 4)
        for n: UInt64 in [0, 1, 2, 5] { try pool.add(F.transfer(F.alice, nonce: n)) }
        let admission = try pool.add(F.transfer(F.alice, nonce: 3))
        #expect(admission.isPending)
        #expect(admission.evicted.map(\.nonce) == [5])
        #expect(pool.content(from: F.alice.address).pending.map(\.nonce) == [0, 1, 2, 3])
        #expect(pool.status == MempoolStatus(pending: 4, queued: 0))
        #expect(pool.invariantViolations() == [])
    }

    @Test func evictsTheCheapestTailWithoutOpeningAGap() throws {
        let pool = F.pool(F.state(), globalSlots: 4)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 5))
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 1))   // cheapest, but not a tail
        try pool.add(F.transfer(F.bob, nonce: 1, tip: 2))   // bob's tail
        try pool.add(F.transfer(F.alice, nonce: 1, tip: 4))
        let admission = try pool.add(F.transfer(F.carol, nonce: 0, tip: 3))
        #expect(admission.evicted.map(\.nonce) == [1])
        #expect(admission.evicted.map(\.sender) == [F.bob.address])
        #expect(pool.content(from: F.bob.address).pending.map(\.nonce) == [0])
        #expect(pool.status == MempoolStatus(pending: 4, queued: 0))
        // Now bob's nonce 0 (tip 1) is the cheapest tail.
        let next = try pool.add(F.transfer(F.carol, nonce: 1, tip: 2))
        #expect(next.evicted.map(\.sender) == [F.bob.address])
        #expect(pool.content(from: F.bob.address).pending.isEmpty)
        #expect(pool.invariantViolations() == [])
    }

    @Test func refusesWhatIsNotStrictlyBetterThanTheCheapestTail() throws {
        let pool = F.pool(F.state(), globalSlots: 2)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 3))
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 2))
        let underpriced = "transaction underpriced: the pool is full and this transaction pays no more than the cheapest one it could evict"
        #expect(rejection { try pool.add(F.transfer(F.carol, nonce: 0, tip: 2)) } == underpriced)  // equal
        #expect(rejection { try pool.add(F.transfer(F.carol, nonce: 0, tip: 1)) } == underpriced)
        #expect(pool.status.total == 2)
        #expect(try pool.add(F.transfer(F.carol, nonce: 0, tip: 3)).evicted.map(\.sender) == [F.bob.address])
        #expect(pool.invariantViolations() == [])
    }

    @Test func comparesEffectiveTipsAtTheCurrentBaseFee() throws {
        // At base fee 95 gwei, alice's 10-gwei tip under a 100-gwei cap is worth 5.
        let pool = F.pool(F.state(), baseFee: U256(95) * F.gwei, globalSlots: 2)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 10, fee: 100))
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 6, fee: 200))
        let admission = try pool.add(F.transfer(F.carol, nonce: 0, tip: 6, fee: 200))
        #expect(admission.evicted.map(\.sender) == [F.alice.address])
        // A fee cap below the base fee is worth less than any tip.
        let under = F.pool(F.state(), baseFee: U256(90) * F.gwei, globalSlots: 1)
        try under.add(F.transfer(F.alice, nonce: 0, tip: 50, fee: 90))
        try under.headChanged(to: F.head(F.state(), baseFee: U256(95) * F.gwei), touchedAccounts: [])
        #expect(try under.add(F.transfer(F.bob, nonce: 0, tip: 0, fee: 95)).evicted.map(\.sender) == [F.alice.address])
    }

    @Test func queuedTransactionsGiveWayBeforePendingOnes() throws {
        let pool = F.pool(F.state(), globalSlots: 2)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1))
        try pool.add(F.transfer(F.bob, nonce: 5, tip: 90))  // queued behind a gap
        let admission = try pool.add(F.transfer(F.carol, nonce: 0, tip: 2))
        #expect(admission.evicted.map(\.sender) == [F.bob.address])
        // A queued newcomer does not push out a pending transaction.
        #expect(rejection { try pool.add(F.transfer(F.bob, nonce: 5, tip: 90)) }?.hasPrefix("transaction underpriced") == true)
        #expect(pool.invariantViolations() == [])
    }

    @Test func aSenderMayEvictItsOwnQueuedTailToFillAGap() throws {
        let pool = F.pool(F.state(), globalSlots: 2)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 5))
        try pool.add(F.transfer(F.alice, nonce: 2, tip: 5))
        let admission = try pool.add(F.transfer(F.alice, nonce: 1, tip: 5))
        #expect(admission.evicted.map(\.nonce) == [2])
        #expect(pool.content(from: F.alice.address).pending.map(\.nonce) == [0, 1])
        #expect(pool.invariantViolations() == [])
    }

    @Test func replacementsNeedNoRoom() throws {
        let pool = F.pool(F.state(), globalSlots: 1)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1))
        let admission = try pool.add(F.transfer(F.alice, nonce: 0, tip: 2, fee: 110))
        #expect(admission.evicted.isEmpty)
        #expect(admission.replaced != nil)
    }

    @Test func evictionFollowsBaseFeeChanges() throws {
        var state = F.state()
        let pool = F.pool(state, globalSlots: 2)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 10, fee: 100))  // worth 10 now, 5 at base fee 95
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 8, fee: 200))      // worth 8 either way
        #expect(rejection { try pool.add(F.transfer(F.carol, nonce: 0, tip: 7, fee: 200)) }?.hasPrefix("transaction underpriced") == true)
        state[F.recipient] = Account(nonce: 0, balance: 1)
        try pool.headChanged(to: F.head(state, baseFee: U256(95) * F.gwei), touchedAccounts: [F.recipient])
        #expect(try pool.add(F.transfer(F.carol, nonce: 0, tip: 7, fee: 200)).evicted.map(\.sender) == [F.alice.address])
    }
}
