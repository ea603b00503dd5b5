import ArgumentParser
import Foundation

/// Follower mode: take signed blocks from a sequencer or another follower (docs/followers.md).
struct FollowOptions: ParsableArguments {
    @Option(name: .customLong("follow"),
            help: "Run as a follower of these nodes: comma-separated HTTP JSON-RPC URLs of the sequencer or of other followers (tried in order; the next one when a source fails or serves a refused block). Without --sequencer.enabled; the blocks must be signed by the chain's authorized signer (or --signer.address).")
    var follow: String?

    @Option(name: .customLong("follow.batch-size"), help: "At most this many blocks per request while catching up (1-256).")
    var batchSize: Int = 64

    var urls: [String] {
        OptionValue.list(follow)
    }

    var enabled: Bool { !urls.isEmpty }

    func validate() throws {
        if let follow, urls.isEmpty {
            throw ValidationError("--follow: no URL in \"\(follow)\" (give http://host:port of a sequencer or follower)")
        }
        for url in urls {
            guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = parsed.host, !host.isEmpty else {
                throw ValidationError("--follow: \"\(url)\" is not an http:// or https:// URL with a host (for example http://10.0.0.5:8545)")
            }
        }
        guard (1...256).contains(batchSize) else { throw ValidationError("--follow.batch-size must be between 1 and 256, got \(batchSize)") }
    }
}
