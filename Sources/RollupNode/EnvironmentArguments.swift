/// Every flag of `rollup-node node` can also come from an environment variable, as operators
/// who deploy with Docker Compose expect: `ROLLUP_NODE_` + the flag name upper-cased with `.`
/// and `-` turned into `_` (`--sequencer.block-time` -> `ROLLUP_NODE_SEQUENCER_BLOCK_TIME`).
/// A flag given on the command line wins over its variable. Boolean flags take `true`/`1`/`yes`
/// (set) or `false`/`0`/`no` (unset).
enum EnvironmentArguments {
    /// The node command's flags: name and whether it takes a value. A test checks this list
    /// against the command's help so that a new flag cannot miss its variable.
    static let nodeFlags: [(name: String, takesValue: Bool)] = [
        ("chain", true), ("datadir", true), ("test", false),
        ("sequencer.enabled", false), ("sequencer.auto-start", false), ("sequencer.block-time", true),
        ("sequencer.payload-building-duration", true), ("sequencer.allow-empty-blocks", false),
        ("sequencer.fee-recipient", true), ("sequencer.l1-inclusion-mode", true),
        ("sequencer.max-l1-messages", true), ("sequencer.max-txs-per-block", true),
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
}
