import Primitives

/// The mempool's data and rules, as a value type: `Mempool` keeps one behind a mutex and does
/// everything slow (decoding, sender recovery, state reads) before taking the lock.
///
/// Every operation costs time in proportion to the senders it touches, except the occasional
/// rebuild of the eviction heap (after a base-fee change, or when stale entries pile up), which
/// is linear in the number of senders and only happens when the pool is full.
struct MempoolState {
    let configuration: MempoolConfiguration
    private(set) var head: MempoolHead
    /// Increases with every head change, so that a state read taken outside the lock can be
    /// checked against the head it came from.
    private(set) var generation: UInt64 = 0
    private(set) var senders: [Address: MempoolSender] = [:]
    private(set) var byHash: [Hash32: MempoolTransaction] = [:]
    private(set) var pendingCount = 0
    private(set) var queuedCount = 0
    private var nextSequence: UInt64 = 0
    /// Senders' tail transactions, cheapest first, with stale entries that `evict` skips.
    private var eviction = MempoolHeap<MempoolEvictionCandidate>()
    /// Whether `eviction` must be rebuilt before use (the base fee changed, or it is mostly stale).
    private var evictionIsStale = true
    /// The head timestamp of the last lifetime check (see `expireStuckSenders`).
    private var lastExpiryCheck: UInt64 = 0

    init(configuration: MempoolConfiguration, head: MempoolHead) {
        self.configuration = configuration
        self.head = head
    }

    var status: MempoolStatus { MempoolStatus(pending: pendingCount, queued: queuedCount) }

    // MARK: admission

    /// The outcome of `admit`.
    enum Admission {
        case admitted(MempoolAdmission)
        /// The sender is new to the pool and its account was read from an older head: read
        /// again from `head`.
        case staleRead(MempoolHead, generation: UInt64)
    }

    /// Applies the stateful rules to a transaction that passed the stateless ones. `account` is
    /// the sender's account read from the head of `generation` (nil: no such account); the
    /// pool's own copy wins when the sender already has transactions here.
    mutating func admit(_ tx: SignedTransaction, sender address: Address, cost: U256, account: Account?,
                        generation readGeneration: UInt64) throws(MempoolError) -> Admission {
        if byHash[tx.hash] != nil { throw .alreadyKnown }
        var sender: MempoolSender
        if let existing = senders.removeValue(forKey: address) {
            sender = existing
        } else {
            guard readGeneration == generation else { return .staleRead(head, generation: generation) }
            sender = MempoolSender(nonce: account?.nonce ?? 0, balance: account?.balance ?? .zero)
        }
        let before = (sender.pending.count, sender.queued.count)
        var changed = false
        defer {
            pendingCount += sender.pending.count - before.0
            queuedCount += sender.queued.count - before.1
            if !sender.isEmpty {
                if changed { pushEvictionCandidate(of: sender) }
                senders[address] = sender
            }
        }
        let nonce = tx.transaction.nonce ?? 0
        if nonce < sender.nonce { throw .nonceTooLow(next: sender.nonce, nonce: nonce) }
        let slot = sender.slot(of: nonce)
        if let slot {
            try checkReplacement(of: sender.transaction(at: slot), by: tx.transaction)
        } else {
            let (limit, overflow) = sender.pendingNonce.addingReportingOverflow(configuration.maxNonceGap)
            if !overflow, nonce > limit {
                throw .nonceTooHigh(next: sender.pendingNonce, nonce: nonce, maxGap: configuration.maxNonceGap)
            }
        }
        let pendingCost = sender.cost(below: nonce)
        let (need, overflow) = pendingCost.addingReportingOverflow(cost)
        if overflow || need > sender.balance {
            throw .insufficientFunds(balance: sender.balance, pendingCost: pendingCost, cost: cost)
        }
        // geth's overdraft rule: with this one in (replacing any at its nonce), the balance must
        // still cover every transaction of the sender, so none of the later ones is left
        // uncovered in front of the sender's next nonce.
        let others = sender.cost(above: nonce)
        let (total, o2) = need.addingReportingOverflow(others)
        if o2 || total > sender.balance {
            throw .overdraft(balance: sender.balance, otherCost: others, cost: cost)
        }

        var evicted: [MempoolTransaction] = []
        if let slot {
            let entry = makeEntry(tx, sender: address, cost: cost)
            let old = sender.transaction(at: slot)
            changed = true
            sender.replace(at: slot, with: entry)
            byHash[old.hash] = nil
            byHash[entry.hash] = entry
            return .admitted(MempoolAdmission(transaction: entry, isPending: isPending(nonce, in: sender),
                                              replaced: old, evicted: []))
        }
        if sender.count >= configuration.accountSlots {
            // Lower nonces are worth more to a sender: give up its tail for a nonce below it.
            guard let tail = sender.tail, tail.nonce > nonce else {
                throw .accountLimitExceeded(limit: configuration.accountSlots)
            }
            changed = true
            sender.removeTail()
            byHash[tail.hash] = nil
            evicted.append(tail)
        } else if byHash.count >= configuration.globalSlots {
            let priority = MempoolPriority(maxFeePerGas: tx.transaction.maxFeePerGas, maxPriorityFeePerGas: tx.transaction.maxPriorityFeePerGas,
                                           isPending: nonce == sender.pendingNonce, baseFee: head.baseFee)
            evicted.append(try evict(for: priority, sender: address, nonce: nonce, local: &sender))
        }
        let entry = makeEntry(tx, sender: address, cost: cost)
        changed = true
        let pending = sender.insert(entry)
        byHash[entry.hash] = entry
        return .admitted(MempoolAdmission(transaction: entry, isPending: pending, replaced: nil, evicted: evicted))
    }

