import Primitives

/// How much the pool wants to keep a transaction, for eviction when it is full: executable
/// (pending) transactions rank above queued ones, then the effective tip at the current base
/// fee decides, where a max fee per gas below the base fee counts as a negative tip.
struct MempoolPriority: Comparable, Hashable {
    var isPending: Bool
    /// Whether maxFeePerGas >= baseFee.
    var isIncludable: Bool
    /// The effective tip when includable; otherwise U256.max minus the shortfall below the base
    /// fee, so that a larger shortfall ranks lower.
    var amount: U256

    init(maxFeePerGas: U256, maxPriorityFeePerGas: U256, isPending: Bool, baseFee: U256) {
        self.isPending = isPending
        let (headroom, under) = maxFeePerGas.subtractingReportingOverflow(baseFee)
        if under {
            isIncludable = false
            amount = U256.max - (baseFee - maxFeePerGas)
        } else {
            isIncludable = true
            amount = U256.min(maxPriorityFeePerGas, headroom)
        }
    }

    init(_ tx: MempoolTransaction, isPending: Bool, baseFee: U256) {
        self.init(maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
                  isPending: isPending, baseFee: baseFee)
    }

    static func < (a: MempoolPriority, b: MempoolPriority) -> Bool {
        if a.isPending != b.isPending { return !a.isPending }
        if a.isIncludable != b.isIncludable { return !a.isIncludable }
        return a.amount < b.amount
    }
}

/// A sender's tail transaction, the one the pool may evict from that sender, with its priority
/// when it was pushed. The heap holds stale candidates too; the pool checks each one it pops.
struct MempoolEvictionCandidate: Comparable {
    var priority: MempoolPriority
    var transaction: MempoolTransaction

    /// Cheapest first; among equals the latest arrival goes first.
    static func < (a: MempoolEvictionCandidate, b: MempoolEvictionCandidate) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        return a.transaction.sequence > b.transaction.sequence
    }

    static func == (a: MempoolEvictionCandidate, b: MempoolEvictionCandidate) -> Bool {
        a.priority == b.priority && a.transaction === b.transaction
    }
}
