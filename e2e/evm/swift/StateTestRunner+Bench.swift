// To be moved to Sources/Execution/StateTest/ once evm-core and evm-math are merged (it extends
// StateTestRunner and uses its internal helpers, which this branch does not have). Used by
// `rollup-node evm bench` (EVMBenchCommand.swift beside this file) and e2e/evm/bench.py; the figures
// in the evm-math report were measured with exactly these two files on evm-core f4b5a23 + evm-math.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Primitives

/// One timed state-test entry: the transaction's execution alone (state built beforehand).
public struct StateTestBenchResult: Sendable {
    public var name: String
    public var indexes: (data: Int, gas: Int, value: Int)
    public var gasUsed: UInt64
    /// The best of the runs, in seconds.
    public var bestSeconds: Double
    /// The post state and logs match the file's expected ones.
    public var pass: Bool
}

extension StateTestRunner {
    /// Checks each entry of `fork` against its expected root and logs first, then times
    /// `TransactionProcessor.execute` over the pre state, best of `runs` (parsing, pre-state
    /// building and the root stay outside the timing).
    public func bench(json: Data, runs: Int, emit: (StateTestBenchResult) -> Void) throws {
        let file: [String: StateTestCase]
        do { file = try JSONDecoder().decode([String: StateTestCase].self, from: json) } catch {
            throw Failure.invalidJSON("\(error)")
        }
        let processor = TransactionProcessor(rules: rules)
        let clock = ContinuousClock()
        for name in file.keys.sorted() {
            let test = file[name]!
            guard let entries = test.post[fork] ?? test.post.values.first else { continue }
            let pre = Self.preState(test.pre)
            let block = Self.block(test.env)
            for entry in entries {
                let check = runEntry(name: name, test: test, entry: entry, pre: pre, block: block, processor: processor)
                guard let tx = Self.transaction(test.transaction, entry.indexes) else { continue }
                var best = Double.infinity
                var gasUsed: UInt64 = 0
                for _ in 0..<max(1, runs) {
                    let start = clock.now
                    let result = try? processor.execute(tx, block: block, state: pre)
                    let elapsed = start.duration(to: clock.now)
                    gasUsed = result?.gasUsed ?? 0
                    best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
                }
                emit(StateTestBenchResult(name: name, indexes: (entry.indexes.data, entry.indexes.gas, entry.indexes.value),
                                          gasUsed: gasUsed, bestSeconds: best, pass: check.pass))
            }
        }
    }
}
