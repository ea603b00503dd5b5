import ArgumentParser
import Foundation

/// Access to the L1 chain.
struct L1Options: ParsableArguments {
    @Option(name: .customLong("l1.url"),
            help: "L1 JSON-RPC endpoints, comma-separated; requests fail over between them. Optional with --test.")
    var url: String?

    @Option(name: .customLong("l1.poll-interval"), help: "Milliseconds between L1 polls once caught up.")
    var pollInterval: UInt64 = 2000

    @Option(name: .customLong("l1.query-range"), help: "At most this many L1 blocks per eth_getLogs request.")
    var queryRange: UInt64 = 500

    var urls: [String] {
        OptionValue.list(url)
    }

    func validate() throws {
        if url != nil && urls.isEmpty { throw ValidationError("--l1.url is empty: give one or more comma-separated URLs") }
        for u in urls where !(u.hasPrefix("http://") || u.hasPrefix("https://")) {
            throw ValidationError("--l1.url \"\(u)\" is not an http:// or https:// URL")
        }
        guard pollInterval > 0 else { throw ValidationError("--l1.poll-interval must be greater than 0 milliseconds") }
        guard pollInterval <= OptionValue.maxMilliseconds else {
            throw ValidationError("--l1.poll-interval must be at most \(OptionValue.maxMilliseconds) milliseconds (one hour), got \(pollInterval)")
        }
        guard queryRange > 0 && queryRange <= 10_000 else {
            throw ValidationError("--l1.query-range must be between 1 and 10000 blocks (providers refuse more)")
        }
    }
}
