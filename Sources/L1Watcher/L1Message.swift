import Primitives

/// An L1 message as the watcher stores it: the 0x7E transaction, where it came from on L1, its
/// L2 transaction hash, the rolling queue hash through it, and the L2 block that included it.
public struct L1Message: Sendable, Hashable {
    public var transaction: L1MessageTransaction
    public var l1BlockNumber: UInt64
    public var l1BlockHash: Hash32
    /// The L1 transaction that emitted the QueueTransaction event (zero if the provider omitted it).
    public var l1TransactionHash: Hash32
    public var logIndex: UInt64
    /// keccak256(0x7E || rlp(...)): the L2 transaction hash.
    public var transactionHash: Hash32
    /// Scroll's V2 rolling queue hash through this message (see `L1Message.rollingHash`).
    public var rollingHash: Hash32
    /// The L2 block that included it, if the node has said so (`markIncluded`).
    public var includedInL2Block: UInt64?

    public var queueIndex: UInt64 { transaction.queueIndex }

    public init(transaction: L1MessageTransaction, l1BlockNumber: UInt64, l1BlockHash: Hash32,
                l1TransactionHash: Hash32, logIndex: UInt64, transactionHash: Hash32, rollingHash: Hash32,
                includedInL2Block: UInt64? = nil) {
        self.transaction = transaction; self.l1BlockNumber = l1BlockNumber; self.l1BlockHash = l1BlockHash
        self.l1TransactionHash = l1TransactionHash; self.logIndex = logIndex; self.transactionHash = transactionHash
        self.rollingHash = rollingHash; self.includedInL2Block = includedInL2Block
    }

    /// Scroll's V2 rolling queue hash: h = keccak256(previous || txHash), with previous = 32 zero
    /// bytes for the first message, and the low 32 bits of each result zeroed.
    public static func rollingHash(previous: Hash32?, transactionHash: Hash32) -> Hash32 {
        var input = (previous ?? .zero).bytes
        input.append(contentsOf: transactionHash.bytes)
        var h = Keccak.hash256(input)
        h.w3 &= ~0xFFFF_FFFF
        return h
    }

    // MARK: Storage encoding

    /// rlp([queueIndex, gasLimit, to, value, data, sender, l1BlockNumber, l1BlockHash,
    /// l1TransactionHash, logIndex, transactionHash, rollingHash]). Inclusion lives in its own table.
    func encodedForStorage() -> [UInt8] {
        var w = RLPWriter(capacity: 300 + transaction.data.count)
        w.writeList { w in
            w.write(transaction.queueIndex); w.write(transaction.gasLimit); w.write(transaction.to)
            w.write(transaction.value); w.write(bytes: transaction.data); w.write(transaction.sender)
            w.write(l1BlockNumber); w.write(l1BlockHash); w.write(l1TransactionHash); w.write(logIndex)
            w.write(transactionHash); w.write(rollingHash)
        }
        return w.bytes
    }

    init(storage bytes: [UInt8]) throws(RLPError) {
        var outer = RLPReader(bytes)
        var r = try outer.readList()
        try outer.finish()
        let tx = L1MessageTransaction(queueIndex: try r.readUInt64(), gasLimit: try r.readUInt64(), to: try r.readAddress(),
                                      value: try r.readU256(), data: Array(try r.readBytes()), sender: try r.readAddress())
        self.init(transaction: tx, l1BlockNumber: try r.readUInt64(), l1BlockHash: try r.readHash(),
                  l1TransactionHash: try r.readHash(), logIndex: try r.readUInt64(), transactionHash: try r.readHash(),
                  rollingHash: try r.readHash())
        try r.finish()
    }
}