    private mutating func makeEntry(_ tx: SignedTransaction, sender: Address, cost: U256) -> MempoolTransaction {
        nextSequence += 1
        return MempoolTransaction(transaction: tx, sender: sender, sequence: nextSequence, cost: cost,
                                  admittedAt: head.timestamp)
    }

    private func isPending(_ nonce: UInt64, in sender: MempoolSender) -> Bool {
        if case .pending = sender.slot(of: nonce) { return true }
        return false
    }

    /// geth's rule: both fee fields must rise strictly and by at least the price bump.
    private func checkReplacement(of old: MempoolTransaction, by tx: Transaction) throws(MempoolError) {
        let fee = bumped(old.maxFeePerGas), tip = bumped(old.maxPriorityFeePerGas)
        if tx.maxFeePerGas < fee || tx.maxPriorityFeePerGas < tip {
            throw .replacementUnderpriced(requiredMaxFeePerGas: fee, requiredMaxPriorityFeePerGas: tip)
        }
    }

    /// The least a replacement must offer for `value`: value * (100 + bump) / 100, and at
    /// least value + 1 (saturating).
    func bumped(_ value: U256) -> U256 {
        let (q, r) = value.quotientAndRemainder(dividingBy: 100 as UInt64)
        let bump = U256(configuration.priceBumpPercent)
        let (a, o1) = q.multipliedReportingOverflow(by: bump)
        let (b, _) = U256(r).multipliedReportingOverflow(by: bump)  // r < 100: no overflow
        let (increase, o2) = a.addingReportingOverflow(b / 100)
        let (total, o3) = value.addingReportingOverflow(Swift.max(increase, .one))
        return o1 || o2 || o3 ? .max : total
    }

    // MARK: eviction

    /// Removes the cheapest transaction the pool can give up for one with `priority` from
    /// `address` at `nonce`, or throws when none is strictly cheaper. `local` is that sender's
    /// state, taken out of `senders` for the admission.
    private mutating func evict(for priority: MempoolPriority, sender address: Address, nonce: UInt64,
                                local: inout MempoolSender) throws(MempoolError) -> MempoolTransaction {
        if evictionIsStale { rebuildEviction(including: local) }
        var heldBack: MempoolEvictionCandidate?
        defer { if let heldBack { eviction.push(heldBack) } }
        while let candidate = eviction.popFirst() {
            let tx = candidate.transaction
            // Only flags, no copy of the owner: its arrays must stay uniquely referenced.
            let owner = tx.sender == address
                ? (isTail: local.tail === tx, tailIsPending: local.tailIsPending)
                : senders[tx.sender].map { (isTail: $0.tail === tx, tailIsPending: $0.tailIsPending) }
            guard let owner, owner.isTail else { continue }  // stale
            let current = MempoolPriority(tx, isPending: owner.tailIsPending, baseFee: head.baseFee)
            if current != candidate.priority {
                eviction.push(MempoolEvictionCandidate(priority: current, transaction: tx))
                continue
            }
            // Evicting the sender's own tail below the new nonce would open a gap before it.
            if tx.sender == address, tx.nonce < nonce { heldBack = candidate; continue }
            guard candidate.priority < priority else {
                eviction.push(candidate)
                throw .underpricedForFullPool
            }
            if tx.sender == address {
                local.removeTail()  // counted by admit's before/after comparison
            } else {
                var victim = senders.removeValue(forKey: tx.sender)!
                victim.removeTail()
                if owner.tailIsPending { pendingCount -= 1 } else { queuedCount -= 1 }
                if !victim.isEmpty {
                    pushEvictionCandidate(of: victim)
                    senders[tx.sender] = victim
                }
            }
            byHash[tx.hash] = nil
            return tx
        }
        throw .poolFull
    }

