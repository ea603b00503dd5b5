import Execution
import Logging
import Primitives
import Synchronization

/// The transaction pool: user transactions waiting for a block, safe to use from any thread.
///
/// Transactions come in through `add(raw:)` (eth_sendRawTransaction) and leave when a block
/// includes them (`blockCommitted`), when their nonce goes stale, or when a better transaction
/// needs the room. Per sender, transactions are *pending* when they are executable in nonce
/// order from the account nonce and covered by the balance, *queued* otherwise (after a nonce
/// gap, or not covered).
///
/// Everything slow happens outside the lock: decoding, sender recovery and state reads.
/// Under the lock each operation costs time in proportion to the senders it touches, so
/// admissions keep flowing while a block is built from a `bestTransactions()` snapshot.
///
/// The pool never blocks or holds a caller: waiting for a transaction's inclusion
/// (eth_sendRawTransactionSync) belongs to the engine's block notifications.
public final class Mempool: Sendable {
    public let configuration: MempoolConfiguration
    let state: Mutex<MempoolState>
    let logger: Logger
    /// The EVM rules whose stateless transaction checks admission applies (the builder runs
    /// the same rules, so what the pool admits the builder does not refuse on those grounds).
    let evmRules: EVMRules

    /// An empty pool validating against `head`.
    public init(configuration: MempoolConfiguration, head: MempoolHead, rules: EVMRules = .cancun,
                logger: Logger = Logger(label: "engine")) {
        self.configuration = configuration
        self.evmRules = rules
        self.state = Mutex(MempoolState(configuration: configuration, head: head))
        var logger = logger
        logger[metadataKey: "component"] = "mempool"
        self.logger = logger
    }

    /// The head the pool validates against.
    public var head: MempoolHead { state.withLock { $0.head } }

    /// Pending and queued counts (txpool_status).
    public var status: MempoolStatus { state.withLock { $0.status } }

    /// The transaction with `hash`, with its sender, if the pool holds it.
    public func transaction(hash: Hash32) -> MempoolTransaction? {
        state.withLock { $0.byHash[hash] }
    }

    public func contains(hash: Hash32) -> Bool {
        state.withLock { $0.byHash[hash] != nil }
    }

    /// The nonce `address`'s next transaction should carry (eth_getTransactionCount "pending"):
    /// the account nonce plus the sender's contiguous pending run.
    public func pendingNonce(of address: Address) throws(MempoolError) -> UInt64 {
        let (pooled, head) = state.withLock { ($0.pendingNonce(of: address), $0.head) }
        if let pooled { return pooled }
        return try Self.read(address, from: head.state)?.nonce ?? 0
    }

    /// Every transaction by sender and nonce (txpool_content, txpool_inspect). Linear in the pool.
    public func content() -> MempoolContent { state.withLock { $0.content() } }

    /// One sender's transactions (txpool_contentFrom).
    public func content(from address: Address) -> MempoolSenderContent {
        state.withLock { $0.content(from: address) }
    }

    /// A snapshot of the executable transactions in block-building order at the head's base fee.
    public func bestTransactions() -> MempoolBestTransactions {
        let (senders, baseFee) = state.withLock { ($0.senders, $0.head.baseFee) }
        return MempoolBestTransactions(senders: senders, baseFee: baseFee)
    }

    /// A snapshot of the executable transactions in block-building order at `baseFee`.
    public func bestTransactions(baseFee: U256) -> MempoolBestTransactions {
        let senders = state.withLock { $0.senders }
        if logger.logLevel <= .debug {
            for (address, sender) in senders {
                guard let first = sender.pending.first, first.maxFeePerGas < baseFee else { continue }
                logger.debug("Builder skips a sender whose first transaction cannot execute",
                             metadata: ["sender": "\(address)", "tx": "\(first.hash)", "nonce": "\(first.nonce)",
                                        "reason": "\(MempoolWaitReason.feeCapBelowBaseFee(maxFeePerGas: first.maxFeePerGas, baseFee: baseFee))",
                                        "waiting": "\(sender.count)"])
            }
        }
        return MempoolBestTransactions(senders: senders, baseFee: baseFee)
    }

    static func read(_ address: Address, from reader: any AccountStateReader) throws(MempoolError) -> Account? {
        do { return try reader.account(address) } catch { throw .stateUnavailable(error) }
    }

    /// Violations of the pool's invariants (for tests; linear in the pool).
    func invariantViolations() -> [String] { state.withLock { $0.invariantViolations() } }
}
