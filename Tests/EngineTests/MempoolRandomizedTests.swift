import Testing
import Primitives
import TestSupport
@testable import Engine

/// Random admissions, replacements, blocks, balance changes, base-fee changes and reorgs, with
/// the pool's invariants checked after every step. Set RN_TEST_SEED to explore other runs.
struct MempoolRandomizedTests {
    typealias F = MempoolFixture

    @Test func keepsItsInvariantsOverTwentyThousandRandomOperations() async throws {
        let seed = SplitMix64.seedFromEnvironment(default: 0x6d65_6d70_6f6f_6c01)
        var rng = SplitMix64(seed: seed)
        let keys = (0..<12).map(F.key)
        let addresses = keys.map(\.address)  // derived once: each derivation is a point multiplication
        var senderOf: [Address: PrivateKey] = [:]
        for key in keys { senderOf[key.address] = key }
        let one = F.cost(F.transfer(keys[0], nonce: 0))  // a transfer at 100 gwei
        var state = F.state(funding: keys, balance: .zero)
        for (i, key) in keys.enumerated() {
            // From a handful of transfers to plenty.
            state[key.address]!.balance = one * U256(UInt64(2 + i * 3))
        }
        var configuration = MempoolConfiguration(chainID: F.chainID, globalSlots: 24, accountSlots: 8, maxNonceGap: 4)
        configuration.minimumTip = 1
        let pool = Mempool(configuration: configuration, head: F.head(state))
        var baseFee = U256.zero
        // Recent blocks (the state before each and its transactions), for reorgs.
        var history: [(before: InMemoryAccountState, txs: [SignedTransaction])] = []
        var known: [SignedTransaction] = []
        var counts: [String: Int] = [:]

        func check(_ step: Int, _ op: String) {
            var problems = pool.invariantViolations()
            if pool.content().status != pool.status { problems.append("content counts differ from status") }
            for address in addresses {
                let pending = pool.content(from: address).pending
                let nonce = state[address]!.nonce
                if let first = pending.first, first.nonce != nonce { problems.append("\(address): pending starts at \(first.nonce), account nonce \(nonce)") }
                if (try? pool.pendingNonce(of: address)) != nonce + UInt64(pending.count) { problems.append("\(address): pending nonce") }
            }
            if !problems.isEmpty { Issue.record("seed \(seed) step \(step) after \(op): \(problems)") }
        }

        for step in 0..<20_000 {
            // Share the cooperative threads with the async tests that run alongside.
            if step % 200 == 0 { await Task.yield() }
            let roll = Int.random(in: 0..<100, using: &rng)
            let op: String
            switch roll {
            case 0..<70:
                let sender = addresses.randomElement(using: &rng)!
                let key = senderOf[sender]!
                let next = (try? pool.pendingNonce(of: sender)) ?? 0
                let offset = Int.random(in: -2...5, using: &rng)
                let nonce = UInt64(max(0, Int(next) + offset))
                let tip = UInt64.random(in: 0...6, using: &rng)
                let fee = tip + UInt64.random(in: 90...130, using: &rng)
                let fromKnown = roll < 5 && !known.isEmpty
                let tx = fromKnown
                    ? known.randomElement(using: &rng)!
                    : F.transfer(key, nonce: nonce, tip: tip, fee: fee, value: U256(UInt64.random(in: 0...3, using: &rng)))
                do {
                    let admission = fromKnown || roll % 2 == 0 ? try pool.add(raw: tx.encoded) : try pool.add(tx, sender: sender)
                    if let replaced = admission.replaced, pool.contains(hash: replaced.hash) { Issue.record("replaced one kept") }
                    op = admission.evicted.isEmpty ? "add" : "add_evicting"
                    known.append(tx)
                    if known.count > 64 { known.removeFirst() }
                } catch {
                    op = "refused: " + String(error.description.prefix(while: { $0 != ":" }))
                    if !error.isRejection { Issue.record("\(error)") }
                }
            case 70..<82:
                var best = pool.bestTransactions()
                var block: [SignedTransaction] = []
                let size = Int.random(in: 0...20, using: &rng)
                while block.count < size, let tx = best.next() {
                    if Int.random(in: 0..<10, using: &rng) == 0 { best.skipSender(tx.sender); continue }
                    if tx.maxFeePerGas < baseFee { Issue.record("offered \(tx) below the base fee") }
                    block.append(tx.transaction)
                }
                let before = state
                state = MempoolHeadTests.executed(block, on: state, baseFee: baseFee)
                history.append((before, block))
                if history.count > 4 { history.removeFirst() }
                let update = try pool.blockCommitted(includedHashes: block.map(\.hash),
                                                     touchedAccounts: addresses + [F.recipient], head: F.head(state, baseFee: baseFee))
                if update.included != block.count { Issue.record("included \(update.included) of \(block.count)") }
                op = "block of \(block.count)"
            case 82..<88:
                baseFee = U256(UInt64.random(in: 0...120, using: &rng)) * F.gwei
                try pool.headChanged(to: F.head(state, baseFee: baseFee), touchedAccounts: [Address]())
                op = "base fee"
            case 88..<96:
                let address = addresses.randomElement(using: &rng)!
                state[address]!.balance = one * U256(UInt64.random(in: 0...30, using: &rng))
                try pool.headChanged(to: F.head(state, baseFee: baseFee), touchedAccounts: [address])
                op = "balance"
            default:
                guard !history.isEmpty else { op = "no reorg"; break }
                let depth = Int.random(in: 1...history.count, using: &rng)
                let rolledBack = history.suffix(depth)
                history.removeLast(depth)
                state = rolledBack.first!.before
                try pool.headChanged(to: F.head(state, baseFee: baseFee), touchedAccounts: addresses + [F.recipient])
                pool.reinject(rolledBack.flatMap(\.txs))
                op = "reorg of \(depth)"
            }
            counts[op.hasPrefix("refused") ? op : String(op.prefix(while: { $0 != " " })), default: 0] += 1
            check(step, op)
        }
        print("mempool randomized: seed \(seed), \(counts.sorted { $0.key < $1.key }), final \(pool.status)")
        #expect((counts["add"] ?? 0) > 1_000)
        #expect((counts["add_evicting"] ?? 0) > 100)
    }
}