    private mutating func pushEvictionCandidate(of sender: MempoolSender) {
        guard !evictionIsStale, let tail = sender.tail else { return }
        if eviction.count > 2 * senders.count + 1_024 {
            // Mostly stale entries: start over when next needed.
            eviction.removeAll()
            evictionIsStale = true
            return
        }
        eviction.push(MempoolEvictionCandidate(
            priority: MempoolPriority(tail, isPending: sender.tailIsPending, baseFee: head.baseFee), transaction: tail))
    }

    private mutating func rebuildEviction(including local: MempoolSender) {
        var candidates: [MempoolEvictionCandidate] = []
        candidates.reserveCapacity(senders.count + 1)
        for sender in senders.values.lazy + [local] {
            guard let tail = sender.tail else { continue }
            candidates.append(MempoolEvictionCandidate(
                priority: MempoolPriority(tail, isPending: sender.tailIsPending, baseFee: head.baseFee), transaction: tail))
        }
        eviction = MempoolHeap(candidates)
        evictionIsStale = false
    }

    // MARK: new heads

    /// Moves to `newHead`: removes `included` transactions, refreshes the senders in `accounts`
    /// (fresh reads from the new head; nil = no account) and the senders of included
    /// transactions, drops what fell below the account nonce, and rebuilds those senders'
    /// pending runs. Costs time in proportion to the senders touched.
    mutating func apply(newHead: MempoolHead, included: Set<Hash32>, accounts: [Address: Account?]) -> MempoolUpdate {
        if newHead.baseFee != head.baseFee { eviction.removeAll(); evictionIsStale = true }
        head = newHead
        generation += 1

        // Senders to refresh, with the lowest nonce their account must now be above.
        var affected: [Address: UInt64] = [:]
        for hash in included {
            guard let tx = byHash[hash] else { continue }
            affected[tx.sender] = max(affected[tx.sender] ?? 0, tx.nonce + 1)
        }
        for address in accounts.keys where senders[address] != nil && affected[address] == nil {
            affected[address] = 0
        }

        var update = MempoolUpdate(included: 0, stale: 0, expired: [], status: status)
        for (address, includedNonce) in affected {
            guard var sender = senders.removeValue(forKey: address) else { continue }
            let before = (sender.pending.count, sender.queued.count)
            let nonce: UInt64, balance: U256
            if let fresh = accounts[address] {
                nonce = fresh?.nonce ?? 0
                balance = fresh?.balance ?? .zero
            } else {
                // Included but not reported as touched: the nonce must have moved past it.
                nonce = max(sender.nonce, includedNonce)
                balance = sender.balance
            }
            let dropped = sender.reset(nonce: nonce, balance: balance) { included.contains($0.hash) }
            for tx in dropped {
                byHash[tx.hash] = nil
                if included.contains(tx.hash) { update.included += 1 } else { update.stale += 1 }
            }
            pendingCount += sender.pending.count - before.0
            queuedCount += sender.queued.count - before.1
            if !sender.isEmpty {
                pushEvictionCandidate(of: sender)
                senders[address] = sender
            }
        }
        update.expired = expireStuckSenders()
        update.status = status
        return update
    }

    // MARK: lifetime

    /// Whether `sender` has a transaction the next block could execute: its first pending one
    /// with a fee cap at or above the base fee.
    private func isExecutable(_ sender: MempoolSender) -> Bool {
        guard let first = sender.pending.first else { return false }
        return first.maxFeePerGas >= head.baseFee
    }

