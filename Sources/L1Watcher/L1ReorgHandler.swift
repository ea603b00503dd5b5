/// What the node does when L1 messages that L2 blocks already included are gone from L1 (an L1
/// reorg in a `depth:` inclusion mode, or `revertToL1Block` followed by a re-read that found them
/// changed or missing).
///
/// The node is expected to roll the L2 chain back to `event.l2Block - 1`, return the user
/// transactions of the removed blocks to the mempool, record the rollback in the double-sign
/// guard, and call `L1Watcher.unmarkIncluded(aboveL2Block:)`; the watcher assumes nothing about how.
/// The handler runs outside the watcher's step lock, so it may call any watcher method.
public protocol L1ReorgHandler: Sendable {
    func includedL1MessagesRemoved(_ event: L1MessagesRemoved) async
}

/// Included L1 messages that are no longer on L1 as they were.
public struct L1MessagesRemoved: Sendable, Hashable, CustomStringConvertible {
    /// The lowest queue index that an L2 block included and that L1 no longer has (missing, or
    /// different on the new fork).
    public var lowestQueueIndex: UInt64
    /// The L2 block that included `lowestQueueIndex`: roll back to the block before it.
    public var l2Block: UInt64
    /// The last L1 block kept by the reorg or revert that led here (nil: none, all were dropped).
    public var l1ForkBlock: UInt64?

    public init(lowestQueueIndex: UInt64, l2Block: UInt64, l1ForkBlock: UInt64?) {
        self.lowestQueueIndex = lowestQueueIndex; self.l2Block = l2Block; self.l1ForkBlock = l1ForkBlock
    }

    public var description: String {
        "L1 message \(lowestQueueIndex), included in L2 block \(l2Block), was removed from L1"
            + (l1ForkBlock.map { " (L1 fork point \($0))" } ?? "")
    }
}
