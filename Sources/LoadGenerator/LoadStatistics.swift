/// Counts and latencies, by when things happened (monotonic nanoseconds). "In the window"
/// means: accepted or included during the measurement window; latencies are of transactions
/// first sent during it, whenever their receipt came.
struct LoadStatistics {
    let start: UInt64
    let window: ClosedRange<UInt64>

    var accepted = 0
    var acceptedInWindow = 0
    var included = 0
    var includedInWindow = 0
    var failedReceipts = 0
    /// Submit-to-receipt, nanoseconds, of transactions first sent in the window.
    var latencies: [UInt64] = []
    /// Transactions first sent in the window (with or without a receipt by the end).
    var sentInWindow = 0
    var rejections: [String: Int] = [:]
    var rejectionExamples: [String: String] = [:]
    var restarts = 0
    var ranOutOfTransactions: UInt64?
    /// Per second since `start`.
    var acceptedPerSecond: [Int] = []
    var includedPerSecond: [Int] = []
    /// Blocks seen by the follower: number, when, transaction count.
    var blocks: [(number: UInt64, at: UInt64, transactions: Int)] = []

    init(start: UInt64, window: ClosedRange<UInt64>) {
        self.start = start
        self.window = window
        latencies.reserveCapacity(1 << 20)
    }

    private func second(_ t: UInt64) -> Int { t > start ? Int((t - start) / 1_000_000_000) : 0 }

    private static func bump(_ a: inout [Int], _ i: Int) {
        if a.count <= i { a.append(contentsOf: repeatElement(0, count: i + 1 - a.count)) }
        a[i] += 1
    }

    mutating func count(accepted t: UInt64) {
        accepted += 1
        if window.contains(t) { acceptedInWindow += 1 }
        Self.bump(&acceptedPerSecond, second(t))
    }

    mutating func count(included t: UInt64, firstSent: UInt64, succeeded: Bool) {
        included += 1
        if !succeeded { failedReceipts += 1 }
        if window.contains(t) { includedInWindow += 1 }
        if window.contains(firstSent) { latencies.append(t &- firstSent) }
        Self.bump(&includedPerSecond, second(t))
    }

    /// The rejection's kind: the node's message up to its first colon ("nonce too low: next
    /// nonce 5, tx nonce 3" -> "nonce too low").
    static func rejectionKind(_ message: String) -> String {
        String(message.prefix { $0 != ":" })
    }

    /// The value at fraction `p` of the sorted latencies, in seconds.
    static func percentile(_ sorted: [UInt64], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let i = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return Double(sorted[max(0, i)]) / 1e9
    }
}
