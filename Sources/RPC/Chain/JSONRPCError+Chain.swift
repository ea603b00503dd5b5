import Primitives

extension JSONRPCError {
    /// -32000 geth's "header not found", for a state query about a block above the head.
    public static let headerNotFound = server("header not found")

    /// -32000 geth's "header for hash not found", for a state query naming an unknown block hash.
    public static let headerForHashNotFound = server("header for hash not found")

    /// -32000 for eth_feeHistory with a newest block above the head.
    public static func requestBeyondHead(requested: UInt64, head: UInt64) -> JSONRPCError {
        server("request beyond head block: requested \(requested), head \(head)")
    }

    /// EIP-7966 code 4: the transaction was pooled but not included within the wait; `data` is
    /// its hash.
    public static func inclusionTimeout(hash: Hash32, timeout: Duration) -> JSONRPCError {
        JSONRPCError(code: 4, message: "The transaction was added to the mempool but wasn't processed in \(Self.describe(timeout)).",
                     data: .string(hash.hex))
    }

    /// EIP-7966 code 5: the transaction was pooled but is queued (nonce gap or uncovered cost),
    /// so waiting for it would be pointless; `data` is its hash.
    public static func transactionQueued(hash: Hash32) -> JSONRPCError {
        JSONRPCError(code: 5, message: "The transaction was added to the mempool but wasn't processed due to a missing nonce or insufficient funds. Please double-check your account and try again.",
                     data: .string(hash.hex))
    }

    /// `2s`, `1.5s`, `250ms`.
    static func describe(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        if ms > 1000 { return "\(Double(ms) / 1000)s" }
        return "\(ms)ms"
    }
}

/// Decoding and stateless validation failures of a raw transaction are verdicts: -32000 with
/// geth's wording (`TransactionError.description` is written that way).
extension TransactionError: JSONRPCErrorConvertible {
    public var jsonRPCError: JSONRPCError { .server(description) }
}
