import Storage

/// Everything that can go wrong in the L1 watcher.
///
/// I/O failures (transport, HTTP status, JSON-RPC errors, storage) say whether trying again
/// later may succeed (`isTransient`); configuration problems (a bad inclusion mode, an L1 that
/// serves another chain, a datadir synced against another L1) do not.
public struct L1WatcherError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A configuration value is unusable (the message names it).
        case invalidConfiguration
        /// `--sequencer.l1-inclusion-mode` is not one of the accepted forms.
        case invalidInclusionMode
        /// An endpoint serves another chain than the chain spec's `l1.chainId`.
        case chainIDMismatch
        /// The datadir's messages were read from another L1 (chain id, queue contract, start block).
        case datadirMismatch
        /// No HTTP response: connection refused, timeout, connection lost.
        case transport
        /// An HTTP status other than 200 (429 included; see `rateLimited`).
        case httpStatus
        /// HTTP 429 or a JSON-RPC rate-limit error.
        case rateLimited
        /// A JSON-RPC error object.
        case rpcError
        /// The provider refused the `eth_getLogs` block range (too many blocks or results).
        case rangeTooLarge
        /// A response that is not the JSON-RPC the watcher expects (bad JSON, bad ABI data).
        case malformedResponse
        /// The L1 chain changed while a range was being read; it is read again.
        case inconsistentL1
        /// The database failed.
        case storage
    }

    public var code: Code
    /// What happened, in words. Names the endpoint by scheme and host only (URLs may carry keys).
    public var message: String
    /// The underlying error (a transport error, a `StorageError`), if any.
    public var underlying: (any Error)?
    /// Whether trying again later may succeed.
    public var isTransient: Bool

    public init(code: Code, message: String, underlying: (any Error)? = nil, isTransient: Bool) {
        self.code = code; self.message = message; self.underlying = underlying; self.isTransient = isTransient
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }

    static func storage(_ error: any Error, _ what: String) -> L1WatcherError {
        L1WatcherError(code: .storage, message: "L1 watcher storage: \(what)", underlying: error,
                       isTransient: (error as? StorageError)?.isTransient ?? false)
    }

    static func malformed(_ message: String) -> L1WatcherError {
        L1WatcherError(code: .malformedResponse, message: message, isTransient: true)
    }
}
