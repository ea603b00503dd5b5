/// What the node tells the RPC layer as it happens: the input of subscriptions
/// (`eth_subscribe`) and filters (`eth_newFilter`, …). The node publishes them on an
/// ``RPCEventHub`` in the order they happened.
public enum RPCEvent: Sendable {
    /// A block was committed on top of the head (it is the new head).
    case newHead(RPCBlock)
    /// An L1-reorg rollback took `removed` (oldest first) off the canonical chain; `head` is
    /// the new head, a block subscribers have already been told about.
    case rolledBack(removed: [RPCBlock], head: RPCBlock)
    /// A transaction entered the pool.
    case pendingTransaction(RPCPoolTransaction)
}
