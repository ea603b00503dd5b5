import Primitives

/// The pool's transactions by sender and nonce (txpool_content, txpool_inspect).
public struct MempoolContent: Sendable {
    public var pending: [Address: [UInt64: MempoolTransaction]]
    public var queued: [Address: [UInt64: MempoolTransaction]]
    /// Why each transaction that the next block cannot execute waits; absent for the others.
    public var waitingReasons: [Hash32: MempoolWaitReason]

    public init(pending: [Address: [UInt64: MempoolTransaction]] = [:], queued: [Address: [UInt64: MempoolTransaction]] = [:],
                waitingReasons: [Hash32: MempoolWaitReason] = [:]) {
        self.pending = pending; self.queued = queued; self.waitingReasons = waitingReasons
    }

    public var status: MempoolStatus {
        MempoolStatus(pending: pending.values.reduce(0) { $0 + $1.count }, queued: queued.values.reduce(0) { $0 + $1.count })
    }
}

/// One sender's transactions in the pool (txpool_contentFrom), each list in nonce order.
public struct MempoolSenderContent: Sendable {
    /// Executable in nonce order from the account nonce.
    public var pending: [MempoolTransaction]
    /// After a nonce gap or not covered by the balance.
    public var queued: [MempoolTransaction]

    public init(pending: [MempoolTransaction] = [], queued: [MempoolTransaction] = []) {
        self.pending = pending; self.queued = queued
    }
}
