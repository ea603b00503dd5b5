import Execution
import Primitives

/// Why the mempool refused a transaction.
///
/// `description` uses geth's wording (the part before the first colon is geth's error text), so
/// that the RPC layer can return it with code -32000 unchanged; details follow the colon. The
/// one exception is `stateUnavailable`, an internal failure (see `isRejection`).
public enum MempoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not decode, or the transaction fails a stateless check (chain id, sender
    /// signature, intrinsic gas, tip above fee cap, initcode size, ...). The description is the
    /// underlying error's, already in geth's words.
    case invalidTransaction(TransactionError)
    /// The Execution module's transaction rules refuse it (its description is geth's wording).
    case rejectedByRules(Execution.ExecutionError)
    /// An L1 message (0x7E): those come from L1 only.
    case transactionTypeNotSupported
    /// A legacy transaction without EIP-155 replay protection, and the pool does not accept them.
    case unprotectedTransaction
    /// A transaction with the same hash is already in the pool.
    case alreadyKnown
    /// The nonce is below the sender's account nonce.
    case nonceTooLow(next: UInt64, nonce: UInt64)
    /// The nonce is more than `maxGap` above the sender's pending nonce.
    case nonceTooHigh(next: UInt64, nonce: UInt64, maxGap: UInt64)
    /// The balance does not cover the transaction's cost (gasLimit * maxFeePerGas + value) on
    /// top of `pendingCost`, the cost of the sender's pooled transactions with lower nonces.
    case insufficientFunds(balance: U256, pendingCost: U256, cost: U256)
    /// Admitting it (or replacing one with it) would leave the sender's later pooled
    /// transactions uncovered by the balance (geth's ErrOverdraft).
    case overdraft(balance: U256, otherCost: U256, cost: U256)
    /// The encoded transaction is longer than the pool's limit.
    case oversizedData(size: Int, limit: Int)
    /// The gas limit is above the next block's gas limit.
    case exceedsBlockGasLimit(gasLimit: UInt64, blockGasLimit: UInt64)
    /// The max priority fee per gas is below the pool's minimum.
    case tipBelowMinimum(tip: U256, minimum: U256)
    /// The fee cap is below the chain's minimum base fee: no block can ever include it.
    case feeCapBelowMinimumBaseFee(maxFeePerGas: U256, minimumBaseFee: U256)
    /// The fee cap is below the next block's base fee. A sequencer's pool is no public mempool
    /// where a transaction waits for the base fee to fall: on an idle chain the base fee falls
    /// only as blocks are made, so such a transaction would hold up its sender's later nonces.
    case feeCapBelowBaseFee(address: Address, maxFeePerGas: U256, baseFee: U256)
    /// The pool is full and the transaction does not beat the cheapest one it could evict.
    case underpricedForFullPool
    /// A transaction with the same sender and nonce is pooled and this one does not raise both
    /// fee fields by the price bump.
    case replacementUnderpriced(requiredMaxFeePerGas: U256, requiredMaxPriorityFeePerGas: U256)
    /// The pool is full and holds nothing this transaction could evict.
    case poolFull
    /// The sender already holds the per-sender limit of transactions.
    case accountLimitExceeded(limit: Int)
    /// The sender has code (EIP-3607).
    case senderNotEOA(Address)
    /// The head state could not be read. An internal failure, not a verdict on the transaction.
    case stateUnavailable(EngineError)

    /// Whether this is a verdict on the transaction (JSON-RPC -32000) rather than an internal
    /// failure (-32603, details in the log).
    public var isRejection: Bool {
        if case .stateUnavailable = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .invalidTransaction(let e): e.description
        case .rejectedByRules(let e): e.description
        case .transactionTypeNotSupported: "transaction type not supported"
        case .unprotectedTransaction: "only replay-protected (EIP-155) transactions allowed over RPC"
        case .alreadyKnown: "already known"
        case .nonceTooLow(let next, let nonce): "nonce too low: next nonce \(next), tx nonce \(nonce)"
        case .nonceTooHigh(let next, let nonce, let gap):
            "nonce too high: next nonce \(next), tx nonce \(nonce), max gap \(gap)"
        case .insufficientFunds(let balance, let pending, let cost):
            if pending.isZero {
                "insufficient funds for gas * price + value: balance \(balance), tx cost \(cost), overshot \(Self.overshot(balance, pending, cost))"
            } else {
                "insufficient funds for gas * price + value: balance \(balance), pending cost \(pending), tx cost \(cost), overshot \(Self.overshot(balance, pending, cost))"
            }
        case .overdraft(let balance, let others, let cost):
            "transaction would cause overdraft: balance \(balance), cost of the sender's other pooled transactions \(others), tx cost \(cost)"
        case .oversizedData(let size, let limit): "oversized data: transaction size \(size), limit \(limit)"
        case .exceedsBlockGasLimit(let gas, let limit): "exceeds block gas limit: gas \(gas), block gas limit \(limit)"
        case .tipBelowMinimum(let tip, let minimum): "transaction underpriced: gas tip cap \(tip), minimum needed \(minimum)"
        case .feeCapBelowMinimumBaseFee(let cap, let minimum):
            "max fee per gas less than block base fee: maxFeePerGas: \(cap), baseFee: \(minimum) (the chain's minimum base fee: this transaction could never be included)"
        case .feeCapBelowBaseFee(let address, let cap, let baseFee):
            "max fee per gas less than block base fee: address \(address), maxFeePerGas: \(cap), baseFee: \(baseFee)"
        case .underpricedForFullPool:
            "transaction underpriced: the pool is full and this transaction pays no more than the cheapest one it could evict"
        case .replacementUnderpriced(let fee, let tip):
            "replacement transaction underpriced: needs maxFeePerGas >= \(fee) and maxPriorityFeePerGas >= \(tip)"
        case .poolFull: "txpool is full"
        case .accountLimitExceeded(let limit): "account limit exceeded: the sender already has \(limit) transactions in the pool"
        case .senderNotEOA(let address): "sender not an eoa: address \(address) has code"
        case .stateUnavailable(let e): "mempool could not read the head state: \(e)"
        }
    }

    /// pending + cost - balance, saturating (the costs are not bounded by the balance).
    private static func overshot(_ balance: U256, _ pending: U256, _ cost: U256) -> U256 {
        let (need, o) = pending.addingReportingOverflow(cost)
        if o { return .max }
        let (d, u) = need.subtractingReportingOverflow(balance)
        return u ? .zero : d
    }
}
