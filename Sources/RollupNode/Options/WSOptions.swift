import ArgumentParser
import Foundation

/// JSON-RPC over WebSocket (with eth_subscribe).
struct WSOptions: ParsableArguments {
    @Flag(name: .customLong("ws"), help: "Serve JSON-RPC over WebSocket, with eth_subscribe.")
    var enabled = false

    @Option(name: .customLong("ws.addr"), help: "Address to listen on.")
    var addr: String = "127.0.0.1"

    @Option(name: .customLong("ws.port"), help: "Port to listen on (0 picks a free one).")
    var port: Int = 8546

    @Option(name: .customLong("ws.api"),
            help: "Comma-separated namespaces to serve: eth, net, web3, rollupNode, txpool, rollupNodeAdmin, debug; personal, evm and anvil are served (always) with --test only.")
    var api: String = "eth,net,web3,rollupNode"

    @Option(name: .customLong("ws.origins"),
            help: "Comma-separated browser origins allowed to connect (`*` for any); by default only http://localhost and http://127.0.0.1. Clients that send no Origin (not browsers) are always accepted.")
    var origins: String?

    var namespaces: [String] { OptionValue.list(api) }
    var allowedOrigins: [String] { OptionValue.list(origins) }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--ws.port must be between 0 and 65535") }
        guard !addr.isEmpty else { throw ValidationError("--ws.addr is empty") }
        for ns in namespaces where !HTTPOptions.knownNamespaces.contains(ns) {
            throw ValidationError("--ws.api: unknown namespace \"\(ns)\" (known: \(HTTPOptions.knownNamespaces.sorted().joined(separator: ", ")))")
        }
    }
}
