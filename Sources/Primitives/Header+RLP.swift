extension Header {
    /// rlp(header): the fields in order, the optional ones up to the last present one.
    public var encoded: [UInt8] {
        var w = RLPWriter(capacity: 600 + extraData.count)
        write(to: &w, includingExtraData: true)
        return w.bytes
    }

    /// The block hash: keccak256(rlp(header)).
    public var hash: Hash32 { Keccak.hash256(encoded) }

    /// The digest a Scroll-style sequencer signs: keccak256 of the header's RLP list with the
    /// extraData field left out (the other fields in the same order). It is not the block hash.
    public var signatureDigest: Hash32 {
        var w = RLPWriter(capacity: 600)
        write(to: &w, includingExtraData: false)
        return Keccak.hash256(w.bytes)
    }

    /// Appends rlp(header) (as a list item of a block, for example).
    public func write(to w: inout RLPWriter) {
        write(to: &w, includingExtraData: true)
    }

    func write(to w: inout RLPWriter, includingExtraData: Bool) {
        let optionals: [Bool] = [baseFeePerGas != nil, withdrawalsRoot != nil, blobGasUsed != nil,
                                 excessBlobGas != nil, parentBeaconBlockRoot != nil, requestsHash != nil]
        let present = optionals.lastIndex(of: true).map { $0 + 1 } ?? 0
        precondition(!optionals[..<present].contains(false),
                     "Header: an optional field is present after a missing one")
        w.writeList { w in
            w.write(parentHash)
            w.write(ommersHash)
            w.write(beneficiary)
            w.write(stateRoot)
            w.write(transactionsRoot)
            w.write(receiptsRoot)
            w.write(logsBloom)
            w.write(difficulty)
            w.write(number)
            w.write(gasLimit)
            w.write(gasUsed)
            w.write(timestamp)
            if includingExtraData { w.write(bytes: extraData) }
            w.write(mixHash)
            w.write(bytes: (0..<8).map { UInt8(truncatingIfNeeded: nonce >> (56 - 8 * UInt64($0))) })
            if let baseFeePerGas { w.write(baseFeePerGas) }
            if let withdrawalsRoot { w.write(withdrawalsRoot) }
            if let blobGasUsed { w.write(blobGasUsed) }
            if let excessBlobGas { w.write(excessBlobGas) }
            if let parentBeaconBlockRoot { w.write(parentBeaconBlockRoot) }
            if let requestsHash { w.write(requestsHash) }
        }
    }

    /// Decodes rlp(header) strictly: canonical RLP, 15 to 21 fields, fixed-size fields of their
    /// exact size, integers without leading zeros, nothing after the list.
    public init(encoded bytes: [UInt8]) throws(RLPError) {
        var reader = RLPReader(bytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    /// Reads one header list from `reader` (the first item of a block, for example).
    public init(from reader: inout RLPReader) throws(RLPError) {
        var list = try reader.readList()
        let count = try list.remainingCount()
        guard (15...21).contains(count) else { throw .wrongFieldCount(expected: 16, actual: count) }
        parentHash = try list.readHash()
        ommersHash = try list.readHash()
        beneficiary = try list.readAddress()
        stateRoot = try list.readHash()
        transactionsRoot = try list.readHash()
        receiptsRoot = try list.readHash()
        logsBloom = try list.readBloom()
        difficulty = try list.readU256()
        number = try list.readUInt64()
        gasLimit = try list.readUInt64()
        gasUsed = try list.readUInt64()
        timestamp = try list.readUInt64()
        extraData = Array(try list.readBytes())
        mixHash = try list.readHash()
        let nonceBytes = try list.readBytes()
        guard nonceBytes.count == 8 else { throw .wrongLength(expected: 8, actual: nonceBytes.count) }
        nonce = nonceBytes.reduce(0) { $0 << 8 | UInt64($1) }
        baseFeePerGas = count > 15 ? try list.readU256() : nil
        withdrawalsRoot = count > 16 ? try list.readHash() : nil
        blobGasUsed = count > 17 ? try list.readUInt64() : nil
        excessBlobGas = count > 18 ? try list.readUInt64() : nil
        parentBeaconBlockRoot = count > 19 ? try list.readHash() : nil
        requestsHash = count > 20 ? try list.readHash() : nil
        try list.finish()
    }
}
