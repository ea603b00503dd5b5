import Synchronization

/// Mutual exclusion across `await`s: one `step()` or `revertToL1Block` at a time, in arrival
/// order. Waiting is not cancellable (the holder finishes promptly once cancelled).
final class AsyncGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { s -> Bool in
                if s.busy { s.waiters.append(continuation); return false }
                s.busy = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.busy = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
