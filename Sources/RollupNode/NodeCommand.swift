import ArgumentParser
import Foundation

/// `rollup-node node`: runs the node (and the sequencer with `--sequencer.enabled`).
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run the node: sequence blocks (with --sequencer.enabled) or follow a sequencer (with --follow), and serve JSON-RPC (with --http).",
        discussion: """
            Every flag can also be set by an environment variable: ROLLUP_NODE_ + the flag name in \
            upper case with `.` and `-` as `_` (--sequencer.block-time -> ROLLUP_NODE_SEQUENCER_BLOCK_TIME; \
            boolean flags take true or false). A flag on the command line wins over its variable.

            Development chain: rollup-node node --chain dev --test --sequencer.enabled --sequencer.auto-start --http
            Follower of it: rollup-node node --chain dev --follow http://127.0.0.1:8545 --http --http.port 8546 --datadir /tmp/follower
            """
    )

    @OptionGroup(title: "Chain") var chain: ChainOptions
    @OptionGroup(title: "Sequencer") var sequencer: SequencerOptions
    @OptionGroup(title: "Follower") var follow: FollowOptions
    @OptionGroup(title: "Signer") var signer: SignerOptions
    @OptionGroup(title: "L1") var l1: L1Options
    @OptionGroup(title: "Transaction pool") var txpool: TxPoolOptions
    @OptionGroup(title: "JSON-RPC over HTTP") var http: HTTPOptions
    @OptionGroup(title: "JSON-RPC over WebSocket") var ws: WSOptions
    @OptionGroup(title: "Metrics") var metrics: MetricsOptions
    @OptionGroup(title: "Logging") var log: LogOptions

    /// Namespaces served only on development chains (`--test`), and always there.
    static let developmentNamespaces = ["personal", "evm", "anvil"]

    func validate() throws {
        if follow.enabled && sequencer.enabled {
            throw ValidationError("--follow and --sequencer.enabled are exclusive: a follower takes its blocks from --follow and signs none")
        }
        if follow.enabled && chain.test {
            throw ValidationError("--follow cannot be combined with --test: --test runs a development sequencer; a follower of a development chain needs only --chain and --follow")
        }
        if !chain.test {
            for (flag, names) in [("--http.api", http.namespaces), ("--ws.api", ws.namespaces)] {
                if let name = names.first(where: Self.developmentNamespaces.contains) {
                    throw ValidationError("\(flag): the \"\(name)\" namespace is served only on a development chain (--test)")
                }
            }
        }
        if sequencer.enabled && !chain.test && signer.keyFile == nil && signer.awsKMSKeyID == nil {
            throw ValidationError("--sequencer.enabled needs a block signer: give --signer.key-file or --signer.aws-kms-key-id (or --test for a development chain)")
        }
        if !chain.test && sequencer.enabled && l1.url == nil {
            throw ValidationError("--sequencer.enabled needs --l1.url to read L1 messages (only --test runs without an L1)")
        }
    }

    func run() async throws {
        try await NodeRunner(options: self, environment: ProcessInfo.processInfo.environment).run()
    }
}