    /// Drops every transaction of each sender that has nothing executable and whose newest
    /// transaction was admitted more than `configuration.lifetime` seconds of chain time ago
    /// (geth's `--txpool.lifetime` for queued transactions; here it also covers a pending run
    /// whose first fee cap is below the base fee). Runs at most once a minute of chain time:
    /// it is linear in the number of senders. Returns the dropped transactions.
    mutating func expireStuckSenders() -> [MempoolTransaction] {
        let now = head.timestamp
        guard now >= lastExpiryCheck + 60 || now < lastExpiryCheck else { return [] }
        lastExpiryCheck = now
        guard now > configuration.lifetime else { return [] }
        let cutoff = now - configuration.lifetime
        var expired: [MempoolTransaction] = []
        for (address, sender) in senders where !isExecutable(sender) {
            let newest = (sender.pending + sender.queued).map(\.admittedAt).max() ?? 0
            guard newest < cutoff else { continue }
            senders[address] = nil
            pendingCount -= sender.pending.count
            queuedCount -= sender.queued.count
            for tx in sender.pending + sender.queued {
                byHash[tx.hash] = nil
                expired.append(tx)
            }
        }
        if !expired.isEmpty { eviction.removeAll(); evictionIsStale = true }
        return expired
    }

    /// Why each transaction that the next block cannot execute is waiting (txpool_inspect):
    /// a pending run stopped by a fee cap below the base fee, a nonce gap, or funds that do
    /// not cover it after the sender's earlier transactions.
    func waitingReasons() -> [Hash32: MempoolWaitReason] {
        var reasons: [Hash32: MempoolWaitReason] = [:]
        for sender in senders.values {
            if let first = sender.pending.first, first.maxFeePerGas < head.baseFee {
                reasons[first.hash] = .feeCapBelowBaseFee(maxFeePerGas: first.maxFeePerGas, baseFee: head.baseFee)
                for tx in sender.pending.dropFirst() { reasons[tx.hash] = .behind(nonce: first.nonce) }
            } else if sender.pending.contains(where: { $0.maxFeePerGas < head.baseFee }) {
                var blocker: UInt64?
                for tx in sender.pending {
                    if let b = blocker { reasons[tx.hash] = .behind(nonce: b); continue }
                    if tx.maxFeePerGas < head.baseFee {
                        reasons[tx.hash] = .feeCapBelowBaseFee(maxFeePerGas: tx.maxFeePerGas, baseFee: head.baseFee)
                        blocker = tx.nonce
                    }
                }
            }
            var expected = sender.pendingNonce
            for tx in sender.queued {
                if tx.nonce > expected {
                    reasons[tx.hash] = .nonceGap(expected: expected)
                } else {
                    reasons[tx.hash] = .insufficientFunds(balance: sender.balance, cost: sender.cost(below: tx.nonce + 1))
                }
                expected = tx.nonce + 1
            }
        }
        return reasons
    }

    // MARK: queries

    func pendingNonce(of address: Address) -> UInt64? { senders[address]?.pendingNonce }

    func content() -> MempoolContent {
        var content = MempoolContent(waitingReasons: waitingReasons())
        for (address, sender) in senders {
            if !sender.pending.isEmpty {
                content.pending[address] = Dictionary(uniqueKeysWithValues: sender.pending.map { ($0.nonce, $0) })
            }
            if !sender.queued.isEmpty {
                content.queued[address] = Dictionary(uniqueKeysWithValues: sender.queued.map { ($0.nonce, $0) })
            }
        }
        return content
    }

    func content(from address: Address) -> MempoolSenderContent {
        guard let sender = senders[address] else { return MempoolSenderContent() }
        return MempoolSenderContent(pending: sender.pending, queued: sender.queued)
    }

    /// Problems with the pool's invariants, empty when all hold (for tests; linear in the pool).
    func invariantViolations() -> [String] {
        var problems: [String] = []
        var pending = 0, queued = 0
        var seen = Set<Hash32>()
        for (address, sender) in senders {
            if sender.isEmpty { problems.append("\(address): empty sender kept") }
            problems += sender.invariantViolations(accountSlots: configuration.accountSlots).map { "\(address): \($0)" }
            pending += sender.pending.count
            queued += sender.queued.count
            for tx in sender.pending + sender.queued {
                if tx.sender != address { problems.append("\(tx) filed under \(address)") }
                if byHash[tx.hash] !== tx { problems.append("\(tx) missing from the hash index") }
                if !seen.insert(tx.hash).inserted { problems.append("\(tx) held twice") }
            }
        }
        if pending != pendingCount { problems.append("pending count \(pendingCount), content \(pending)") }
        if queued != queuedCount { problems.append("queued count \(queuedCount), content \(queued)") }
        if byHash.count != pending + queued { problems.append("hash index holds \(byHash.count), content \(pending + queued)") }
        if byHash.count > configuration.globalSlots { problems.append("\(byHash.count) above the global limit") }
        return problems
    }
}
