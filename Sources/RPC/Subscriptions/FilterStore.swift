import JSON
import Primitives
import Synchronization

/// The HTTP filters (`eth_newFilter`, `eth_newBlockFilter`, `eth_newPendingTransactionFilter`):
/// each collects what happened since its last poll, from the node's ``RPCEventHub``.
///
/// - A filter not polled for ``Configuration/timeout`` (5 minutes, geth's) is removed; expiry is
///   checked on every event and every call, against the injected clock.
/// - At most ``Configuration/maxFilters`` filters exist at once; another is refused with a
///   -32000 that says so.
/// - A filter that collects more than ``Configuration/maxChangesPerFilter`` results between two
///   polls is removed (its next poll answers "filter not found", which clients such as web3.py
///   and ethers handle by installing a new filter) rather than growing without bound.
final class FilterStore<C: Clock>: Sendable where C.Duration == Duration {
    struct Configuration: Sendable {
        var timeout: Duration = .seconds(300)
        var maxFilters: Int = 1024
        var maxChangesPerFilter: Int = 10_000
    }

    enum Kind: Sendable {
        case logs(LogFilter)
        case blocks
        case pendingTransactions(fullTransactions: Bool)
    }

    private struct Filter {
        var kind: Kind
        var changes: [JSONValue] = []
        var lastPoll: C.Instant
    }

    private let clock: C
    let configuration: Configuration
    private let state = Mutex([String: Filter]())

    init(hub: RPCEventHub, clock: C, configuration: Configuration = Configuration()) {
        self.clock = clock
        self.configuration = configuration
        hub.addListener { [weak self] event in self?.deliver(event) }
    }

    /// Installs a filter; throws when the store is full.
    func install(_ kind: Kind) throws(JSONRPCError) -> String {
        let now = clock.now
        let id = SubscriptionID.random()
        let full: Bool = state.withLock { filters in
            expire(&filters, now: now)
            guard filters.count < configuration.maxFilters else { return true }
            filters[id] = Filter(kind: kind, lastPoll: now)
            return false
        }
        if full {
            throw .server("too many filters (limit \(configuration.maxFilters)): uninstall filters you no longer poll, or let them expire after 5 minutes")
        }
        return id
    }

    /// What the filter collected since the last poll; nil when there is no such filter.
    func changes(_ id: String) -> [JSONValue]? {
        let now = clock.now
        return state.withLock { filters -> [JSONValue]? in
            expire(&filters, now: now)
            guard var filter = filters[id] else { return nil }
            let out = filter.changes
            filter.changes = []
            filter.lastPoll = now
            filters[id] = filter
            return out
        }
    }

    /// The filter's kind (polling it); nil when there is no such filter.
    func kind(_ id: String) -> Kind? {
        let now = clock.now
        return state.withLock { filters -> Kind? in
            expire(&filters, now: now)
            filters[id]?.lastPoll = now
            return filters[id]?.kind
        }
    }

    func uninstall(_ id: String) -> Bool { state.withLock { $0.removeValue(forKey: id) != nil } }

    var count: Int { state.withLock { $0.count } }

    private func deliver(_ event: RPCEvent) {
        let now = clock.now
        state.withLock { filters in
            expire(&filters, now: now)
            for (id, var filter) in filters {
                let new = Self.results(of: filter.kind, for: event)
                guard !new.isEmpty else { continue }
                filters[id] = nil  // no copy-on-write while appending
                filter.changes += new
                if filter.changes.count <= configuration.maxChangesPerFilter { filters[id] = filter }
            }
        }
    }

    private func expire(_ filters: inout [String: Filter], now: C.Instant) {
        let timeout = configuration.timeout
        for (id, filter) in filters where filter.lastPoll.duration(to: now) > timeout { filters[id] = nil }
    }

