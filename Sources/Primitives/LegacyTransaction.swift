/// A pre-EIP-2718 transaction, with or without EIP-155 replay protection.
public struct LegacyTransaction: Hashable, Sendable {
    /// The EIP-155 chain ID, or nil for an unprotected (v = 27/28) transaction.
    public var chainID: UInt64?
    public var nonce: UInt64
    public var gasPrice: U256
    public var gasLimit: UInt64
    /// The recipient, or nil for contract creation.
    public var to: Address?
    public var value: U256
    public var data: [UInt8]

    public init(chainID: UInt64?, nonce: UInt64, gasPrice: U256, gasLimit: UInt64, to: Address?,
                value: U256, data: [UInt8] = []) {
        self.chainID = chainID; self.nonce = nonce; self.gasPrice = gasPrice; self.gasLimit = gasLimit
        self.to = to; self.value = value; self.data = data
    }

    /// keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data])) without a chain ID, or
    /// with `chainID, 0, 0` appended under EIP-155.
    public var signingHash: Hash32 {
        var w = RLPWriter(capacity: 64 + data.count)
        w.writeList { w in
            writeFields(to: &w)
            if let chainID { w.write(chainID); w.write(0 as UInt64); w.write(0 as UInt64) }
        }
        return Keccak.hash256(w.bytes)
    }

    /// The value of v on the wire: 27/28, or chainID * 2 + 35/36 (computed in 256 bits).
    func encodedV(recoveryID: UInt8) -> U256 {
        guard let chainID else { return U256(27 + UInt64(recoveryID)) }
        return U256(chainID) + U256(chainID) + U256(35 + UInt64(recoveryID))
    }

    /// rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s]).
    func encoded(signature: Signature) -> [UInt8] {
        var w = RLPWriter(capacity: 128 + data.count)
        w.writeList { w in
            writeFields(to: &w)
            w.write(encodedV(recoveryID: signature.v)); w.write(signature.r); w.write(signature.s)
        }
        return w.bytes
    }

    private func writeFields(to w: inout RLPWriter) {
        w.write(nonce); w.write(gasPrice); w.write(gasLimit); w.write(to); w.write(value); w.write(bytes: data)
    }

    /// Decodes the nine-field list strictly.
    static func decode(_ bytes: [UInt8]) throws(TransactionError) -> (LegacyTransaction, Signature) {
        var f = try TransactionFieldReader(bytes, type: .legacy, fieldCount: 9)
        let nonce = try f.uint64(.nonce), gasPrice = try f.u256(.gasPrice), gasLimit = try f.uint64(.gasLimit)
        let to = try f.optionalAddress(.to), value = try f.u256(.value), data = try f.bytes(.data)
        let v = try f.u256(.v), r = try f.u256(.r), s = try f.u256(.s)
        guard Signature.isInRange(r), Signature.isInRange(s) else { throw .invalidSignatureValues }
        let chainID: UInt64?, recoveryID: UInt8
        if v == U256(27) || v == U256(28) {
            chainID = nil
            recoveryID = UInt8(v.l0 - 27)
        } else if v >= U256(35) {
            let offset = v - U256(35)
            guard let id = (offset >> 1).uint64 else { throw .invalidField(.chainID, .integerTooLarge(bits: 64)) }
            chainID = id
            recoveryID = UInt8(offset.l0 & 1)
        } else {
            throw .invalidSignatureValues
        }
        let tx = LegacyTransaction(chainID: chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gasLimit,
                                   to: to, value: value, data: data)
        return (tx, Signature(uncheckedR: r, s: s, v: recoveryID))
    }
}
