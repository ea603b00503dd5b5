import ArgumentParser
import Foundation

/// The JSON-RPC server.
struct HTTPOptions: ParsableArguments {
    @Flag(name: .customLong("http"), help: "Serve JSON-RPC over HTTP.")
    var enabled = false

    @Option(name: .customLong("http.addr"), help: "Address to listen on.")
    var addr: String = "127.0.0.1"

    @Option(name: .customLong("http.port"), help: "Port to listen on (0 picks a free one).")
    var port: Int = 8545

    @Option(name: .customLong("http.api"),
            help: "Comma-separated namespaces to serve: eth, net, web3, rollupNode, txpool, rollupNodeAdmin, debug; personal, evm and anvil are served (always) with --test only.")
    var api: String = "eth,net,web3,rollupNode"

    @Option(name: .customLong("http.corsdomain"),
            help: "Comma-separated origins allowed by CORS (`*` for any); none by default.")
    var corsDomain: String?

    @Option(name: .customLong("rpc.max-blocks-per-filter"),
            help: "The widest block range one eth_getLogs or eth_getFilterLogs call may cover (HTTP and WebSocket).")
    var maxBlocksPerFilter: UInt64 = 100_000

    @Option(name: .customLong("rpc.max-logs-per-response"),
            help: "The most logs one eth_getLogs or eth_getFilterLogs call returns; a query matching more fails with the range that fits.")
    var maxLogsPerResponse: Int = 20_000

    static let knownNamespaces: Set<String> = ["eth", "net", "web3", "rollupNode", "txpool", "rollupNodeAdmin", "debug", "personal", "evm", "anvil"]

    var namespaces: [String] { OptionValue.list(api) }
    var corsOrigins: [String] { OptionValue.list(corsDomain) }

    func validate() throws {
        guard maxBlocksPerFilter > 0 else { throw ValidationError("--rpc.max-blocks-per-filter must be positive") }
        guard maxLogsPerResponse > 0 else { throw ValidationError("--rpc.max-logs-per-response must be positive") }
        guard (0...65535).contains(port) else { throw ValidationError("--http.port must be between 0 and 65535") }
        guard !addr.isEmpty else { throw ValidationError("--http.addr is empty") }
        for ns in namespaces where !Self.knownNamespaces.contains(ns) {
            throw ValidationError("--http.api: unknown namespace \"\(ns)\" (known: \(Self.knownNamespaces.sorted().joined(separator: ", ")))")
        }
    }
}
