import Primitives

/// The pool's executable transactions in the order a block builder should try them, as a
/// snapshot taken when it was made: transactions arriving later are not seen, and the pool
/// does not wait for the builder.
///
/// Order: highest effective tip (min(maxPriorityFeePerGas, maxFeePerGas - baseFee)) first across
/// senders, nonce order within a sender, equal tips by arrival. A sender's run stops at its
/// first transaction whose maxFeePerGas is below the base fee. A heap holds one entry per
/// sender, so taking k transactions from a pool of n senders costs O(n + k log n).
///
/// The builder reports failures with `skipSender(_:)`: a sender whose transaction failed has
/// nothing more to offer, since its later nonces depend on it.
public struct MempoolBestTransactions: Sendable, IteratorProtocol, Sequence {
    /// The base fee the order was computed for.
    public let baseFee: U256
    /// Each sender's pending run, in nonce order.
    private let runs: [[MempoolTransaction]]
    /// The next position in each run.
    private var positions: [Int]
    private var heap: MempoolHeap<Head>
    private var skipped: Set<Address> = []

    /// A sender's next transaction in the heap: best first.
    private struct Head: Comparable {
        var tip: U256
        var sequence: UInt64
        var run: Int

        static func < (a: Head, b: Head) -> Bool {
            a.tip != b.tip ? a.tip > b.tip : a.sequence < b.sequence
        }
    }

    /// Orders the pending runs of `senders` for `baseFee`.
    init(senders: [Address: MempoolSender], baseFee: U256) {
        self.baseFee = baseFee
        var runs: [[MempoolTransaction]] = []
        var heads: [Head] = []
        runs.reserveCapacity(senders.count)
        heads.reserveCapacity(senders.count)
        for sender in senders.values {
            guard let first = sender.pending.first, let tip = first.effectiveTip(baseFee: baseFee) else { continue }
            heads.append(Head(tip: tip, sequence: first.sequence, run: runs.count))
            runs.append(sender.pending)
        }
        self.runs = runs
        positions = Array(repeating: 0, count: runs.count)
        heap = MempoolHeap(heads)
    }

    /// The next best transaction, or nil when none is left.
    public mutating func next() -> MempoolTransaction? {
        while let head = heap.first {
            let run = runs[head.run]
            let tx = run[positions[head.run]]
            if !skipped.isEmpty, skipped.contains(tx.sender) {
                _ = heap.popFirst()  // the whole rest of the run
                continue
            }
            positions[head.run] += 1
            let position = positions[head.run]
            if position < run.count, let tip = run[position].effectiveTip(baseFee: baseFee) {
                heap.replaceFirst(with: Head(tip: tip, sequence: run[position].sequence, run: head.run))
            } else {
                _ = heap.popFirst()
            }
            return tx
        }
        return nil
    }

    /// Leaves out the rest of `sender`'s transactions (its last one failed or did not fit).
    public mutating func skipSender(_ sender: Address) {
        skipped.insert(sender)
    }

    /// The same as `skipSender(tx.sender)`: `tx` is invalid and its sender's later nonces
    /// cannot execute without it.
    public mutating func markInvalid(_ tx: MempoolTransaction) {
        skipped.insert(tx.sender)
    }
}
