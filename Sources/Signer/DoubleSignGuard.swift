import Primitives

/// The double-sign rule as a value-type state machine (no I/O): which digest each recent height
/// was signed with, and which heights a rollback has reopened.
///
/// Rules: the first digest at a height is recorded and allowed; the same digest again is
/// allowed (a re-sign after a crash); a different digest is refused. A rollback to `h` reopens
/// every height above `h` for one new digest each. To bound memory, only the last
/// `retainedHeights` heights keep their digests; heights below that window are refused outright
/// (nothing can be verified there) unless a rollback reaches below them.
struct DoubleSignGuard: Sendable {
    enum Decision: Equatable {
        /// Nothing recorded at this height: record, then sign.
        case record
        /// This digest is already recorded at this height: sign again, nothing to record.
        case alreadyRecorded
        /// A different digest is recorded here (or the height was pruned, `existing` nil).
        case refuse(existing: Hash32?)
    }

    let retainedHeights: UInt64
    private(set) var digests: [UInt64: Hash32] = [:]
    /// Heights below this without a recorded digest are refused.
    private(set) var prunedBelow: UInt64 = 0
    private(set) var highestHeight: UInt64? = nil

    init(retainedHeights: UInt64) {
        precondition(retainedHeights >= 1, "retainedHeights must be at least 1")
        self.retainedHeights = retainedHeights
    }

    func decide(height: UInt64, digest: Hash32) -> Decision {
        if let existing = digests[height] { return existing == digest ? .alreadyRecorded : .refuse(existing: existing) }
        if height < prunedBelow { return .refuse(existing: nil) }
        return .record
    }

    mutating func apply(_ record: SignatureRecord) {
        switch record {
        case .signed(let height, let digest):
            digests[height] = digest
            highestHeight = max(highestHeight ?? height, height)
        case .withdrawn(let height, let digest):
            if digests[height] == digest {
                digests[height] = nil
                if highestHeight == height { highestHeight = digests.keys.max() }
            }
        case .rollback(let toHeight):
            if toHeight < UInt64.max {
                digests = digests.filter { $0.key <= toHeight }
                prunedBelow = min(prunedBelow, toHeight + 1)
            }
            highestHeight = digests.keys.max()
        case .pruned(let below):
            prunedBelow = below
            digests = digests.filter { $0.key >= below }
            highestHeight = digests.keys.max()
        }
    }

    /// When more than twice `retainedHeights` digests are held, drops those below the window and
    /// returns the records that describe the remaining state (for the store to compact to).
    mutating func pruneIfNeeded() -> [SignatureRecord]? {
        guard UInt64(digests.count) > 2 * retainedHeights, let highest = highestHeight, highest >= retainedHeights else {
            return nil
        }
        apply(.pruned(below: max(prunedBelow, highest - retainedHeights + 1)))
        return snapshot()
    }

    /// Records that rebuild exactly this state.
    func snapshot() -> [SignatureRecord] {
        [.pruned(below: prunedBelow)] + digests.sorted { $0.key < $1.key }.map { .signed(height: $0.key, digest: $0.value) }
    }
}
