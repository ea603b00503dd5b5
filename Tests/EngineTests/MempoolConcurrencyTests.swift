import Testing
import Primitives
@testable import Engine

/// Admissions from many tasks while blocks are built and committed.
struct MempoolConcurrencyTests {
    typealias F = MempoolFixture

    @Test func admitsFromEightTasksWhileBlocksAreBuilt() async throws {
        let tasks = 8, sendersPerTask = 6, noncesPerSender: UInt64 = 25
        let keys = (0..<(tasks * sendersPerTask)).map(F.key)
        let genesis = F.state(funding: keys)
        let pool = F.pool(genesis)
        // Each task owns its senders and submits their nonces in order, round-robin.
        let batches: [[[UInt8]]] = (0..<tasks).map { t in
            let mine = keys[(t * sendersPerTask)..<((t + 1) * sendersPerTask)]
            return (0..<noncesPerSender).flatMap { n in
                mine.map { F.transfer($0, nonce: n, tip: 1 + (n * 7 + UInt64(t)) % 5).encoded }
            }
        }

        let (admitted, included) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for batch in batches {
                group.addTask {
                    var ok = 0
                    for raw in batch {
                        try pool.add(raw: raw)
                        ok += 1
                        if ok % 16 == 0 { await Task.yield() }
                    }
                    return (ok, 0)
                }
            }
            group.addTask {
                var state = genesis
                var included = 0
                for _ in 0..<30 {
                    var best = pool.bestTransactions()
                    var block: [SignedTransaction] = []
                    var nextNonce: [Address: UInt64] = [:]
                    while block.count < 40, let tx = best.next() {
                        let expected = nextNonce[tx.sender] ?? state[tx.sender]!.nonce
                        #expect(tx.nonce == expected, "nonce order within a sender")
                        nextNonce[tx.sender] = tx.nonce + 1
                        block.append(tx.transaction)
                    }
                    state = MempoolHeadTests.executed(block, on: state)
                    let touched = Set(block.map { try! $0.recoverSender() }).union([F.recipient])
                    let update = try pool.blockCommitted(includedHashes: block.map(\.hash), touchedAccounts: touched,
                                                         head: F.head(state))
                    #expect(update.included == block.count)
                    included += update.included
                    await Task.yield()
                }
                return (0, included)
            }
            var totals = (0, 0)
            for try await (a, i) in group { totals.0 += a; totals.1 += i }
            return totals
        }

        #expect(admitted == tasks * sendersPerTask * Int(noncesPerSender))
        #expect(pool.status.total + included == admitted)
        #expect(pool.status.queued == 0)
        #expect(pool.invariantViolations() == [])
        var best = pool.bestTransactions()
        var rest = 0
        while best.next() != nil { rest += 1 }
        #expect(rest == pool.status.pending)
    }
}
