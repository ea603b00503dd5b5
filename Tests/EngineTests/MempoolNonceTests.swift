import Testing
import Primitives
@testable import Engine

/// Pending and queued transactions, the pending nonce, and replacement.
struct MempoolNonceTests {
    typealias F = MempoolFixture

    @Test func queuesBehindAGapAndPromotesWhenItFills() throws {
        let pool = F.pool(F.state())
        #expect(try pool.add(F.transfer(F.alice, nonce: 0)).isPending)
        #expect(try !pool.add(F.transfer(F.alice, nonce: 2)).isPending)
        #expect(try !pool.add(F.transfer(F.alice, nonce: 3)).isPending)
        #expect(pool.status == MempoolStatus(pending: 1, queued: 2))
        #expect(try pool.pendingNonce(of: F.alice.address) == 1)

        #expect(try pool.add(F.transfer(F.alice, nonce: 1)).isPending)
        #expect(pool.status == MempoolStatus(pending: 4, queued: 0))
        #expect(try pool.pendingNonce(of: F.alice.address) == 4)
        let content = pool.content(from: F.alice.address)
        #expect(content.pending.map(\.nonce) == [0, 1, 2, 3])
        #expect(content.queued.isEmpty)
        #expect(pool.invariantViolations() == [])
    }

    @Test func pendingNonceStartsFromTheAccountNonce() throws {
        var state = F.state()
        state[F.bob.address]!.nonce = 7
        let pool = F.pool(state)
        #expect(try pool.pendingNonce(of: F.bob.address) == 7)  // not in the pool: from state
        #expect(try pool.pendingNonce(of: F.recipient) == 0)    // no account at all
        try pool.add(F.transfer(F.bob, nonce: 9))
        #expect(try pool.pendingNonce(of: F.bob.address) == 7)  // a queued one does not count
        try pool.add(F.transfer(F.bob, nonce: 7))
        #expect(try pool.pendingNonce(of: F.bob.address) == 8)
        try pool.add(F.transfer(F.bob, nonce: 8))
        #expect(try pool.pendingNonce(of: F.bob.address) == 10)
    }

    @Test func contentListsPendingAndQueuedBySenderAndNonce() throws {
        let pool = F.pool(F.state())
        let a0 = F.transfer(F.alice, nonce: 0), a5 = F.transfer(F.alice, nonce: 5), b0 = F.transfer(F.bob, nonce: 0)
        for tx in [a0, a5, b0] { try pool.add(tx) }
        let content = pool.content()
        #expect(content.pending[F.alice.address]?[0]?.hash == a0.hash)
        #expect(content.queued[F.alice.address]?[5]?.hash == a5.hash)
        #expect(content.pending[F.bob.address]?[0]?.hash == b0.hash)
        #expect(content.queued[F.bob.address] == nil)
        #expect(content.status == pool.status)
    }

    @Test(arguments: [true, false])
    func replacesWithABumpOfExactlyTenPercent(pending: Bool) throws {
        let pool = F.pool(F.state())
        let nonce: UInt64 = pending ? 0 : 3
        let old = F.transfer(F.alice, nonce: nonce, tip: 10, fee: 100)
        try pool.add(old)

        let required = "replacement transaction underpriced: needs maxFeePerGas >= 110000000000 and maxPriorityFeePerGas >= 11000000000"
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: nonce, tip: 11, fee: 109)) } == required)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: nonce, tip: 10, fee: 200)) } == required)
        // 9.999...% on the fee cap, in wei.
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: nonce, tip: 11_000_000_000, fee: 109_999_999_999, wei: true)) } == required)
        #expect(pool.transaction(hash: old.hash) != nil)

        let new = F.transfer(F.alice, nonce: nonce, tip: 11, fee: 110)
        let admission = try pool.add(new)
        #expect(admission.replaced?.hash == old.hash)
        #expect(admission.isPending == pending)
        #expect(pool.transaction(hash: old.hash) == nil)
        #expect(pool.transaction(hash: new.hash) != nil)
        #expect(pool.status.total == 1)
        #expect(pool.invariantViolations() == [])
    }

    @Test func replacementOfAZeroFeeNeedsOneWeiMore() throws {
        let pool = F.pool(F.state())
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 0, fee: 0))
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, tip: 0, fee: 0, value: 2)) }
                == "replacement transaction underpriced: needs maxFeePerGas >= 1 and maxPriorityFeePerGas >= 1")
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1, fee: 1, wei: true))
    }

    @Test func refusesAReplacementThatWouldLeaveLaterNoncesUncovered() throws {
        let one = F.cost(F.transfer(F.alice, nonce: 0))
        let pool = F.pool(F.state(balance: one * 3 + U256(1_000)))
        for n in 0..<3 as Range<UInt64> { try pool.add(F.transfer(F.alice, nonce: n)) }
        #expect(pool.status == MempoolStatus(pending: 3, queued: 0))
        // Nonce 0 would cost 10% more gas money plus 1000 wei: nonce 2 would no longer be
        // covered and would sit uncovered at the sender's next nonce (geth's overdraft rule).
        let costlier = F.transfer(F.alice, nonce: 0, tip: 2, fee: 110, value: 1_000)
        #expect(throws: MempoolError.overdraft(balance: one * 3 + U256(1_000), otherCost: one * 2, cost: F.cost(costlier))) {
            try pool.add(costlier)
        }
        // Filling a gap is held to the same rule: the queued nonce after it must stay covered.
        let gap = F.pool(F.state(balance: one * 2 + U256(1_000)))
        try gap.add(F.transfer(F.alice, nonce: 0))
        try gap.add(F.transfer(F.alice, nonce: 2))
        #expect(throws: MempoolError.self) { try gap.add(F.transfer(F.alice, nonce: 1)) }
        #expect(pool.status == MempoolStatus(pending: 3, queued: 0))
        #expect(try pool.pendingNonce(of: F.alice.address) == 3)
        #expect(pool.invariantViolations() == [])
    }
}
