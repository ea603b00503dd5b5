import ArgumentParser
import Engine
import Foundation

/// Which chain, where its data lives, and development mode.
struct ChainOptions: ParsableArguments {
    @Option(name: .customLong("chain"),
            help: "The chain: `dev` (built-in development chain, under Scroll's latest rules, scroll-galileo) or a path to a chain spec JSON file (docs/chain-spec.md), whose `evm` setting chooses the rules: `cancun` or a Scroll fork (docs/scroll-rules.md). The startup summary names them (evm=).")
    var chain: String

    @Option(name: .customLong("datadir"),
            help: "Data directory (default: $HOME/.local/share/rollup-node/<chain name>).")
    var datadir: String?

    @Flag(name: .customLong("test"),
          help: "Development mode: blocks are signed by a well-known development key unless a signer is given, and no L1 is needed. Never use on a real chain.")
    var test = false

    @Flag(name: .customLong("archive"),
          help: "Serve the state of every block (eth_getBalance, eth_call, ... at any block number or hash). Without it, the head and the 128 blocks below it are served, as on a geth or reth full node.")
    var archive = false

    /// Which blocks' state the node serves.
    var stateHistory: StateHistory { archive ? .archive : .recent(StateHistory.defaultRecentBlocks) }

    func validate() throws {
        guard !chain.isEmpty else { throw ValidationError("--chain is empty: give `dev` or the path of a chain spec") }
        if let datadir, datadir.isEmpty { throw ValidationError("--datadir is empty") }
    }

    /// The datadir to use for a chain named `name`.
    func resolvedDatadir(chainName: String, environment: [String: String]) -> String {
        if let datadir { return datadir }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.local/share/rollup-node/\(chainName)"
    }
}
