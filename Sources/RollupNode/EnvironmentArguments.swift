/// Every flag of `rollup-node node` can also come from an environment variable, as operators
/// who deploy with Docker Compose expect: `ROLLUP_NODE_` + the flag name upper-cased with `.`
/// and `-` turned into `_` (`--sequencer.block-time` -> `ROLLUP_NODE_SEQUENCER_BLOCK_TIME`).
/// A flag given on the command line wins over its variable. Boolean flags take `true`/`1`/`yes`
/// (set) or `false`/`0`/`no` (unset).
enum EnvironmentArguments {
    /// The node command's flags: name and whether it takes a value. A test checks this list
    /// against the command's help so that a new flag cannot miss its variable.
    static let nodeFlags: [(name: String, takesValue: Bool)] = [
        ("chain", true), ("datadir", true), ("test", false), ("archive", false),
        ("sequencer.enabled", false), ("sequencer.auto-start", false), ("sequencer.block-time", true),
        ("sequencer.payload-building-duration", true), ("sequencer.allow-empty-blocks", false), ("sequencer.overrun-guard", true),
        ("sequencer.fee-recipient", true), ("sequencer.l1-inclusion-mode", true),
        ("sequencer.max-l1-messages", true), ("sequencer.max-txs-per-block", true),
        ("follow", true), ("follow.batch-size", true),
        ("signer.key-file", true), ("signer.aws-kms-key-id", true), ("signer.address", true),
        ("signer.allow-insecure-key-file-permissions", false),
        ("l1.url", true), ("l1.poll-interval", true), ("l1.query-range", true),
        ("txpool.pricelimit", true), ("txpool.lifetime", true),
        ("http", false), ("http.addr", true), ("http.port", true), ("http.api", true), ("http.corsdomain", true),
        ("rpc.max-blocks-per-filter", true), ("rpc.max-logs-per-response", true),
        ("ws", false), ("ws.addr", true), ("ws.port", true), ("ws.api", true), ("ws.origins", true),
        ("metrics", false), ("metrics.addr", true), ("metrics.port", true),
        ("log.level", true), ("log.filter", true),
    ]

    static func variableName(for flag: String) -> String {
        "ROLLUP_NODE_" + flag.uppercased().map { $0 == "." || $0 == "-" ? "_" : $0 }.map(String.init).joined()
    }

    enum Problem: Error, CustomStringConvertible {
        case notABoolean(variable: String, value: String)
        var description: String {
            switch self {
            case .notABoolean(let v, let value): "environment variable \(v)=\"\(value)\" is not a boolean: use true or false"
            }
        }
    }

    /// `arguments` (after the subcommand) with a `--flag value` added for every variable that is
    /// set and whose flag is not on the command line.
    static func merge(arguments: [String], environment: [String: String]) throws(Problem) -> [String] {
        var out = arguments
        let given = Set(arguments.compactMap { arg -> String? in
            guard arg.hasPrefix("--") else { return nil }
            return String(arg.dropFirst(2).split(separator: "=", maxSplits: 1).first ?? "")
        })
        for (flag, takesValue) in nodeFlags where !given.contains(flag) {
            let variable = variableName(for: flag)
            guard let value = environment[variable] else { continue }
            if takesValue {
                out.append("--\(flag)=\(value)")
            } else if flag == "metrics", value.contains(":") {
                out.append("--metrics=\(value)")  // reth's form, expanded by `expandMetricsAddress`
            } else {
                switch value.lowercased() {
                case "true", "1", "yes": out.append("--\(flag)")
                case "false", "0", "no", "": break
                default: throw .notABoolean(variable: variable, value: value)
                }
            }
        }
        return out
    }

    /// reth's `--metrics <addr:port>` (also `--metrics=<addr:port>`, and `[::1]:9001` for IPv6)
    /// becomes `--metrics --metrics.addr <addr> --metrics.port <port>`; a bare `--metrics` keeps
    /// geth's meaning (serve on `--metrics.addr`/`--metrics.port`).
    static func expandMetricsAddress(_ arguments: [String]) throws(MetricsAddressProblem) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            var value: String?
            if arg.hasPrefix("--metrics=") {
                value = String(arg.dropFirst("--metrics=".count))
            } else if arg == "--metrics", i + 1 < arguments.count, !arguments[i + 1].hasPrefix("-"),
                      arguments[i + 1].contains(":") {
                value = arguments[i + 1]
                i += 1
            }
            i += 1
            guard let value else { out.append(arg); continue }
            guard let colon = value.lastIndex(of: ":") else { throw .notHostPort(value) }
            var host = String(value[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            let portText = value[value.index(after: colon)...]
            guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { throw .notHostPort(value) }
            out += ["--metrics", "--metrics.addr", host, "--metrics.port", String(port)]
        }
        return out
    }

    struct MetricsAddressProblem: Error, CustomStringConvertible {
        let value: String
        static func notHostPort(_ value: String) -> MetricsAddressProblem { MetricsAddressProblem(value: value) }
        var description: String {
            "--metrics \"\(value)\": expected <address>:<port> (reth's form, e.g. 127.0.0.1:9001), or --metrics alone with --metrics.addr/--metrics.port"
        }
    }
}
