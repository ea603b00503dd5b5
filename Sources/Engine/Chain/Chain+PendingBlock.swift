import Primitives
import Storage

/// The inputs of a block between signing and committing, kept durably so that a crash or a
/// failed commit never strands a signature: the double-sign guard refuses any other block at
/// that height, so the node must be able to produce exactly this block again. The builder is
/// deterministic, so the same parent, timestamp, fee recipient, extra data and transactions
/// rebuild the same block with the same digest.
public struct PendingBlock: Sendable, Equatable {
    public var parentHash: Hash32
    public var number: UInt64
    public var timestamp: UInt64
    public var feeRecipient: Address
    public var extraData: [UInt8]
    public var l1Messages: [L1MessageTransaction]
    public var transactions: [SignedTransaction]
    public var senders: [Address]
    /// The signature digest of the block these inputs built.
    public var digest: Hash32
    /// Development state edits (an optional trailing field: records from before it decode
    /// with none).
    public var stateEdits: [StateEdit]

    public init(_ built: BuiltBlock) {
        let b = built.block
        parentHash = b.header.parentHash
        number = b.number
        timestamp = b.header.timestamp
        feeRecipient = b.header.beneficiary
        extraData = b.header.extraData
        l1Messages = b.transactions.compactMap { if case .l1Message(let m) = $0.transaction { m } else { nil } }
        let userStart = l1Messages.count
        transactions = Array(b.transactions[userStart...])
        senders = Array(b.senders[userStart...])
        digest = built.signatureDigest
        stateEdits = built.stateEdits
    }

    var encoded: [UInt8] {
        var w = RLPWriter(capacity: transactions.count * 160 + 256)
        w.writeList { w in
            w.write(parentHash); w.write(number); w.write(timestamp); w.write(feeRecipient); w.write(bytes: extraData)
            w.writeList { w in for m in l1Messages { w.write(bytes: SignedTransaction(l1Message: m).encoded) } }
            w.writeList { w in for t in transactions { w.write(bytes: t.encoded) } }
            w.writeList { w in for s in senders { w.write(s) } }
            w.write(digest)
            if !stateEdits.isEmpty { w.writeList { w in for e in stateEdits { e.encode(into: &w) } } }
        }
        return w.bytes
    }

    init(encoded bytes: [UInt8]) throws {
        var outer = RLPReader(bytes)
        var r = try outer.readList()
        try outer.finish()
        parentHash = try r.readHash(); number = try r.readUInt64(); timestamp = try r.readUInt64()
        feeRecipient = try r.readAddress(); extraData = Array(try r.readBytes())
        var l1 = try r.readList()
        l1Messages = []
        while !l1.isAtEnd {
            let tx = try SignedTransaction(encoded: Array(try l1.readBytes()))
            guard case .l1Message(let m) = tx.transaction else { throw EngineError.corruptDatabase(.pendingBlock(number), .userTransactionAmongL1Messages) }
            l1Messages.append(m)
        }
        var txs = try r.readList()
        transactions = []
        while !txs.isAtEnd { transactions.append(try SignedTransaction(encoded: Array(try txs.readBytes()))) }
        var ss = try r.readList()
        senders = []
        while !ss.isAtEnd { senders.append(try ss.readAddress()) }
        digest = try r.readHash()
        stateEdits = []
        if !r.isAtEnd {
            var edits = try r.readList()
            while !edits.isAtEnd { stateEdits.append(try StateEdit(decoding: &edits)) }
        }
        try r.finish()
        guard senders.count == transactions.count else { throw EngineError.corruptDatabase(.pendingBlock(number), .sendersDoNotMatchTransactions(transactions: transactions.count, senders: senders.count)) }
    }
}

extension Chain {
    /// Writes the inputs of `built` durably (synced) before it is signed.
    public func savePending(_ built: BuiltBlock) throws(EngineError) {
        try storage { () throws(StorageError) in try database.setMetaValue(.pendingBlock, PendingBlock(built).encoded) }
    }

    /// The saved inputs of a block that was being signed when the node stopped, if they still
    /// extend the head.
    public func pendingBlock() throws(EngineError) -> PendingBlock? {
        guard let bytes = try storage({ () throws(StorageError) in try database.metaValue(.pendingBlock) }) else { return nil }
        let record: PendingBlock
        do { record = try PendingBlock(encoded: bytes) } catch { throw .corruptDatabase(.pendingBlock(nil), .undecodable(error)) }
        return record.parentHash == headBlock.hash ? record : nil
    }

    /// Removes the saved inputs (after a commit the batch removes them itself).
    public func discardPending() throws(EngineError) {
        try storage { () throws(StorageError) in try database.db.delete(Array(ChainDatabase.MetaKey.pendingBlock.rawValue.utf8), in: database.meta, sync: true) }
    }

    /// Builds the block of `record` again; throws if it does not come out with the same digest.
    public func rebuild(_ record: PendingBlock) throws(EngineError) -> BuiltBlock {
        var source = TransactionList(Array(zip(record.transactions, record.senders)))
        let attributes = PayloadAttributes(timestamp: record.timestamp, feeRecipient: record.feeRecipient,
                                           maxL1Messages: record.l1Messages.count, maxTransactions: record.transactions.count,
                                           buildingBudget: nil, extraData: record.extraData, stateEdits: record.stateEdits)
        let built = try build(attributes: attributes, l1Messages: record.l1Messages, transactions: &source)
        guard built.signatureDigest == record.digest else {
            throw .corruptDatabase(.pendingBlock(record.number), .rebuiltWithAnotherDigest(rebuilt: built.signatureDigest, saved: record.digest))
        }
        return built
    }
}
