/// The watcher's view of time: a monotonic reading and a sleep, taken from any `Clock` whose
/// durations are `Duration` (`ContinuousClock` in the node, a virtual clock in tests).
public struct L1WatcherClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { try await clock.sleep(for: $0) }
    }

    /// `ContinuousClock`.
    public static var continuous: L1WatcherClock { L1WatcherClock(ContinuousClock()) }

    /// Time since this value was made; only differences matter.
    var now: Duration { elapsed() }

    func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await sleeper(duration)
    }
}
