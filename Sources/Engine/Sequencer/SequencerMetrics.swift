import CoreMetrics

/// The sequencer's metrics (swift-metrics: no-ops until the node bootstraps a backend).
/// Names follow Prometheus conventions; see docs/metrics.md.
enum SequencerMetrics {
    /// Building and sealing one block (execution, roots), in seconds.
    static let buildDuration = CoreMetrics.Timer(label: "rollup_node_block_build_duration_seconds")
    /// Signing one block (the signer's round trip), in seconds.
    static let signDuration = CoreMetrics.Timer(label: "rollup_node_block_sign_duration_seconds")
    /// Committing one block (one synced RocksDB batch), in seconds.
    static let commitDuration = CoreMetrics.Timer(label: "rollup_node_block_commit_duration_seconds")
    /// Slots whose block finished after the next slot began.
    static let slotOverruns = CoreMetrics.Counter(label: "rollup_node_slot_overruns_total")
    /// Slots skipped (late wake-ups and overruns).
    static let skippedSlots = CoreMetrics.Counter(label: "rollup_node_skipped_slots_total")
    /// Slots that failed (build, sign or commit error).
    static let failedSlots = CoreMetrics.Counter(label: "rollup_node_failed_slots_total")

    static func record(_ timer: CoreMetrics.Timer, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
