import Execution
import Dispatch
import Foundation
import Primitives
import Storage

/// Why a block made elsewhere (by the sequencer, for a follower) is refused. Nothing is written.
public enum BlockImportRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not 65 bytes r ‖ s ‖ v with r, s in [1, n-1], low s and v in {0, 1}, or no key recovers.
    case malformedSignature(String)
    /// The signature recovers to another key than the chain's authorized signer.
    case wrongSigner(recovered: Address, authorized: Address)
    /// The block's parent is not this node's head.
    case notOnHead(parent: Hash32, head: Hash32)
    /// A transaction whose sender cannot be recovered, or an L1 message after a user transaction.
    case invalidBody(String)
    /// Re-executing the transactions on this node's state gave another block: the header fields
    /// that differ, each with the block's value and the re-executed one.
    case reexecutionMismatch([String])
    /// A rollback notice that is not signed by the authorized signer or does not withdraw this
    /// node's head.
    case invalidRollback(String)

    public var description: String {
        switch self {
        case .malformedSignature(let why): "malformed block signature: \(why)"
        case .wrongSigner(let recovered, let authorized): "block signed by \(recovered), not by the authorized signer \(authorized)"
        case .notOnHead(let parent, let head): "block does not extend the head: its parent is \(parent), the head is \(head)"
        case .invalidBody(let why): "invalid block body: \(why)"
        case .reexecutionMismatch(let fields): "re-execution does not give the block: \(fields.joined(separator: "; "))"
        case .invalidRollback(let why): "rollback notice refused: \(why)"
        }
    }
}

/// A fixed list of transactions with their senders, offered in order (a block's body).
public struct FixedBlockTransactions: BlockTransactionSource {
    var items: [(transaction: SignedTransaction, sender: Address)]
    var index = 0
    public init(_ items: [(transaction: SignedTransaction, sender: Address)]) { self.items = items }
    public mutating func next() -> (transaction: SignedTransaction, sender: Address)? {
        guard index < items.count else { return nil }
        defer { index += 1 }
        return items[index]
    }
    /// A block's transactions are all or nothing: a skipped one makes the rebuilt block differ.
    public mutating func skipSender(_ sender: Address) {}
}

extension Chain {
    /// Verifies a signed block made elsewhere and commits it as the new head, as a follower does:
    /// the signature (protocol.md: 65 bytes over the header without extraData, low s, v in {0, 1})
    /// must recover to `authorizedSigner`, the parent must be the head, and re-executing the
    /// transactions on this node's own state (the block's L1 messages first, then its user
    /// transactions, under the chain's rules, with the header's timestamp, beneficiary and extra
    /// data) must give exactly the header: same state root, transactions root, receipts root,
    /// logs bloom, gas used, gas limit and base fee. Anything else throws
    /// `BlockImportRefusal` and writes nothing; storage failures throw `EngineError`.
    ///
    /// `stateEdits` are a development block's anvil_set* edits, applied before the transactions
    /// as the sequencer did (the signed state root still has to come out). `extraWrites` adds
    /// other components' records (the L1 watcher's inclusions) to the commit's batch.
    @discardableResult
    public func importBlock(header: Header, transactions: [SignedTransaction], signature: [UInt8],
                            stateEdits: [StateEdit] = [], authorizedSigner: Address,
                            extraWrites: (inout WriteBatch) throws -> Void = { _ in }) throws -> SealedBlock {
        let signed: Signature
        do { signed = try Signature(compact: signature) } catch {
            throw BlockImportRefusal.malformedSignature(signature.count == 65 ? "\(error)" : "\(signature.count) bytes, not 65")
        }
        guard signed.isLowS else { throw BlockImportRefusal.malformedSignature("s is above n/2") }
        let signer: Address
        do { signer = try Secp256k1.recoverAddress(digest: header.signatureDigest, signature: signed) } catch {
            throw BlockImportRefusal.malformedSignature("no public key recovers from it")
        }
        guard signer == authorizedSigner else { throw BlockImportRefusal.wrongSigner(recovered: signer, authorized: authorizedSigner) }
        let head = headBlock
        guard header.parentHash == head.hash else { throw BlockImportRefusal.notOnHead(parent: header.parentHash, head: head.hash) }

        var messages: [L1MessageTransaction] = []
        for (i, tx) in transactions.enumerated() {
            guard case .l1Message(let message) = tx.transaction else { continue }
            guard i == messages.count else { throw BlockImportRefusal.invalidBody("L1 message at index \(i) after a user transaction") }
            messages.append(message)
        }
        let userTransactions = Array(transactions[messages.count...])
        let senders = Self.recoverSenders(userTransactions)
        var users: [(transaction: SignedTransaction, sender: Address)] = []
        users.reserveCapacity(userTransactions.count)
        for (i, tx) in userTransactions.enumerated() {
            switch senders[i] {
            case .success(let sender): users.append((tx, sender))
            case .failure(let error): throw BlockImportRefusal.invalidBody("transaction \(messages.count + i) (\(tx.hash)): \(error)")
            }
        }
        var source = FixedBlockTransactions(users)
        let attributes = PayloadAttributes(timestamp: header.timestamp, feeRecipient: header.beneficiary,
                                           maxL1Messages: messages.count, extraData: header.extraData, stateEdits: stateEdits)
        let built = try build(attributes: attributes, l1Messages: messages, transactions: &source, clock: ContinuousClock())
        guard built.block.hash == header.hash else {
            throw BlockImportRefusal.reexecutionMismatch(Self.differences(block: header, transactions: transactions, rebuilt: built.block))
        }
        try commit(built, signature: signature, extraWrites: extraWrites)
        return built.block
    }

