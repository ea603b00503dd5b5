import Primitives

/// What the `eth_` and `txpool_` methods need from the node: the chain, the head state and the
/// transaction pool. RollupNode implements it over the engine; RPC never imports Engine.
///
/// Every method may throw. An error conforming to ``JSONRPCErrorConvertible`` reaches the client
/// as that error (use it for verdicts such as geth's "nonce too low"); anything else becomes
/// -32603 "internal error" with the details in the `rpc` log.
///
/// State reads (`account`, `code`, `storage`, `execute`) take the block whose state they read:
/// nil for the head (`latest`, `pending`, `safe`, `finalized`), or a stored block the request
/// named by number or hash. The backend decides which blocks' state it keeps and throws a
/// ``JSONRPCErrorConvertible`` error naming the block for the others.
public protocol RPCChainBackend: Sendable {
    /// The chain id (eth_chainId).
    var chainID: UInt64 { get }

    // MARK: Chain

    /// The number of the head block (eth_blockNumber; also what `latest`, `pending`, `safe`
    /// and `finalized` select).
    func headNumber() async throws -> UInt64

    /// The canonical block at `number` with its transactions, senders and receipts; nil above
    /// the head.
    func block(number: UInt64) async throws -> RPCBlock?

    /// A stored block by hash (canonical or not); nil when unknown.
    func block(hash: Hash32) async throws -> RPCBlock?

    /// The header of the canonical block at `number`; nil above the head. A default loads the
    /// whole block; override it when headers can be read alone (eth_getLogs reads one header
    /// per block of its range to test the bloom, the tip suggestion one per sampled block).
    func header(number: UInt64) async throws -> Header?

    /// The canonical blocks in `from...to` that may hold a log from one of `addresses` (any
    /// when empty) with topics matching `topics` (per position: nil or any of the listed),
    /// ascending and including every block that holds one; nil when the backend has no index
    /// that narrows this query (eth_getLogs then tests each block's bloom). The default: nil.
    func logBlocks(addresses: [Address], topics: [[Hash32]?], from: UInt64, to: UInt64) async throws -> [UInt64]?

    /// Where a transaction was included on the canonical chain; nil when it was not.
    func transactionLocation(hash: Hash32) async throws -> RPCTransactionLocation?

    /// The base fee of the block that will be built on the head (eth_gasPrice, eth_feeHistory).
    func nextBaseFee() async throws -> U256

    /// Executes `call` on the state of `call.block` (the head when nil: in the head block's
    /// environment, or the next block's when `call.pending`), changing nothing (eth_call,
    /// eth_estimateGas).
    func execute(_ call: RPCCall) async throws -> RPCCallOutcome

    /// Scroll's L1 data fee `call` would pay as a signed transaction with its fee fields (zero
    /// on a chain without one, or for a call without fee fields): eth_estimateGas takes it
    /// from the balance before dividing the rest by the fee cap.
    func l1Fee(_ call: RPCCall) async throws -> U256

    /// geth's eth_createAccessList: the access list `call` touches (without its sender, its
    /// recipient and the precompiles) and the outcome of running it with that list.
    func createAccessList(_ call: RPCCall) async throws -> (accessList: [AccessListEntry], outcome: RPCCallOutcome)

    /// The gas limit of the block a call executes in (eth_call's default gas).
    func callGasLimit() async throws -> UInt64

    /// The 65-byte signature (r || s || v, v in {0, 1}) of a stored block; an empty array for a
    /// block that carries none (genesis); nil when the block is unknown.
    func blockSignature(hash: Hash32) async throws -> [UInt8]?

    // MARK: State

    /// The account at `address` in the state of `block` (the head when nil); nil when it does
    /// not exist.
    func account(_ address: Address, at block: RPCStateBlock?) async throws -> RPCAccount?

    /// The code at `address` in the state of `block` (empty for accounts without code).
    func code(_ address: Address, at block: RPCStateBlock?) async throws -> [UInt8]

    /// The storage word at `slot` of `address` in the state of `block` (zero when unset).
    func storage(_ address: Address, slot: Hash32, at block: RPCStateBlock?) async throws -> Hash32

    /// The EIP-1186 proof of `address` and its `slots` against the state root of `block` (the
    /// head when nil) (eth_getProof).
    func proof(_ address: Address, slots: [Hash32], at block: RPCStateBlock?) async throws -> RPCAccountProof

    // MARK: Transaction pool

    /// The nonce `address`'s next transaction should carry: the account nonce plus its
    /// contiguous pending pool transactions (eth_getTransactionCount "pending").
    func pendingNonce(_ address: Address) async throws -> UInt64

    /// A transaction the pool holds, pending or queued; nil otherwise.
    func poolTransaction(hash: Hash32) async throws -> RPCPoolTransaction?

    /// Every pooled transaction (txpool_content, txpool_inspect, txpool_status).
    func poolContent() async throws -> RPCPoolContent

    /// Decodes, validates and pools a raw transaction (eth_sendRawTransaction). Rejections throw
    /// a ``JSONRPCErrorConvertible`` in geth's wording (``JSONRPCError/rejected(_:detail:)``).
    func sendRawTransaction(_ bytes: [UInt8]) async throws -> RPCSubmission

    /// Pools a transaction whose sender is given, not recovered: an impersonated account's on
    /// a development chain (anvil_impersonateAccount). The default refuses.
    func sendImpersonatedTransaction(_ tx: SignedTransaction, sender: Address) async throws -> RPCSubmission

