/// The sequencer's fixed grid of slots: slot k starts at origin + k × block time, whatever
/// building takes. Times are durations since the origin, so the logic is pure and testable.
public struct SlotSchedule: Sendable, Equatable {
    public let blockTime: Duration

    public init(blockTime: Duration) {
        precondition(blockTime > .zero, "block time must be positive (validated at startup)")
        self.blockTime = blockTime
    }

    /// When slot `k` starts.
    public func start(of k: Int64) -> Duration { blockTime * Int(k) }

    /// The slot whose interval [start, start + block time) contains `elapsed`.
    public func slot(containing elapsed: Duration) -> Int64 {
        guard elapsed > .zero else { return 0 }
        return Int64(elapsed / blockTime)
    }

    /// The first slot that starts at or after `elapsed`.
    public func firstSlot(notBefore elapsed: Duration) -> Int64 {
        let k = slot(containing: elapsed)
        return start(of: k) == elapsed ? k : k + 1
    }

    /// After the work of slot `k` ends at `elapsed`: the next slot to run and how many slots the
    /// overrun skipped (slots whose start passed while slot `k` was still working).
    public func next(after k: Int64, finishedAt elapsed: Duration) -> (slot: Int64, skipped: Int64) {
        let next = max(k + 1, firstSlot(notBefore: elapsed))
        return (next, next - (k + 1))
    }
}