    /// Takes a rollback the sequencer signed (a follower's path): the notice must recover to
    /// `authorizedSigner`, name this chain, and withdraw this node's head (its block at the
    /// notice's target is the notice's `toHash`, its head is above the target and not above the
    /// withdrawn head). Rolls back to the target and stores the notice for this node's own
    /// followers. Returns what the rollback removed; throws `BlockImportRefusal` when the notice
    /// does not apply (nothing is written).
    @discardableResult
    public func applyRollbackNotice(_ notice: RollbackNotice, authorizedSigner: Address) throws -> Rollback {
        guard notice.chainID == spec.chainID else {
            throw BlockImportRefusal.invalidRollback("for chain \(notice.chainID), this chain is \(spec.chainID)")
        }
        guard let signer = notice.signer else { throw BlockImportRefusal.invalidRollback("malformed signature") }
        guard signer == authorizedSigner else { throw BlockImportRefusal.invalidRollback("signed by \(signer), not by the authorized signer \(authorizedSigner)") }
        let head = headBlock
        let ancestor = try canonicalHash(number: notice.toNumber)
        guard notice.covers(headNumber: head.number, headHash: head.hash, ancestorAtTarget: ancestor) else {
            throw BlockImportRefusal.invalidRollback(
                "it withdraws blocks \(notice.toNumber + 1)...\(notice.fromNumber) on \(notice.toHash), this node's head is \(head.number) \(head.hash)")
        }
        return try rollback(to: notice.toNumber, notice: notice)
    }

    /// Every transaction's sender, recovered on all cores (secp256k1 recovery is most of a
    /// follower's import time): contiguous chunks, one per core, for blocks of 64 or more.
    static func recoverSenders(_ transactions: [SignedTransaction]) -> [Result<Address, TransactionError>] {
        let count = transactions.count
        let chunks = min(ProcessInfo.processInfo.activeProcessorCount, max(1, count / 32))
        guard chunks > 1 else { return transactions.map { tx in Result { () throws(TransactionError) in try tx.recoverSender() } } }
        let results = SenderResults(count: count)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * count / chunks)..<((chunk + 1) * count / chunks)
            for i in range {
                results.set(i, Result { () throws(TransactionError) in try transactions[i].recoverSender() })
            }
        }
        return results.values
    }

    /// The header fields (and transaction count) where `rebuilt` differs from the given block.
    static func differences(block h: Header, transactions: [SignedTransaction], rebuilt: SealedBlock) -> [String] {
        let r = rebuilt.header
        var out: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { out.append("\(name) \(a) (re-executed: \(b))") } }
        check("transactions", transactions.count, rebuilt.transactions.count)
        check("stateRoot", h.stateRoot, r.stateRoot)
        check("transactionsRoot", h.transactionsRoot, r.transactionsRoot)
        check("receiptsRoot", h.receiptsRoot, r.receiptsRoot)
        check("logsBloom", h.logsBloom, r.logsBloom)
        check("gasUsed", h.gasUsed, r.gasUsed)
        check("gasLimit", h.gasLimit, r.gasLimit)
        check("baseFeePerGas", h.baseFeePerGas, r.baseFeePerGas)
        check("number", h.number, r.number)
        check("timestamp", h.timestamp, r.timestamp)
        if out.isEmpty { out.append("header hash \(h.hash) (re-executed: \(r.hash))") }
        return out
    }
}

/// Slots written by `recoverSenders`' workers, each index by exactly one of them.
private final class SenderResults: @unchecked Sendable {
    // Safety: `concurrentPerform` gives each worker a disjoint range of indexes and returns only
    // after all of them finished, so no slot is touched by two threads and `values` is read after.
    // A raw buffer, not an array property: a mutating access to a class's array would be a
    // (dynamically checked) exclusive access of the whole array from every worker at once.
    private let base: UnsafeMutablePointer<Result<Address, TransactionError>>
    private let count: Int
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: .success(Address([UInt8](repeating: 0, count: 20))), count: count)
    }
    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
    func set(_ index: Int, _ value: Result<Address, TransactionError>) { base[index] = value }
    var values: [Result<Address, TransactionError>] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