    /// Waits until the transaction `hash` is included on the canonical chain or `timeout`
    /// passes; true when included (eth_sendRawTransactionSync). Returns at once when it is
    /// already included. Cancellation ends the wait (throwing or returning false).
    func waitForInclusion(of hash: Hash32, timeout: Duration) async throws -> Bool
}

extension RPCChainBackend {
    public func sendImpersonatedTransaction(_ tx: SignedTransaction, sender: Address) async throws -> RPCSubmission {
        throw JSONRPCError.server("impersonated transactions are not supported by this node")
    }

    /// The account at `address` in the head state.
    public func account(_ address: Address) async throws -> RPCAccount? { try await account(address, at: nil) }

    /// No index: eth_getLogs tests blooms.
    public func logBlocks(addresses: [Address], topics: [[Hash32]?], from: UInt64, to: UInt64) async throws -> [UInt64]? { nil }

    /// Loads the whole block and keeps its header.
    public func header(number: UInt64) async throws -> Header? {
        try await block(number: number)?.header
    }
}

/// A block as the RPC layer serves it: header, transactions, their senders and receipts, in
/// block order (the engine's `SealedBlock` carries exactly this).
public struct RPCBlock: Sendable, Equatable {
    public var header: Header
    /// keccak256(rlp(header)).
    public var hash: Hash32
    public var transactions: [SignedTransaction]
    /// The sender of each transaction (an L1 message's L1 sender).
    public var senders: [Address]
    /// One receipt per transaction.
    public var receipts: [Receipt]
    /// Scroll's L1 data fee of each transaction on a chain that charges one (receipts then carry
    /// `l1Fee`, as Scroll's RPC does); empty otherwise.
    public var l1Fees: [U256]

    /// `hash` defaults to the header's hash; pass it when it is known already. The three
    /// arrays (and `l1Fees` when not empty) must be equally long (a programmer error otherwise).
    public init(header: Header, hash: Hash32? = nil, transactions: [SignedTransaction], senders: [Address], receipts: [Receipt],
                l1Fees: [U256] = []) {
        precondition(transactions.count == senders.count && transactions.count == receipts.count
                     && (l1Fees.isEmpty || l1Fees.count == receipts.count),
                     "RPCBlock: transactions, senders, receipts and L1 fees differ in length")
        self.header = header
        self.hash = hash ?? header.hash
        self.transactions = transactions
        self.senders = senders
        self.receipts = receipts
        self.l1Fees = l1Fees
    }

    public var number: UInt64 { header.number }

    /// Gas used by transaction `index` alone.
    public func gasUsed(at index: Int) -> UInt64 {
        receipts[index].cumulativeGasUsed - (index == 0 ? 0 : receipts[index - 1].cumulativeGasUsed)
    }

    /// How many logs the receipts before `index` hold: the block-wide index of the first log
    /// of transaction `index`.
    public func firstLogIndex(of index: Int) -> Int {
        receipts[..<index].reduce(0) { $0 + $1.logs.count }
    }
}

/// A stored block whose state a request reads, as the request named it (by number or hash).
public struct RPCStateBlock: Sendable, Hashable {
    public var header: Header
    public var hash: Hash32

    public init(header: Header, hash: Hash32) {
        self.header = header
        self.hash = hash
    }

    public var number: UInt64 { header.number }
}

/// Where a committed transaction is.
public struct RPCTransactionLocation: Sendable, Hashable {
    public var blockHash: Hash32
    public var blockNumber: UInt64
    /// The position in the block.
    public var index: Int

    public init(blockHash: Hash32, blockNumber: UInt64, index: Int) {
        self.blockHash = blockHash
        self.blockNumber = blockNumber
        self.index = index
    }
}

/// An account of the head state.
public struct RPCAccount: Sendable, Hashable {
    public var nonce: UInt64
    public var balance: U256
    /// keccak256 of the code; `Hash32.emptyCodeHash` for accounts without code.
    public var codeHash: Hash32

    public init(nonce: UInt64, balance: U256, codeHash: Hash32 = .emptyCodeHash) {
        self.nonce = nonce
        self.balance = balance
        self.codeHash = codeHash
    }

    public var hasCode: Bool { codeHash != .emptyCodeHash }
}

/// A transaction in the pool with its recovered sender.
public struct RPCPoolTransaction: Sendable, Hashable {
    public var transaction: SignedTransaction
    public var sender: Address
    /// Why the next block cannot execute it (txpool_inspect shows it); nil when it can.
    public var waitingReason: String?

    public init(transaction: SignedTransaction, sender: Address, waitingReason: String? = nil) {
        self.transaction = transaction
        self.sender = sender
        self.waitingReason = waitingReason
    }
}

/// The pool's transactions: *pending* ones are executable in nonce order, *queued* ones wait
/// behind a nonce gap or an uncovered cost.
public struct RPCPoolContent: Sendable {
    public var pending: [RPCPoolTransaction]
    public var queued: [RPCPoolTransaction]

    public init(pending: [RPCPoolTransaction] = [], queued: [RPCPoolTransaction] = []) {
        self.pending = pending
        self.queued = queued
    }
}

/// What submitting a transaction did.
public struct RPCSubmission: Sendable, Hashable {
    public var hash: Hash32
    /// Whether the transaction is executable now (pending) rather than queued behind a nonce
    /// gap or an uncovered cost; eth_sendRawTransactionSync does not wait for a queued one.
    public var isPending: Bool

    public init(hash: Hash32, isPending: Bool) {
        self.hash = hash
        self.isPending = isPending
    }
}
