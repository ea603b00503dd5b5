/// Bounded retries with exponential backoff and jitter.
///
/// Attempt `k` (1-based) that fails transiently waits a random time in
/// `[d/2, d]` with `d = min(maxBackoff, initialBackoff * 2^(k-1))` before attempt `k+1`.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included (1 means no retry).
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts; self.initialBackoff = initialBackoff; self.maxBackoff = maxBackoff
    }

    /// The wait after failed attempt `attempt` (1-based).
    func backoff<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Duration {
        var ceiling = initialBackoff
        for _ in 1..<max(1, attempt) where ceiling < maxBackoff { ceiling *= 2 }
        ceiling = min(ceiling, maxBackoff)
        let nanos = max(0, ceiling / .nanoseconds(1))
        guard nanos > 1 else { return ceiling }
        let jittered = Double.random(in: 0.5...1.0, using: &generator) * nanos
        return .nanoseconds(Int64(jittered))
    }
}
