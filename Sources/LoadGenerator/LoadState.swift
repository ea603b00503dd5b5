import Primitives

/// What the generator knows about its transactions: which to send next (round robin over the
/// senders, each sender's nonces in order, paced to `rate`), which were sent and are not yet
/// included, and the figures. A value type behind `LoadController`'s lock; every method is
/// quick and takes the current time as an argument.
struct LoadState {
    struct Job: Sendable {
        var sender: Int
        var nonce: UInt64
        var hash: Hash32
        var epoch: Int
        /// When to send it (monotonic nanoseconds).
        var due: UInt64
    }

    enum Dispatch {
        case send(Job)
        /// Nothing to send now: ask again after this many nanoseconds.
        case wait(UInt64)
        /// Submission is over.
        case finished
    }

    /// A transaction handed to a submitter and not yet seen in a block.
    struct Pending {
        var sender: Int32
        var nonce: UInt64
        /// When it was first sent (monotonic nanoseconds).
        var firstSent: UInt64
    }

    let rate: Double
    let maxPending: Int
    let window: ClosedRange<UInt64>
    let planFirst: [UInt64]
    let planEnd: [UInt64]

    var nextNonce: [UInt64]
    /// One past the highest nonce each sender has sent: after a restart, what must be resent.
    var highWater: [UInt64]
    var cursor = 0
    /// False after the window: only resends (after a restart) go out.
    var submitting = true
    var finished = false
    /// The node went away; submitters wait until `resume`.
    var paused = false
    var epoch = 0
    var pacingStart: UInt64
    var paced = 0
    /// Every sender has sent its last pre-signed nonce (resends may still go out).
    var exhausted = false
    /// Senders with nonces to resend (below their high water mark).
    var behind = 0
    var pending: [Hash32: Pending] = [:]
    var stats: LoadStatistics

    init(rate: Double, maxPending: Int, window: ClosedRange<UInt64>, plan: TransactionPlan, start: UInt64) {
        self.rate = rate
        self.maxPending = maxPending
        self.window = window
        planFirst = plan.senders.map(\.firstNonce)
        planEnd = plan.senders.map(\.endNonce)
        nextNonce = planFirst
        highWater = planFirst
        pacingStart = start
        stats = LoadStatistics(start: start, window: window)
        pending.reserveCapacity(maxPending * 2)
    }

    mutating func dispatch(now: UInt64, hash: (Int, UInt64) -> Hash32) -> Dispatch {
        if finished { return .finished }
        if paused { return .wait(20_000_000) }
        let capped = pending.count >= maxPending
        let newAllowed = submitting && !capped && !exhausted
        if !newAllowed && behind == 0 { return .wait(capped ? 1_000_000 : 10_000_000) }
        let n = nextNonce.count
        for _ in 0..<n {
            let s = cursor
            cursor = cursor + 1 == n ? 0 : cursor + 1
            let nonce = nextNonce[s]
            guard nonce < planEnd[s] else { continue }
            let resend = nonce < highWater[s]
            guard resend || newAllowed else { continue }
            nextNonce[s] = nonce + 1
            if resend {
                if nonce + 1 == highWater[s] { behind -= 1 }
            } else {
                highWater[s] = nonce + 1
            }
            var due = now
            if rate > 0 && submitting && !resend {
                due = pacingStart + UInt64(Double(paced) * 1e9 / rate)
                paced += 1
            }
            let h = hash(s, nonce)
            if pending[h] == nil {
                let sent = max(due, now)
                pending[h] = Pending(sender: Int32(s), nonce: nonce, firstSent: sent)
                if window.contains(sent) { stats.sentInWindow += 1 }
            }
            return .send(Job(sender: s, nonce: nonce, hash: h, epoch: epoch, due: due))
        }
        if newAllowed {
            exhausted = true
            if stats.ranOutOfTransactions == nil { stats.ranOutOfTransactions = now }
        }
        return .wait(10_000_000)
    }

    mutating func accepted(_ job: Job, at now: UInt64) {
        stats.count(accepted: now)
    }

    /// A rejection. "already known" and "nonce too low" mean the transaction is (or was) in the
    /// pool or a block: it stays pending for the block follower. Anything else drops it and
    /// rewinds the sender so the nonce is sent again.
    mutating func rejected(_ job: Job, message: String, at now: UInt64) {
        let kind = LoadStatistics.rejectionKind(message)
        stats.rejections[kind, default: 0] += 1
        if stats.rejectionExamples[kind] == nil { stats.rejectionExamples[kind] = message }
        switch kind {
        case "already known": stats.count(accepted: now)
        case "nonce too low": break
        default:
            pending[job.hash] = nil
            let s = job.sender
            if job.nonce < nextNonce[s] {
                if nextNonce[s] >= highWater[s] { behind += 1 }
                nextNonce[s] = job.nonce
            }
        }
    }

    /// The receipt of a pending transaction arrived.
    mutating func included(_ hash: Hash32, succeeded: Bool, at now: UInt64) -> Bool {
        guard let p = pending.removeValue(forKey: hash) else { return false }
        stats.count(included: now, firstSent: p.firstSent, succeeded: succeeded)
        return true
    }

    /// A submitter or the follower lost the node. True when this is news (the first report of
    /// this epoch).
    mutating func connectionLost(epoch: Int, at now: UInt64) -> Bool {
        guard epoch == self.epoch, !paused else { return false }
        paused = true
        stats.restarts += 1
        return true
    }

    /// The node is back: each sender resends from its confirmed nonce (the pool was lost; the
    /// same signed bytes go out again, so included ones are answered "nonce too low").
    mutating func resume(confirmedNonces: [UInt64], at now: UInt64) {
        epoch += 1
        paused = false
        behind = 0
        for s in nextNonce.indices {
            nextNonce[s] = min(max(confirmedNonces[s], planFirst[s]), planEnd[s])
            highWater[s] = max(highWater[s], nextNonce[s])
            if nextNonce[s] < highWater[s] { behind += 1 }
        }
        pacingStart = now
        paced = 0
    }

    /// The window is over: no new transactions, only resends.
    mutating func stopSubmitting() { submitting = false }
}
