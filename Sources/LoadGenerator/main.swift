// rollup-load: an end-to-end load generator for rollup-node (see BENCHMARKS.md, "End to end").
// Build in release mode: swift build -c release --product rollup-load --product rollup-node
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(LoadOptions.usage, terminator: "")
    exit(0)
}
do {
    if arguments.first == "make-chain" {
        arguments.removeFirst()
        var senders = BenchAccounts.defaultSenders
        var gasLimit = BenchAccounts.defaultGasLimit
        while let flag = arguments.first {
            arguments.removeFirst()
            guard let value = arguments.first else { throw LoadGeneratorError(.usage, "\(flag) needs a value") }
            arguments.removeFirst()
            switch flag {
            case "--senders":
                guard let n = Int(value), n >= 1 else { throw LoadGeneratorError(.usage, "--senders must be a whole number of at least 1") }
                senders = n
            case "--gas-limit":
                guard let g = UInt64(value), g >= 21_000 else { throw LoadGeneratorError(.usage, "--gas-limit must be at least 21000") }
                gasLimit = g
            default: throw LoadGeneratorError(.usage, "make-chain: unknown flag \(flag) (accepted: --senders, --gas-limit)")
            }
        }
        print(BenchAccounts.chainSpecJSON(senders: senders, gasLimit: gasLimit), terminator: "")
        exit(0)
    }
    try LoadRun(options: LoadOptions.parse(arguments)).run()
} catch {
    FileHandle.standardError.write(Data("rollup-load: \(error)\n".utf8))
    exit((error as? LoadGeneratorError)?.code == .usage ? 2 : 1)
}
