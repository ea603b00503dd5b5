import Testing
import Primitives
import TestSupport
@testable import Engine

/// The order in which the block builder receives transactions.
struct MempoolBestTransactionsTests {
    typealias F = MempoolFixture

    static func labels(_ best: inout MempoolBestTransactions, _ names: [Address: String]) -> [String] {
        var out: [String] = []
        while let tx = best.next() { out.append("\(names[tx.sender]!)\(tx.nonce)") }
        return out
    }

    static let names = [F.alice.address: "a", F.bob.address: "b", F.carol.address: "c"]

    @Test func ordersByTipThenNonceThenArrival() throws {
        let pool = F.pool(F.state())
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 5))
        try pool.add(F.transfer(F.alice, nonce: 1, tip: 1))
        try pool.add(F.transfer(F.alice, nonce: 2, tip: 9))  // behind nonce 1
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 3))
        try pool.add(F.transfer(F.carol, nonce: 0, tip: 5))  // ties with alice 0, arrived later
        try pool.add(F.transfer(F.carol, nonce: 2, tip: 50)) // queued: never offered
        var best = pool.bestTransactions()
        #expect(Self.labels(&best, Self.names) == ["a0", "c0", "b0", "a1", "a2"])
    }

    @Test func skippingASenderDropsTheRestOfItsRun() throws {
        let pool = F.pool(F.state())
        for n in 0..<3 as Range<UInt64> { try pool.add(F.transfer(F.alice, nonce: n, tip: 9 - n)) }
        for n in 0..<2 as Range<UInt64> { try pool.add(F.transfer(F.bob, nonce: n, tip: 3)) }
        var best = pool.bestTransactions()
        let first = best.next()!
        #expect(first.sender == F.alice.address && first.nonce == 0)
        best.skipSender(F.alice.address)
        #expect(Self.labels(&best, Self.names) == ["b0", "b1"])

        var again = pool.bestTransactions()
        _ = again.next()
        let a1 = again.next()!  // tip 8, above bob's 3
        #expect(a1.nonce == 1)
        again.markInvalid(a1)
        #expect(Self.labels(&again, Self.names) == ["b0", "b1"])
    }

    @Test func usesEffectiveTipsAndLeavesOutFeeCapsBelowTheBaseFee() throws {
        // Admitted at 90 gwei; the base fee then rises to 100 (the pool refuses caps below it).
        let pool = F.pool(F.state(), baseFee: U256(90) * F.gwei)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 10, fee: 105))  // effective tip 5
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 6, fee: 200))     // 6
        try pool.add(F.transfer(F.carol, nonce: 0, tip: 1, fee: 99))    // below the base fee
        try pool.add(F.transfer(F.carol, nonce: 1, tip: 50, fee: 500))  // stuck behind it
        try pool.add(F.transfer(F.bob, nonce: 1, tip: 1, fee: 99))      // ends bob's run
        try pool.add(F.transfer(F.bob, nonce: 2, tip: 9, fee: 900))
        try pool.headChanged(to: F.head(F.state(), baseFee: U256(100) * F.gwei), touchedAccounts: [])
        var best = pool.bestTransactions()
        #expect(Self.labels(&best, Self.names) == ["b0", "a0"])
        var cheaper = pool.bestTransactions(baseFee: U256(90) * F.gwei)
        // At 90 gwei: a0 tips 10, b0 6, c0 1 (cap 99), then c1 50; b1 1 ties with c0 and came later.
        #expect(Self.labels(&cheaper, Self.names) == ["a0", "b0", "c0", "c1", "b1", "b2"])
    }

    @Test func isASnapshot() throws {
        let pool = F.pool(F.state())
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1))
        var best = pool.bestTransactions()
        try pool.add(F.transfer(F.alice, nonce: 1, tip: 1))
        try pool.add(F.transfer(F.bob, nonce: 0, tip: 9))
        try pool.blockCommitted(includedHashes: [], touchedAccounts: [F.alice.address], head: F.head(F.state()))
        #expect(Self.labels(&best, Self.names) == ["a0"])
        var fresh = pool.bestTransactions()
        #expect(Self.labels(&fresh, Self.names) == ["b0", "a0", "a1"])
    }

    @Test func takesTheBestFewThousandOutOfManySenders() throws {
        var rng = SplitMix64(seed: SplitMix64.seedFromEnvironment(default: 0x6d65_6d70))
        let keys = (0..<40).map(F.key)
        let pool = F.pool(F.state(funding: keys))
        for (i, key) in keys.enumerated() {
            for n in 0..<UInt64(1 + i % 5) {
                try pool.add(F.transfer(key, nonce: n, tip: UInt64.random(in: 0...20, using: &rng), fee: 1_000))
            }
        }
        // Reference: repeatedly take the best front transaction of any sender.
        var runs = keys.map { pool.content(from: $0.address).pending }
        var expected: [Hash32] = []
        while true {
            var pick: Int?
            for i in runs.indices where !runs[i].isEmpty {
                guard let p = pick else { pick = i; continue }
                let a = runs[i][0], b = runs[p][0]
                if a.maxPriorityFeePerGas > b.maxPriorityFeePerGas
                    || (a.maxPriorityFeePerGas == b.maxPriorityFeePerGas && a.sequence < b.sequence) { pick = i }
            }
            guard let p = pick else { break }
            expected.append(runs[p].removeFirst().hash)
        }
        var best = pool.bestTransactions()
        var got: [Hash32] = []
        while let tx = best.next() { got.append(tx.hash) }
        #expect(got == expected)
        let count = got.count
        #expect(count == pool.status.pending)
    }
}