    /// What an event adds to a filter of `kind`: block hashes, logs (also removed ones), or
    /// pending transactions (hashes or objects).
    static func results(of kind: Kind, for event: RPCEvent) -> [JSONValue] {
        switch (kind, event) {
        case (.blocks, .newHead(let block)):
            return [ChainJSON.hash(block.hash)]
        case (.logs(let filter), .newHead(let block)):
            return filter.includes(block.number) ? filter.logs(in: block) : []
        case (.logs(let filter), .rolledBack(let removed, _)):
            return removed.filter { filter.includes($0.number) }.flatMap { filter.logs(in: $0, removed: true) }
        case (.pendingTransactions(let full), .pendingTransaction(let pooled)):
            return SubscriptionKind.newPendingTransactions(fullTransactions: full).results(for: event)
        default:
            return []
        }
    }
}

extension LogFilter {
    /// Whether a new block numbered `number` is within the filter's range: numeric bounds
    /// apply, tags (`latest`, …) do not bound.
    func includes(_ number: UInt64) -> Bool {
        guard case .numbers(let from, let to) = range else { return false }
        if case .number(let n) = from, number < n { return false }
        if case .number(let n) = to, number > n { return false }
        return true
    }
}

extension RPCMethodTable {
    /// Registers the filter methods over `hub` (events) and `backend` (eth_getFilterLogs):
    ///
    /// - eth_newFilter [filter] (eth_getLogs's filter object; no `blockHash`), eth_newBlockFilter,
    ///   eth_newPendingTransactionFilter [fullTransactions?] -> a filter id
    /// - eth_getFilterChanges [id] -> what arrived since the last poll: logs (with
    ///   `removed: true` for blocks a rollback undid), block hashes, or transaction hashes
    /// - eth_getFilterLogs [id] -> every log the log filter matches, as eth_getLogs
    /// - eth_uninstallFilter [id] -> whether it existed
    ///
    /// An unknown or expired id answers -32000 "filter not found", as geth.
    public mutating func registerFilterMethods<C: Clock>(
        hub: RPCEventHub, backend: any RPCChainBackend, clock: C, timeout: Duration = .seconds(300), maxFilters: Int = 1024,
        configuration: ChainMethodsConfiguration = ChainMethodsConfiguration()
    ) where C.Duration == Duration {
        let store = FilterStore(hub: hub, clock: clock, configuration: .init(timeout: timeout, maxFilters: maxFilters))
        let chain = ChainMethods(backend: backend, configuration: configuration)
        let maxEntries = configuration.maxLogFilterEntries
        register("eth_newFilter", parameters: 1, execution: .inline) { params in
            let filter = try LogFilter(params.required(0), maxEntries: maxEntries)
            if case .block = filter.range { throw JSONRPCError.invalidParams("invalid argument 0: blockHash is not allowed in eth_newFilter") }
            return .string(try store.install(.logs(filter)))
        }
        register("eth_newBlockFilter", execution: .inline) { _ in .string(try store.install(.blocks)) }
        register("eth_newPendingTransactionFilter", parameters: 0...1, execution: .inline) { params in
            .string(try store.install(.pendingTransactions(fullTransactions: try params.optional(0)?.bool() ?? false)))
        }
        register("eth_getFilterChanges", parameters: 1, execution: .inline) { params in
            guard let changes = store.changes(try params.string(at: 0)) else { throw JSONRPCError.filterNotFound }
            return .array(changes)
        }
        register("eth_getFilterLogs", parameters: 1) { params in
            guard case .logs(let filter)? = store.kind(try params.string(at: 0)) else { throw JSONRPCError.filterNotFound }
            return try await chain.logs(matching: filter)
        }
        register("eth_uninstallFilter", parameters: 1, execution: .inline) { params in
            .bool(store.uninstall(try params.string(at: 0)))
        }
    }
}

extension JSONRPCError {
    /// geth's answer for an unknown or expired filter id.
    static let filterNotFound = JSONRPCError.server("filter not found")
}
