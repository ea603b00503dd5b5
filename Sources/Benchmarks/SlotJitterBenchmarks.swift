import Engine
import Foundation
import Logging
import Primitives
import Storage
import Synchronization

/// Slot-start jitter of the real sequencer (ContinuousClock, RocksDB, mempool) while a load task
/// submits transfers: how late each slot's work starts against the fixed grid.
enum SlotJitterBenchmarks {
    struct Sealer: BlockSealer {
        let key: PrivateKey
        var address: Address { key.address }
        func sign(digest: Hash32, height: UInt64) async throws -> [UInt8] { try key.sign(digest: digest).compact }
    }

    static func run() async throws {
        for (blockMs, budgetMs, seconds, rate) in [(1000, 800, 20, 2_000), (250, 200, 10, 2_000)] {
            try await measure(blockTime: blockMs, budget: budgetMs, seconds: seconds, txPerSecond: rate)
        }
    }

    static func measure(blockTime: Int, budget: Int, seconds: Int, txPerSecond: Int) async throws {
        let senders = (0..<500).map { i in try! PrivateKey(bytes: Keccak.hash256(Array("jitter-\(i)".utf8)).bytes) }
        let (chain, db, path) = try EngineBenchmarks.makeChain(accounts: 10_000, senders: senders)
        defer { db.close(); try? FileManager.default.removeItem(atPath: path) }
        let total = txPerSecond * (seconds + 1)
        let txs = EngineBenchmarks.transfers(senders, perSender: total / senders.count + 1, chainID: chain.spec.chainID, nonceBase: 0)
        let raw = txs.sorted { ($0.0.transaction.nonce ?? 0) < ($1.0.transaction.nonce ?? 0) }.map { $0.0 }
        let mempool = Mempool(configuration: MempoolConfiguration(chainID: chain.spec.chainID), head: chain.mempoolHead)
        let samples = Mutex<[Duration]>([])
        let sequencer = try Sequencer(
            chain: chain, pool: mempool, l1: NoL1(), sealer: Sealer(key: senders[0]), clock: ContinuousClock(),
            wallClock: { UInt64(Date().timeIntervalSince1970) },
            configuration: SequencerConfiguration(blockTime: .milliseconds(blockTime), buildingBudget: .milliseconds(budget),
                                                  allowEmptyBlocks: true, feeRecipient: chain.spec.feeRecipient,
                                                  maxL1Messages: 0, maxTransactions: nil, autoStart: true),
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }),
            slotObserver: { _, lateness in samples.withLock { $0.append(lateness) } })
        let runner = Task { await sequencer.run() }
        // The load: transfers at a steady rate, in batches every 10 ms.
        let load = Task.detached {
            let clock = ContinuousClock()
            let start = clock.now
            var sent = 0
            while sent < raw.count && start.duration(to: clock.now) < .seconds(seconds) {
                let due = Int(Double(txPerSecond) * EngineBenchmarks.ms(start.duration(to: clock.now)) / 1000)
                while sent < min(due, raw.count) { _ = try? mempool.add(raw[sent]); sent += 1 }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return sent
        }
        let sent = await load.value
        runner.cancel()
        await runner.value
        let s = samples.withLock { $0 }.map { EngineBenchmarks.ms($0) }.sorted()
        guard !s.isEmpty else { return }
        let label = "\(blockTime) ms blocks, \(txPerSecond) tx/s offered"
        report("slot-start lateness p50 (\(label))", s[s.count / 2], unit: "ms", decimals: 2)
        report("slot-start lateness p99 (\(label))", s[min(s.count - 1, s.count * 99 / 100)], unit: "ms", decimals: 2)
        report("slot-start lateness max (\(label))", s.last!, unit: "ms", decimals: 2)
        let c = sequencer.counters
        report("slots \(s.count), blocks \(c.blocks), skipped \(c.skippedSlots), txs sent \(sent), head txs total", Double(totalTransactions(chain)), unit: "txs", decimals: 0)
    }

    static func totalTransactions(_ chain: Chain) -> Int {
        var n = 0
        for i in 1...max(1, chain.headBlock.number) { n += (try? chain.block(number: i))??.transactions.count ?? 0 }
        return n
    }
}

