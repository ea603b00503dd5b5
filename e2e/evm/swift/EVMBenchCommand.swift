// To be appended to Sources/RollupNode/EVMCommand.swift (and EVMBenchCommand.self added to EVMCommand's
// subcommands) once evm-core and evm-math are merged; see StateTestRunner+Bench.swift beside this file.
import ArgumentParser
import Execution
import Foundation

/// Times each state-test entry's execution (best of --runs) and prints one JSON line per entry.
struct EVMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the execution of state-test transactions (e.g. ../shared/benchmarks/evm).",
        discussion: "Prints {\"name\", \"index\", \"gasUsed\", \"seconds\", \"mgasPerSecond\", \"pass\"} per entry. The post state is checked first (pass); the timing covers the transaction's execution only, state built beforehand."
    )

    @Option(name: .long, help: "Timed runs per entry; the best is printed.")
    var runs = 5

    @Argument(help: "State-test JSON files or folders.")
    var paths: [String]

    func run() throws {
        let files = try EVMStateTestCommand.jsonFiles(paths)
        let job = EVMBenchJob(runner: StateTestRunner(rules: .cancun, fork: "Cancun"), files: files, runs: runs)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            job.run()
            done.signal()
        }
        thread.stackSize = 1 << 30
        thread.start()
        done.wait()
        if let failure = job.failure { throw failure }
    }
}

/// The benchmark run on its big-stack thread.
final class EVMBenchJob: @unchecked Sendable {
    // Safety: used by one thread at a time: the worker until it signals, then the caller.
    let runner: StateTestRunner
    let files: [String]
    let runs: Int
    var failure: (any Error)?

    init(runner: StateTestRunner, files: [String], runs: Int) { self.runner = runner; self.files = files; self.runs = runs }

    func run() {
        do {
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                try runner.bench(json: data, runs: runs) { r in
                    let mgas = Double(r.gasUsed) / r.bestSeconds / 1e6
                    print("{\"name\":\"\(r.name)\",\"index\":{\"data\":\(r.indexes.data),\"gas\":\(r.indexes.gas),\"value\":\(r.indexes.value)},\"gasUsed\":\(r.gasUsed),\"seconds\":\(r.bestSeconds),\"mgasPerSecond\":\(mgas),\"pass\":\(r.pass)}")
                }
            }
        } catch { failure = error }
    }
}
