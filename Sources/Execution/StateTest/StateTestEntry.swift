#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Primitives

/// One prepared state-test entry (pre-state, block, transaction, expected root), for timing the
/// execution alone (`rollup-node evm bench`).
public struct StateTestEntry {
    public let name: String
    public let dataIndex: Int, gasIndex: Int, valueIndex: Int
    let transaction: ExecutionTransaction?
    let pre: InMemoryState
    let block: BlockEnvironment
    let expectedRoot: Hash32

    /// Executes once and compares the post-state root: (pass, gas used).
    public func check(_ processor: TransactionProcessor) -> (pass: Bool, gasUsed: UInt64) {
        guard let transaction, let result = try? processor.execute(transaction, block: block, state: pre) else {
            return (pre.stateRoot == expectedRoot, 0)
        }
        var state = pre
        state.apply(result.changes)
        return (state.stateRoot == expectedRoot, result.gasUsed)
    }

    /// Executes the transaction over the pre-state (nothing is applied or checked): the part to time.
    public func execute(_ processor: TransactionProcessor) {
        guard let transaction else { return }
        _ = try? processor.execute(transaction, block: block, state: pre)
    }

    /// The entries of one file, for `fork` when given, else Cancun when present, else the first fork.
    public static func entries(json: Data, fork: String? = nil) throws -> [StateTestEntry] {
        let file: [String: StateTestCase]
        do { file = try JSONDecoder().decode([String: StateTestCase].self, from: json) } catch {
            throw StateTestRunner.Failure.invalidJSON("\(error)")
        }
        var out: [StateTestEntry] = []
        for name in file.keys.sorted() {
            let test = file[name]!
            let chosen = fork ?? (test.post["Cancun"] != nil ? "Cancun" : test.post.keys.sorted().first)
            guard let chosen, let posts = test.post[chosen] else { continue }
            let pre = StateTestRunner.preState(test.pre)
            let block = StateTestRunner.block(test.env)
            for post in posts {
                out.append(StateTestEntry(name: name, dataIndex: post.indexes.data, gasIndex: post.indexes.gas,
                                          valueIndex: post.indexes.value,
                                          transaction: StateTestRunner.transaction(test.transaction, post.indexes),
                                          pre: pre, block: block, expectedRoot: StateTestRunner.hash(post.hash)))
            }
        }
        return out
    }
}
