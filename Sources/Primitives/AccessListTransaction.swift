/// An EIP-2930 (type 0x01) transaction: a legacy gas price plus an access list.
public struct AccessListTransaction: Hashable, Sendable {
    public var chainID: UInt64
    public var nonce: UInt64
    public var gasPrice: U256
    public var gasLimit: UInt64
    /// The recipient, or nil for contract creation.
    public var to: Address?
    public var value: U256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]

    public init(chainID: UInt64, nonce: UInt64, gasPrice: U256, gasLimit: UInt64, to: Address?,
                value: U256, data: [UInt8] = [], accessList: [AccessListEntry] = []) {
        self.chainID = chainID; self.nonce = nonce; self.gasPrice = gasPrice; self.gasLimit = gasLimit
        self.to = to; self.value = value; self.data = data; self.accessList = accessList
    }

    /// keccak256(0x01 || rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList])).
    public var signingHash: Hash32 { Keccak.hash256(encoded(signature: nil)) }

    /// 0x01 || rlp([... fields, yParity, r, s]), or the signing payload when `signature` is nil.
    func encoded(signature: Signature?) -> [UInt8] {
        var w = RLPWriter(capacity: 128 + data.count)
        w.write(encoded: [TransactionType.accessList.rawValue])
        w.writeList { w in
            w.write(chainID); w.write(nonce); w.write(gasPrice); w.write(gasLimit); w.write(to); w.write(value)
            w.write(bytes: data)
            AccessListEntry.write(accessList, to: &w)
            if let signature { w.write(UInt64(signature.v)); w.write(signature.r); w.write(signature.s) }
        }
        return w.bytes
    }

    /// Decodes the eleven-field list that follows the type byte.
    static func decode(payload: [UInt8]) throws(TransactionError) -> (AccessListTransaction, Signature) {
        var f = try TransactionFieldReader(payload, type: .accessList, fieldCount: 11)
        let chainID = try f.uint64(.chainID), nonce = try f.uint64(.nonce), gasPrice = try f.u256(.gasPrice)
        let gasLimit = try f.uint64(.gasLimit), to = try f.optionalAddress(.to), value = try f.u256(.value)
        let data = try f.bytes(.data), accessList = try f.accessList()
        let signature = try f.typedSignature()
        let tx = AccessListTransaction(chainID: chainID, nonce: nonce, gasPrice: gasPrice, gasLimit: gasLimit,
                                       to: to, value: value, data: data, accessList: accessList)
        return (tx, signature)
    }
}
