/// The watcher's view of the injected `Clock<Duration>`: a monotonic reading (time since the
/// watcher started) and a sleep, so that the watcher's state can keep instants as `Duration`s.
struct L1WatcherClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { try await clock.sleep(for: $0) }
    }

    /// Time since this value was made; only differences matter.
    var now: Duration { elapsed() }

    func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await sleeper(duration)
    }
}
