extension Receipt {
    /// The EIP-2718 encoding: rlp([status, cumulativeGasUsed, bloom, logs]) for legacy
    /// transactions, type || rlp([...]) for typed ones (including 0x7E L1 messages). This is the
    /// value stored in the receipts trie.
    public var encoded: [UInt8] {
        var w = RLPWriter(capacity: 300 + logs.count * 100)
        if type != 0 { w.write(encoded: CollectionOfOne(type)) }
        w.writeList { w in
            switch status {
            case .failed: w.write(bytes: EmptyCollection<UInt8>())
            case .succeeded: w.write(UInt64(1))
            }
            w.write(cumulativeGasUsed)
            w.write(bloom)
            w.writeList { w in for log in logs { log.write(to: &w) } }
        }
        return w.bytes
    }

    /// Decodes an EIP-2718 receipt encoding strictly: canonical RLP, exactly four fields, status
    /// 0 (empty string) or 1, a known type, nothing after the list.
    public init(encoded bytes: [UInt8]) throws(ReceiptError) {
        guard let first = bytes.first else { throw .empty }
        let type: UInt8
        var reader: RLPReader
        if first >= 0xc0 {
            type = 0
            reader = RLPReader(bytes)
        } else {
            guard first != 0, Self.knownTypes.contains(first) else { throw .unknownType(first) }
            type = first
            reader = RLPReader(Array(bytes.dropFirst()))
        }
        let fields: (status: ArraySlice<UInt8>, cumulativeGasUsed: UInt64, bloom: Bloom, logs: [Log])
        do {
            fields = try Self.readFields(&reader)
        } catch {
            throw .rlp(error)
        }
        let status: Status
        switch fields.status.count {
        case 0: status = .failed
        case 1 where fields.status.first == 1: status = .succeeded
        default: throw .invalidStatus
        }
        self.init(type: type, status: status, cumulativeGasUsed: fields.cumulativeGasUsed, logs: fields.logs, bloom: fields.bloom)
    }

    private static func readFields(_ reader: inout RLPReader) throws(RLPError)
        -> (status: ArraySlice<UInt8>, cumulativeGasUsed: UInt64, bloom: Bloom, logs: [Log]) {
        var list = try reader.readList()
        try reader.finish()
        let count = try list.remainingCount()
        guard count == 4 else { throw .wrongFieldCount(expected: 4, actual: count) }
        let status = try list.readBytes()
        let cumulativeGasUsed = try list.readUInt64()
        let bloom = try list.readBloom()
        var logList = try list.readList()
        var logs: [Log] = []
        while !logList.isAtEnd { logs.append(try Log(from: &logList)) }
        return (status, cumulativeGasUsed, bloom, logs)
    }
}
