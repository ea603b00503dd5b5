/// The connection a call arrived on, for the methods that need one (`eth_subscribe`,
/// `eth_unsubscribe`). The WebSocket server sets ``current`` while it dispatches a message;
/// over HTTP it is nil and those methods answer geth's "notifications not supported".
///
/// A task-local value rather than a handler parameter: the method table stays one table for
/// both transports, and child tasks (a guarded call runs in one) inherit it.
protocol RPCSession: Sendable {
    /// Starts a subscription whose results are sent as `eth_subscription` notifications;
    /// returns its id. Throws when the connection holds its limit of subscriptions.
    func subscribe(_ kind: SubscriptionKind) throws(JSONRPCError) -> String
    /// Ends a subscription of this connection; false when it has no such subscription.
    func unsubscribe(_ id: String) -> Bool
}

enum RPCSessionContext {
    @TaskLocal static var current: (any RPCSession)?
}

extension JSONRPCError {
    /// geth's answer to eth_subscribe over a transport without notifications (HTTP).
    static let notificationsUnsupported = JSONRPCError(code: methodNotFoundCode, message: "notifications not supported")

    /// geth's answer to eth_unsubscribe with an unknown id.
    static let subscriptionNotFound = JSONRPCError.server("subscription not found")

    /// Too many subscriptions on one connection.
    static func tooManySubscriptions(limit: Int) -> JSONRPCError {
        .server("too many subscriptions on this connection (limit \(limit)): unsubscribe first")
    }
}

extension RPCMethodTable {
    /// Registers `eth_subscribe [kind, options?]` and `eth_unsubscribe [id]`. They work on
    /// connections that carry notifications (WebSocket); over HTTP they answer -32601
    /// "notifications not supported", as geth does. Kinds: `newHeads`, `logs` (with an
    /// eth_getLogs-style `address`/`topics` filter; no block range), `newPendingTransactions`
    /// (hashes, or whole transactions with `true`).
    public mutating func registerSubscriptionMethods(maxLogFilterEntries: Int = ChainMethodsConfiguration().maxLogFilterEntries) {
        register("eth_subscribe", parameters: 1...2, execution: .inline) { params in
            guard let session = RPCSessionContext.current else { throw JSONRPCError.notificationsUnsupported }
            let kind = try SubscriptionKind(params, maxFilterEntries: maxLogFilterEntries)
            return .string(try session.subscribe(kind))
        }
        register("eth_unsubscribe", parameters: 1, execution: .inline) { params in
            guard let session = RPCSessionContext.current else { throw JSONRPCError.notificationsUnsupported }
            let id = try params.string(at: 0)
            guard session.unsubscribe(id) else { throw JSONRPCError.subscriptionNotFound }
            return true
        }
    }
}
