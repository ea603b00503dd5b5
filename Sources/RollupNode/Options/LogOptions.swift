import ArgumentParser
import Logging

/// Log verbosity, overall and per component.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log.level"), help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var level: String = "info"

    @Option(name: .customLong("log.filter"),
            help: "Per-component levels, e.g. `engine=debug,rpc=warning` (components: node, sequencer, engine, mempool, signer, watcher, rpc, storage).")
    var filter: String?

    func validate() throws {
        _ = try parsedLevel()
        _ = try parsedFilter()
    }

    /// A level by name; `warn` is accepted for `warning`.
    static func level(_ name: String) -> Logger.Level? {
        let lower = name.lowercased()
        return lower == "warn" ? .warning : Logger.Level(rawValue: lower)
    }

    func parsedLevel() throws -> Logger.Level {
        guard let l = Self.level(level) else {
            throw ValidationError("--log.level \"\(level)\" is not a level: use trace, debug, info, notice, warning, error or critical")
        }
        return l
    }

    func parsedFilter() throws -> [String: Logger.Level] {
        var out: [String: Logger.Level] = [:]
        for part in (filter ?? "").split(separator: ",") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let l = Self.level(String(kv[1])), !kv[0].isEmpty else {
                throw ValidationError("--log.filter: \"\(part)\" is not component=level (e.g. engine=debug)")
            }
            out[String(kv[0])] = l
        }
        return out
    }
}
