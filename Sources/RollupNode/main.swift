import ArgumentParser

/// The `rollup-node` command. Subcommands are added as the components land.
struct RollupNodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup-node",
        abstract: "A Scroll-style single-signer rollup sequencer.",
        discussion: """
            Runs the sequencer of an L2 chain: builds blocks on a fixed block-time grid, includes \
            L1 messages first under the configured inclusion rule, then mempool transactions, signs \
            each block and serves the chain over JSON-RPC. See README.md.
            """,
        version: "0.1.0"
    )
}

RollupNodeCommand.main()
