import Synchronization

/// Fans ``RPCEvent``s out to the subscriptions and filters that listen, in publication order.
///
/// `publish` calls every listener synchronously, one event at a time (a second publisher waits
/// for the first), so a listener sees events in exactly the order they were published and
/// never two at once. Listeners must therefore be quick and must not block: they format and
/// queue, and never wait for a client.
public final class RPCEventHub: Sendable {
    /// Receives every event published after it was added.
    public typealias Listener = @Sendable (RPCEvent) -> Void

    private struct State {
        var listeners: [(id: UInt64, listener: Listener)] = []
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())
    /// Held while listeners run, so that events reach each listener one at a time and in order.
    private let delivery = Mutex(())

    public init() {}

    /// Delivers `event` to every listener, in the order they were added.
    public func publish(_ event: RPCEvent) {
        delivery.withLock { _ in
            let listeners = state.withLock { $0.listeners }
            for entry in listeners { entry.listener(event) }
        }
    }

    /// Adds `listener`; the returned id removes it. Safe to call from inside a listener.
    @discardableResult
    public func addListener(_ listener: @escaping Listener) -> UInt64 {
        state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.listeners.append((id, listener))
            return id
        }
    }

    /// Removes a listener; it gets no event published after this returns, except one that is
    /// being delivered right now on another thread. Safe to call from inside a listener.
    public func removeListener(_ id: UInt64) {
        state.withLock { s in s.listeners.removeAll { $0.id == id } }
    }

    /// How many listeners there are (subscriptions plus the filter store).
    public var listenerCount: Int { state.withLock { $0.listeners.count } }
}
