import Foundation
import Primitives
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Prints a line and flushes it at once (stdout is often a pipe or a log file).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

func sleepNanoseconds(_ ns: UInt64) {
    var request = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Shared by the submitter threads, the block follower and the main thread: the plan, the
/// state behind a lock, and how the run ends.
final class LoadController: Sendable {
    let plan: TransactionPlan
    let surviveRestarts: Bool
    private let state: Mutex<LoadState>
    private let failure = Mutex<LoadGeneratorError?>(nil)

    init(plan: TransactionPlan, rate: Double, maxPending: Int, window: ClosedRange<UInt64>, start: UInt64, surviveRestarts: Bool) {
        self.plan = plan
        self.surviveRestarts = surviveRestarts
        state = Mutex(LoadState(rate: rate, maxPending: maxPending, window: window, plan: plan, start: start))
    }

    func dispatch() -> LoadState.Dispatch {
        let now = monotonicNanoseconds()
        return state.withLock { s in s.dispatch(now: now) { plan.senders[$0].hash(nonce: $1) } }
    }

    func accepted(_ job: LoadState.Job) {
        let now = monotonicNanoseconds()
        state.withLock { $0.accepted(job, at: now) }
    }

    func rejected(_ job: LoadState.Job, message: String) {
        let now = monotonicNanoseconds()
        state.withLock { $0.rejected(job, message: message, at: now) }
    }

    /// Of `hashes` (a block's transactions), those still pending.
    func pendingAmong(_ hashes: [Hash32]) -> [Hash32] {
        state.withLock { s in hashes.filter { s.pending[$0] != nil } }
    }

    func included(_ hash: Hash32, succeeded: Bool, at time: UInt64) -> Bool {
        state.withLock { $0.included(hash, succeeded: succeeded, at: time) }
    }

    func blockSeen(number: UInt64, transactions: Int, at time: UInt64) {
        state.withLock { $0.stats.blocks.append((number, time, transactions)) }
    }

    var epoch: Int { state.withLock { $0.epoch } }
    var isPaused: Bool { state.withLock { $0.paused } }
    var isFinished: Bool { state.withLock { $0.finished } }
    var pendingCount: Int { state.withLock { $0.pending.count } }
    /// The whole statistics, for the final report (copying the latencies: call it once, at the end).
    var statistics: LoadStatistics { state.withLock { $0.stats } }

    struct Progress {
        var accepted: Int
        var included: Int
        var pending: Int
        var restarts: Int
        var lastBlock: UInt64?
    }

    var progress: Progress {
        state.withLock { s in
            Progress(accepted: s.stats.accepted, included: s.stats.included, pending: s.pending.count,
                     restarts: s.stats.restarts, lastBlock: s.stats.blocks.last?.number)
        }
    }

    /// Reports a lost node. Without --survive-restarts the run fails; with it, submission
    /// pauses until the follower sees the node again. True when this report is the first.
    @discardableResult
    func connectionLost(epoch: Int, error: LoadGeneratorError) -> Bool {
        let now = monotonicNanoseconds()
        if !surviveRestarts {
            fail(error)
            return true
        }
        return state.withLock { $0.connectionLost(epoch: epoch, at: now) }
    }

    func resume(confirmedNonces: [UInt64]) {
        let now = monotonicNanoseconds()
        state.withLock { $0.resume(confirmedNonces: confirmedNonces, at: now) }
    }

    func stopSubmitting() { state.withLock { $0.stopSubmitting() } }

    func finish() { state.withLock { $0.finished = true } }

    /// Ends the run with an error (the first one wins).
    func fail(_ error: LoadGeneratorError) {
        failure.withLock { if $0 == nil { $0 = error } }
        finish()
    }

    var failureReason: LoadGeneratorError? { failure.withLock { $0 } }
}
