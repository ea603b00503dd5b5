import Primitives

/// One sender's transactions in the pool, with the sender's account as of the pool's head.
///
/// `pending` holds the nonces `nonce ..< nonce + pending.count`, each covered by the balance
/// together with the pending ones before it: the transactions the next blocks can execute in
/// order. `queued` holds the rest, sorted by nonce, all at or above `pendingNonce`: those after
/// a gap, and those the balance no longer covers.
struct MempoolSender {
    /// The account nonce at the head.
    var nonce: UInt64
    /// The account balance at the head.
    var balance: U256
    private(set) var pending: [MempoolTransaction] = []
    /// The sum of the pending transactions' costs (never above `balance`).
    private(set) var pendingCost: U256 = .zero
    private(set) var queued: [MempoolTransaction] = []

    init(nonce: UInt64, balance: U256) {
        self.nonce = nonce; self.balance = balance
    }

    var count: Int { pending.count + queued.count }
    var isEmpty: Bool { pending.isEmpty && queued.isEmpty }
    /// The next nonce after the pending run: what eth_getTransactionCount("pending") reports.
    var pendingNonce: UInt64 { nonce + UInt64(pending.count) }
    /// The highest-nonce transaction: the only one that can leave without opening a gap.
    var tail: MempoolTransaction? { queued.last ?? pending.last }
    /// Whether `tail` is pending.
    var tailIsPending: Bool { queued.isEmpty && !pending.isEmpty }

    enum Slot { case pending(Int), queued(Int) }

    /// Where a transaction with `nonce` is, if there is one.
    func slot(of nonce: UInt64) -> Slot? {
        if nonce >= self.nonce, nonce < pendingNonce { return .pending(Int(nonce - self.nonce)) }
        let i = queuedIndex(of: nonce)
        return i < queued.count && queued[i].nonce == nonce ? .queued(i) : nil
    }

    func transaction(at slot: Slot) -> MempoolTransaction {
        switch slot {
        case .pending(let i): pending[i]
        case .queued(let i): queued[i]
        }
    }

    /// The first index in `queued` whose nonce is >= `nonce`.
    private func queuedIndex(of nonce: UInt64) -> Int {
        var lo = 0, hi = queued.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if queued[mid].nonce < nonce { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The summed cost of this sender's transactions with a nonce below `nonce`, pending and
    /// queued (saturating).
    func cost(below nonce: UInt64) -> U256 {
        var sum = U256.zero
        if nonce >= pendingNonce {
            sum = pendingCost
        } else if nonce > self.nonce {
            for tx in pending[..<Int(nonce - self.nonce)] { sum = Self.add(sum, tx.cost) }
        }
        for tx in queued {
            if tx.nonce >= nonce { break }
            sum = Self.add(sum, tx.cost)
        }
        return sum
    }

    /// The summed cost of this sender's transactions with a nonce above `nonce` (saturating).
    /// Linear in those transactions: nothing when `nonce` is the newest.
    func cost(above nonce: UInt64) -> U256 {
        var sum = U256.zero
        for tx in queued.reversed() {
            if tx.nonce <= nonce { break }
            sum = Self.add(sum, tx.cost)
        }
        for tx in pending.reversed() {
            if tx.nonce <= nonce { break }
            sum = Self.add(sum, tx.cost)
        }
        return sum
    }

    static func add(_ a: U256, _ b: U256) -> U256 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? .max : s
    }

    /// Adds `tx`, whose nonce is free and not below `nonce`. Returns true when it went straight
    /// to pending.
    @discardableResult
    mutating func insert(_ tx: MempoolTransaction) -> Bool {
        if tx.nonce == pendingNonce, let sum = coveredSum(adding: tx.cost) {
            pending.append(tx)
            pendingCost = sum
            promote()
            return true
        }
        queued.insert(tx, at: queuedIndex(of: tx.nonce))
        return false
    }

    /// Puts `tx` in the slot of the transaction with the same nonce, then restores the
    /// pending/queued split (a costlier replacement may uncover later transactions).
    mutating func replace(at slot: Slot, with tx: MempoolTransaction) {
        switch slot {
        case .pending(let i): pending[i] = tx
        case .queued(let i): queued[i] = tx
        }
        normalize()
    }

    /// Removes the tail (highest nonce), which leaves no gap.
    @discardableResult
    mutating func removeTail() -> MempoolTransaction? {
        if let tx = queued.popLast() { return tx }
        guard let tx = pending.popLast() else { return nil }
        pendingCost = pendingCost - tx.cost
        return tx
    }

    /// Moves the queued transactions that became contiguous and covered to pending.
    private mutating func promote() {
        var moved = 0
        while moved < queued.count, queued[moved].nonce == pendingNonce, let sum = coveredSum(adding: queued[moved].cost) {
            pending.append(queued[moved])
            pendingCost = sum
            moved += 1
        }
        if moved > 0 { queued.removeFirst(moved) }
    }

    /// pendingCost + cost when the balance covers it.
    private func coveredSum(adding cost: U256) -> U256? {
        let (sum, o) = pendingCost.addingReportingOverflow(cost)
        return !o && sum <= balance ? sum : nil
    }

    /// Sets a new account nonce and balance (after a block, or a reorg), drops transactions
    /// below the nonce and those `drop` selects, and rebuilds the pending run. Returns the
    /// dropped transactions.
    mutating func reset(nonce: UInt64, balance: U256, dropping drop: (MempoolTransaction) -> Bool = { _ in false }) -> [MempoolTransaction] {
        self.nonce = nonce
        self.balance = balance
        var dropped: [MempoolTransaction] = []
        var kept: [MempoolTransaction] = []
        kept.reserveCapacity(count)
        for list in [pending, queued] {
            for tx in list {
                if tx.nonce < nonce || drop(tx) { dropped.append(tx) } else { kept.append(tx) }
            }
        }
        split(kept)
        return dropped
    }

    /// Rebuilds the pending/queued split from the transactions in nonce order.
    private mutating func normalize() { split(pending + queued) }

    private mutating func split(_ all: [MempoolTransaction]) {
        pending.removeAll(keepingCapacity: true)
        pendingCost = .zero
        var i = 0
        while i < all.count, all[i].nonce == pendingNonce, let sum = coveredSum(adding: all[i].cost) {
            pending.append(all[i])
            pendingCost = sum
            i += 1
        }
        queued = Array(all[i...])
    }

    /// Problems with this sender's invariants (for tests).
    func invariantViolations(accountSlots: Int) -> [String] {
        var problems: [String] = []
        var sum = U256.zero
        for (i, tx) in pending.enumerated() {
            if tx.nonce != nonce + UInt64(i) { problems.append("pending nonce \(tx.nonce) at index \(i) from \(nonce)") }
            sum = Self.add(sum, tx.cost)
        }
        if sum != pendingCost { problems.append("pendingCost \(pendingCost) != \(sum)") }
        if sum > balance { problems.append("pending cost \(sum) above balance \(balance)") }
        for (i, tx) in queued.enumerated() {
            if tx.nonce < pendingNonce { problems.append("queued nonce \(tx.nonce) below pending nonce \(pendingNonce)") }
            if i > 0, queued[i - 1].nonce >= tx.nonce { problems.append("queued nonces not increasing at \(tx.nonce)") }
        }
        if let first = queued.first, first.nonce == pendingNonce, coveredSum(adding: first.cost) != nil {
            problems.append("queued nonce \(first.nonce) should have been promoted")
        }
        if count > accountSlots { problems.append("\(count) transactions above the account limit \(accountSlots)") }
        return problems
    }
}
