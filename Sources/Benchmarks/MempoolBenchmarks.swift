import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Primitives
import TestSupport

/// Mempool throughput: admission of raw pre-signed transfers (decode, sender recovery, state
/// reads, the pool's rules) from one and from two submitting threads, admission into a full
/// pool, taking the best 10,000 transactions out of 50,000, and committing a block of 10,000.
enum MempoolBenchmarks {
    /// Account state in a dictionary, standing in for the engine's head state.
    struct InMemoryState: AccountStateReader {
        var accounts: [Address: Account]
        func account(_ address: Address) throws(EngineError) -> Account? { accounts[address] }
    }

    static let senders = 1_000
    static let perSender = 50
    static let chainID: UInt64 = 1337
    static let recipient = try! Address(hex: "0x000000000000000000000000000000000000dEaD")

    /// One sender's transfers in nonce order.
    struct Batch {
        var sender: Address
        var transactions: [SignedTransaction]
    }

    static func run() {
        var rng = SplitMix64(seed: 0x6d65_6d70)  // TestSupport's: the figures do not depend on the system generator
        let keys = (0..<(senders * 2)).map { i in
            try! PrivateKey(bytes: Keccak.hash256(Array("mempool bench key \(i)".utf8)).bytes)
        }
        func batch(_ key: PrivateKey, count: Int, tips: ClosedRange<UInt64>) -> Batch {
            Batch(sender: key.address, transactions: (0..<count).map { n in
                let tip = U256(UInt64.random(in: tips, using: &rng)) * U256(1_000_000_000)
                let tx = DynamicFeeTransaction(chainID: chainID, nonce: UInt64(n), maxPriorityFeePerGas: tip,
                                               maxFeePerGas: tip + U256(100_000_000_000), gasLimit: 21_000, to: recipient, value: 1)
                return try! Transaction.dynamicFee(tx).signed(with: key)
            })
        }
        let batches = keys[..<senders].map { batch($0, count: perSender, tips: 1...100) }
        // For the full pool: 10,000 transfers from fresh senders, each better paid than most.
        let newcomers = keys[senders...].prefix(senders).map { batch($0, count: 10, tips: 101...200) }
        var accounts: [Address: Account] = [:]
        for b in batches + newcomers { accounts[b.sender] = Account(nonce: 0, balance: U256(1_000_000_000_000_000_000)) }
        let head = MempoolHead(state: InMemoryState(accounts: accounts), baseFee: U256(1_000_000_000), gasLimit: 30_000_000)
        let configuration = MempoolConfiguration(chainID: chainID, globalSlots: senders * perSender)
        let total = senders * perSender
        // Round-robin over senders, nonce by nonce, as independent clients would submit.
        func interleaved(_ batches: [Batch], where keep: (Int) -> Bool = { _ in true }) -> [[UInt8]] {
            var out: [[UInt8]] = []
            for n in 0..<batches[0].transactions.count {
                for (i, b) in batches.enumerated() where keep(i) { out.append(b.transactions[n].encoded) }
            }
            return out
        }
        let all = interleaved(batches)
        let halves = [interleaved(batches) { $0 % 2 == 0 }, interleaved(batches) { $0 % 2 == 1 }]

        func fill(_ pool: Mempool) {
            for b in batches { for tx in b.transactions { try! pool.add(tx, sender: b.sender) } }
        }

        // Admission, one submitter.
        var single: [Double] = []
        for _ in 0..<3 {
            let pool = Mempool(configuration: configuration, head: head)
            single.append(seconds { for raw in all { try! pool.add(raw: raw) } })
            precondition(pool.status.pending == total)
        }
        report("mempool add(raw:) transfers, 1 thread, best of 3", Double(total) / single.min()!, unit: "tx/s", decimals: 0)

        // Admission, two submitters on their own threads, each with its own senders.
        var double: [Double] = []
        var cpuShare: [Double] = []
        for _ in 0..<3 {
            let pool = Mempool(configuration: configuration, head: head)
            let cpuBefore = processCPUSeconds()
            let wall = seconds {
                DispatchQueue.concurrentPerform(iterations: 2) { t in
                    for raw in halves[t] { try! pool.add(raw: raw) }
                }
            }
            double.append(wall)
            cpuShare.append((processCPUSeconds() - cpuBefore) / wall)
            precondition(pool.status.pending == total)
        }
        report("mempool add(raw:) transfers, 2 threads, best of 3", Double(total) / double.min()!, unit: "tx/s", decimals: 0)
        // Below 2 means the threads did not get two cores (a machine shared with other work).
        report("  cores the 2 threads got (process CPU time / wall)", cpuShare.max()!, unit: "", decimals: 2)
        // Calibration: the same two threads doing only sender recovery, which shares nothing.
        let cpuBefore = processCPUSeconds()
        let wall = seconds {
            DispatchQueue.concurrentPerform(iterations: 2) { t in
                for b in batches[(t * senders / 2)..<((t + 1) * senders / 2)].prefix(200) {
                    for tx in b.transactions { blackHole(try! tx.recoverSender()) }
                }
            }
        }
        report("  cores 2 threads of sender recovery alone got", (processCPUSeconds() - cpuBefore) / wall, unit: "", decimals: 2)


        // The pool's own share: known senders, no decoding or recovery.
        var known: [Double] = []
        for _ in 0..<3 {
            let pool = Mempool(configuration: configuration, head: head)
            known.append(seconds { fill(pool) })
        }
        report("mempool add, sender known (rules and lock only)", Double(total) / known.min()!, unit: "tx/s", decimals: 0)

        // A full pool: every newcomer evicts the cheapest tail.
        let full = Mempool(configuration: configuration, head: head)
        fill(full)
        let incoming = interleaved(newcomers)
        let evicting = seconds { for raw in incoming { try! full.add(raw: raw) } }
        precondition(full.status.total == total)
        report("mempool add(raw:) into a full pool (each evicts)", Double(incoming.count) / evicting, unit: "tx/s", decimals: 0)

        // Block building: the best 10,000 of 50,000.
        let pool = Mempool(configuration: configuration, head: head)
        fill(pool)
        var taken: [Double] = []
        var last: [Hash32] = []
        for _ in 0..<20 {
            var hashes: [Hash32] = []
            hashes.reserveCapacity(10_000)
            taken.append(seconds {
                var best = pool.bestTransactions()
                while hashes.count < 10_000, let tx = best.next() { hashes.append(tx.hash) }
            })
            last = hashes
        }
        taken.sort()
        report("mempool best 10,000 of 50,000, median of 20", taken[taken.count / 2] * 1_000, unit: "ms", decimals: 2)

        // Committing that block: 10,000 included, their senders touched.
        var included: [Double] = []
        for _ in 0..<3 {
            let pool = Mempool(configuration: configuration, head: head)
            fill(pool)
            var state = accounts
            var touched = Set<Address>()
            for hash in last {
                let tx = pool.transaction(hash: hash)!
                state[tx.sender]!.nonce += 1
                touched.insert(tx.sender)
            }
            let next = MempoolHead(state: InMemoryState(accounts: state), baseFee: head.baseFee, gasLimit: head.gasLimit)
            included.append(seconds { _ = try! pool.blockCommitted(includedHashes: last, touchedAccounts: touched, head: next) })
            precondition(pool.status.total == total - last.count)
        }
        report("mempool commit of a 10,000-tx block, best of 3", included.min()! * 1_000, unit: "ms", decimals: 2)
    }

    static func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        body()
        let d = start.duration(to: clock.now)
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// CPU time used by the whole process so far.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
