import ArgumentParser
import Foundation

/// The `rollup-node` command.
struct RollupNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup-node",
        abstract: "A Scroll-style single-signer rollup sequencer.",
        discussion: """
            Runs the sequencer of an L2 chain: builds blocks on a fixed block-time grid, includes \
            L1 messages first under the configured inclusion rule, then mempool transactions, signs \
            each block and serves the chain over JSON-RPC. See README.md.
            """,
        version: "0.1.0",
        subcommands: [NodeCommand.self, SignerCommand.self, EVMCommand.self]
    )
}

/// The entry point: environment variables become flags of `node` (see EnvironmentArguments),
/// then ArgumentParser runs the command.
@main
enum Entry {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "node" {
            do {
                let merged = try EnvironmentArguments.merge(arguments: Array(arguments.dropFirst()),
                                                            environment: ProcessInfo.processInfo.environment)
                arguments = ["node"] + (try EnvironmentArguments.expandMetricsAddress(merged))
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                exit(64)
            }
        }
        await RollupNodeCommand.main(arguments)
    }
}
