import JSON
import Primitives

extension RPCMethodTable {
    /// Registers the methods that need no chain data:
    ///
    /// - `web3_clientVersion` -> `clientVersion`
    /// - `web3_sha3(data)` -> keccak-256 of the bytes
    /// - `net_version` -> `chainID` in decimal
    /// - `net_listening` -> `true`
    /// - `net_peerCount` -> `"0x0"` (a single sequencer has no peers)
    ///
    /// All run ``Execution/inline``: they never block.
    public mutating func registerNodeInfoMethods(chainID: UInt64, clientVersion: String = RPCClientVersion.current) {
        register("web3_clientVersion", execution: .inline) { _ in .string(clientVersion) }
        register("web3_sha3", parameters: 1, execution: .inline) { params in
            .string(Keccak.hash256(try params.data(at: 0)).hex)
        }
        let version = JSONValue.string(String(chainID))
        register("net_version", execution: .inline) { _ in version }
        register("net_listening", execution: .inline) { _ in .bool(true) }
        register("net_peerCount", execution: .inline) { _ in .string("0x0") }
    }
}

/// The `web3_clientVersion` string, in geth's `name/version/os-arch/runtime` shape.
public enum RPCClientVersion {
    /// The node's version.
    public static let version = "v0.1.0"

    /// `rollup-node/v0.1.0/linux-x86_64/swift6`.
    public static var current: String { "rollup-node/\(version)/\(os)-\(arch)/swift6" }

    static var os: String {
        #if os(Linux)
            "linux"
        #elseif os(macOS)
            "darwin"
        #else
            "unknown"
        #endif
    }

    static var arch: String {
        #if arch(x86_64)
            "x86_64"
        #elseif arch(arm64)
            "arm64"
        #else
            "unknown"
        #endif
    }
}
