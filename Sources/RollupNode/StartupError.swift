import Engine
import Foundation
import HTTPClient
import L1Watcher
import Primitives
import Signer
import Storage

/// Why the node (or a `signer` subcommand) could not start, with the component's own error:
/// printed as one clear line, exit code 1.
enum StartupError: Error, CustomStringConvertible {
    /// `--chain` names no file.
    case chainSpecNotFound(path: String)
    /// `--chain` names a file that cannot be read (Foundation's error).
    case chainSpecUnreadable(path: String, underlying: any Error)
    /// The chain spec is not valid.
    case chainSpec(ChainSpecError)
    /// The database in the datadir cannot be opened.
    case database(StorageError)
    /// The datadir's chain cannot be opened with this spec.
    case chain(datadir: String, EngineError)
    /// The sequencer cannot start on the chain.
    case sequencer(EngineError)
    /// The L1 watcher's HTTP client cannot be created.
    case l1HTTPClient(HTTPClientError)
    /// The follower's HTTP clients cannot be made.
    case followerHTTPClient(HTTPClientError)
    /// The L1 watcher cannot start.
    case l1Watcher(L1WatcherError)
    /// The signer flags do not select exactly one backend.
    case signerSelection(SignerError)
    /// The signer (or its double-sign journal) cannot be set up.
    case signer(SignerError)
    /// The signer is not the chain's authorized signer (allowed only with `--test`).
    case unauthorizedSigner(signer: Address, authorized: Address)
    /// A service failed while running (errors of the services themselves are untyped).
    case service(any Error)

    var description: String {
        switch self {
        case .chainSpecNotFound(let path): "--chain \(path): no such file (give `dev` or the path of a chain spec JSON file)"
        case .chainSpecUnreadable(let path, let error): "--chain \(path): cannot read the file: \(error.localizedDescription)"
        case .chainSpec(let e): "\(e)"
        case .database(let e): "\(e)"
        case .chain(let datadir, let e): "--datadir \(datadir): \(e)"
        case .sequencer(let e): "\(e)"
        case .l1HTTPClient(let e): "\(e)"
        case .followerHTTPClient(let e): "cannot make the follower's HTTP client: \(e)"
        case .l1Watcher(let e): "\(e)"
        case .signerSelection(let e): e.message
        case .signer(let e): "\(e)"
        case .unauthorizedSigner(let signer, let authorized):
            "the block signer \(signer) is not the chain's authorized signer \(authorized): followers would reject every block"
        case .service(let e): "\(e)"
        }
    }
}
