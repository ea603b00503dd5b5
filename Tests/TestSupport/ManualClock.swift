import Synchronization

/// The tests' `Clock<Duration>`: time moves only when a test says so, so nothing waits for real
/// time and nothing depends on how busy the machine is.
///
/// - `ManualClock()`: sleepers wait until `advance` passes their deadline, then wake in
///   deadline order (the sequencer's ticker, timeouts a test wants to trigger itself).
/// - `ManualClock(advancingOnSleep: true)`: a sleep returns at once and moves time forward to
///   its deadline, and its length is recorded in `sleeps` (backoff and polling loops, whose
///   waits a test wants to observe rather than pace).
public final class ManualClock: Clock, Sendable {
    public struct Instant: InstantProtocol, Sendable {
        public var offset: Duration
        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (l: Instant, r: Instant) -> Bool { l.offset < r.offset }
    }

    struct Sleeper { let id: Int; let deadline: Instant; let continuation: CheckedContinuation<Void, Error> }
    struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
        var sleeps: [Duration] = []
    }
    let state = Mutex(State())
    /// Whether a sleep moves time forward itself (see the type's documentation).
    public let advancesOnSleep: Bool

    public init(advancingOnSleep: Bool = false) { advancesOnSleep = advancingOnSleep }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The lengths of the sleeps that moved time forward (`advancingOnSleep` clocks), in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Forgets the recorded sleeps.
    public func clearSleeps() { state.withLock { $0.sleeps = [] } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        if advancesOnSleep {
            try Task.checkCancellation()
            let due = state.withLock { s -> [Sleeper] in
                guard deadline > s.now else { return [] }
                s.sleeps.append(s.now.duration(to: deadline))
                return Self.moveTime(to: deadline, in: &s)
            }
            for s in due { s.continuation.resume() }
            await Task.yield()
            return
        }
        let id = state.withLock { s -> Int in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if deadline <= s.now { return true }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: c))
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<Void, Error>? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i).continuation
            }
            c?.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { s in Self.moveTime(to: s.now.advanced(by: duration), in: &s) }
        for s in due { s.continuation.resume() }
    }

    /// Sets `now` and takes out the sleepers that are due, in deadline order.
    private static func moveTime(to instant: Instant, in s: inout State) -> [Sleeper] {
        s.now = instant
        let due = s.sleepers.filter { $0.deadline <= instant }.sorted { $0.deadline < $1.deadline }
        s.sleepers.removeAll { $0.deadline <= instant }
        return due
    }
}
