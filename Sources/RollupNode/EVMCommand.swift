import ArgumentParser
import Execution
import Foundation

/// `rollup-node evm …`: EVM tools.
struct EVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evm",
        abstract: "EVM tools.",
        subcommands: [EVMStateTestCommand.self, EVMBenchCommand.self]
    )
}

/// Runs Ethereum GeneralStateTests files and prints one JSON line per entry.
struct EVMStateTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statetest",
        abstract: "Run GeneralStateTests JSON files (or folders of them, recursed).",
        discussion: "Prints one JSON object per (test, fork, indexes) on stdout, then 'N passed, M failed'. Exits 1 when any fail."
    )

    @Option(name: .long, help: "The fork whose post states are checked. Execution always uses Cancun's rules (the only rule set so far); other forks' entries are run under them, with a warning.")
    var fork = "Cancun"

    @Flag(name: .long, help: "Print EIP-3155 JSON lines for every executed instruction to stderr.")
    var trace = false

    @Option(name: .long, help: "A file of excluded test names, one per line ('name  # reason'); their entries are counted as excluded.")
    var exclusions: String?

    @Argument(help: "GeneralStateTests JSON files or folders.")
    var paths: [String]

    func validate() throws {
        if fork.isEmpty { throw ValidationError("--fork: give a fork name such as Cancun") }
    }

    func run() throws {
        var excluded: Set<String> = []
        if let exclusions {
            let text = try String(contentsOfFile: exclusions, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let name = line.split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if !name.isEmpty { excluded.insert(name) }
            }
        }
        if fork != "Cancun" {
            FileHandle.standardError.write(Data("warning: only Cancun's rules exist; running the \(fork) entries under them\n".utf8))
        }
        let files = try Self.jsonFiles(paths)
        let traceSink: ((String) -> Void)? = trace ? { line in FileHandle.standardError.write(Data((line + "\n").utf8)) } : nil
        let job = StateTestJob(runner: StateTestRunner(rules: .cancun, fork: fork, excluded: excluded, trace: traceSink),
                               files: files)
        // Deep call chains (1024 frames) need more stack than the main thread has.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            job.run()
            done.signal()
        }
        thread.stackSize = 64 << 20  // 1,024 nested frames measured to need 2-4 MB
        thread.start()
        done.wait()
        let totals = job.totals
        if let failure = job.failure { throw failure }
        if totals.excluded > 0 {
            FileHandle.standardError.write(Data("\(totals.excluded) excluded (listed in \(exclusions ?? ""))\n".utf8))
        }
        print("\(totals.passed) passed, \(totals.failed) failed")
        if totals.failed > 0 { throw ExitCode(1) }
    }

    /// The JSON files under each path (a file, or a folder searched recursively), sorted.
    static func jsonFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or folder: \(path)")
            }
            if !isDirectory.boolValue { files.append(path); continue }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let item = enumerator?.nextObject() as? String {
                if item.hasSuffix(".json") { found.append((path as NSString).appendingPathComponent(item)) }
            }
            files += found.sorted()
        }
        return files
    }
}

/// The state-test run on its big-stack thread.
final class StateTestJob: @unchecked Sendable {
    // Safety: used by one thread at a time: the worker until it signals, then the caller.
    let runner: StateTestRunner
    let files: [String]
    var totals = (passed: 0, failed: 0, excluded: 0)
    var failure: (any Error)?

    init(runner: StateTestRunner, files: [String]) { self.runner = runner; self.files = files }

    func run() {
        var out = ""
        do {
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                totals.excluded += try runner.run(json: data) { outcome in
                    if outcome.pass { totals.passed += 1 } else { totals.failed += 1 }
                    out += outcome.jsonLine
                    out += "\n"
                }
                if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
            }
        } catch {
            failure = error
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// Times the execution alone of each state-test entry (after checking its post state once).
struct EVMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time state-test transactions (execution only, best of --runs) under Cancun's rules.",
        discussion: "Prints one JSON line per entry: {\"name\", \"index\", \"gasUsed\", \"seconds\", \"pass\"}. Entries use their Cancun post state when present, else their first fork's."
    )

    @Option(name: .long, help: "Timed runs per entry; the best is printed.")
    var runs = 5

    @Argument(help: "State-test JSON files or folders.")
    var paths: [String]

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs: give at least 1") }
    }

    func run() throws {
        let files = try EVMStateTestCommand.jsonFiles(paths)
        let runs = self.runs
        let job = BenchJob(files: files, runs: runs)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            job.run()
            done.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
        done.wait()
        if let failure = job.failure { throw failure }
        if job.failed > 0 { throw ExitCode(1) }
    }
}

/// The benchmark run on its big-stack thread.
final class BenchJob: @unchecked Sendable {
    // Safety: used by one thread at a time: the worker until it signals, then the caller.
    let files: [String]
    let runs: Int
    var failed = 0
    var failure: (any Error)?

    init(files: [String], runs: Int) { self.files = files; self.runs = runs }

    func run() {
        do {
            for file in files {
                let entries = try StateTestEntry.entries(json: Data(contentsOf: URL(fileURLWithPath: file)))
                for entry in entries {
                    let processor = TransactionProcessor(rules: .cancun)
                    let (pass, gasUsed) = entry.check(processor)
                    if !pass { failed += 1 }
                    var best = Double.infinity
                    let clock = ContinuousClock()
                    for _ in 0..<runs {
                        let elapsed = clock.measure { entry.execute(processor) }
                        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                        best = min(best, seconds)
                    }
                    let name = entry.name.replacingOccurrences(of: "\"", with: "\\\"")
                    print("{\"name\":\"\(name)\",\"index\":{\"data\":\(entry.dataIndex),\"gas\":\(entry.gasIndex),\"value\":\(entry.valueIndex)},\"gasUsed\":\(gasUsed),\"seconds\":\(best),\"pass\":\(pass)}")
                }
            }
        } catch {
            failure = error
        }
    }
}
