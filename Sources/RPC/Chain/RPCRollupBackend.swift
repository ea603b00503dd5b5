import Primitives

/// What the `rollupNode_` and `rollupNodeAdmin_` methods need from the node: the sequencer's
/// state, the L1 watcher's progress and the L1 message store. RollupNode implements it.
///
/// Errors follow the rules of ``RPCChainBackend``: a ``JSONRPCErrorConvertible`` reaches the
/// client as it is, anything else becomes -32603.
public protocol RPCRollupBackend: Sendable {
    /// A snapshot of the node's progress (rollupNode_status).
    func rollupStatus() async throws -> RPCRollupStatus

    /// The L1 message with queue index `queueIndex`; nil when the node has not seen it.
    func l1Message(queueIndex: UInt64) async throws -> RPCL1Message?

    /// Turns automatic block production on or off (rollupNodeAdmin_enable/disable
    /// AutomaticSequencing); the result is what the method returns (true: done).
    func setAutomaticSequencing(_ enabled: Bool) async throws -> Bool

    /// Rolls the L1 view back to L1 block `number` (rollupNodeAdmin_revertToL1Block): messages
    /// above it are forgotten and re-read, and L2 blocks that included them are rolled back.
    /// The result is what the method returns (true: done).
    func revertToL1Block(_ number: UInt64) async throws -> Bool
}

/// The node's progress as rollupNode_status reports it.
public struct RPCRollupStatus: Sendable, Hashable {
    /// Whether the sequencer builds blocks on its own.
    public var automaticSequencing: Bool
    public var headNumber: UInt64
    public var headHash: Hash32
    /// The latest L1 block the watcher has seen; nil before its first poll.
    public var l1Latest: UInt64?
    /// The latest finalized L1 block the watcher has seen; nil before its first poll.
    public var l1Finalized: UInt64?
    /// The highest L1 block whose L1 messages have been read; nil before the first read.
    public var l1Processed: UInt64?
    /// The queue index of the next L1 message to include in an L2 block.
    public var nextL1QueueIndex: UInt64
    /// L1 messages read from L1 and not yet included in an L2 block.
    public var pendingL1Messages: UInt64
    /// Whether the watcher is still catching up with L1.
    public var isSyncing: Bool
    /// `sequencer`, `follower` or `node` (serving only).
    public var mode: String = "node"
    /// A follower's progress; nil on other nodes.
    public var follower: RPCFollowerStatus?

    public init(automaticSequencing: Bool, headNumber: UInt64, headHash: Hash32, l1Latest: UInt64?, l1Finalized: UInt64?,
                l1Processed: UInt64?, nextL1QueueIndex: UInt64, pendingL1Messages: UInt64, isSyncing: Bool,
                mode: String = "node", follower: RPCFollowerStatus? = nil) {
        self.mode = mode
        self.follower = follower
        self.automaticSequencing = automaticSequencing
        self.headNumber = headNumber
        self.headHash = headHash
        self.l1Latest = l1Latest
        self.l1Finalized = l1Finalized
        self.l1Processed = l1Processed
        self.nextL1QueueIndex = nextL1QueueIndex
        self.pendingL1Messages = pendingL1Messages
        self.isSyncing = isSyncing
    }
}

/// An L1 message with where it came from and where it went.
public struct RPCL1Message: Sendable, Hashable {
    public var message: L1MessageTransaction
    /// The L1 block whose `QueueTransaction` event carried it.
    public var l1BlockNumber: UInt64
    /// The L2 block that included it; nil while it waits.
    public var l2BlockNumber: UInt64?
    /// The rolling queue hash after this message; nil when not computed.
    public var queueHash: Hash32?

    public init(message: L1MessageTransaction, l1BlockNumber: UInt64, l2BlockNumber: UInt64? = nil, queueHash: Hash32? = nil) {
        self.message = message
        self.l1BlockNumber = l1BlockNumber
        self.l2BlockNumber = l2BlockNumber
        self.queueHash = queueHash
    }
}

/// A follower's progress as rollupNode_status reports it.
public struct RPCFollowerStatus: Sendable, Hashable {
    /// The URL blocks come from now.
    public var following: String
    /// The source's head at its last answer; nil before the first.
    public var sourceHead: UInt64?
    public var importedBlocks: Int
    public var refusedBlocks: Int
    public var doubleSignEvidence: Int
    public var rollbacks: Int
    public var lastError: String?

    public init(following: String, sourceHead: UInt64?, importedBlocks: Int, refusedBlocks: Int, doubleSignEvidence: Int,
                rollbacks: Int, lastError: String?) {
        self.following = following; self.sourceHead = sourceHead; self.importedBlocks = importedBlocks
        self.refusedBlocks = refusedBlocks; self.doubleSignEvidence = doubleSignEvidence; self.rollbacks = rollbacks
        self.lastError = lastError
    }
}
