/// An EIP-1559 (type 0x02) transaction: a fee cap and a priority fee instead of a gas price.
public struct DynamicFeeTransaction: Hashable, Sendable {
    public var chainID: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: U256
    public var maxFeePerGas: U256
    public var gasLimit: UInt64
    /// The recipient, or nil for contract creation.
    public var to: Address?
    public var value: U256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]

    public init(chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: U256, maxFeePerGas: U256, gasLimit: UInt64,
                to: Address?, value: U256, data: [UInt8] = [], accessList: [AccessListEntry] = []) {
        self.chainID = chainID; self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas; self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit; self.to = to; self.value = value; self.data = data; self.accessList = accessList
    }

    /// keccak256(0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to,
    /// value, data, accessList])).
    public var signingHash: Hash32 { Keccak.hash256(encoded(signature: nil)) }

    /// 0x02 || rlp([... fields, yParity, r, s]), or the signing payload when `signature` is nil.
    public func encoded(signature: Signature?) -> [UInt8] {
        var w = RLPWriter(capacity: 128 + data.count)
        w.write(encoded: [TransactionType.dynamicFee.rawValue])
        w.writeList { w in
            w.write(chainID); w.write(nonce); w.write(maxPriorityFeePerGas); w.write(maxFeePerGas)
            w.write(gasLimit); w.write(to); w.write(value); w.write(bytes: data)
            AccessListEntry.write(accessList, to: &w)
            if let signature { w.write(UInt64(signature.v)); w.write(signature.r); w.write(signature.s) }
        }
        return w.bytes
    }

    /// Decodes the twelve-field list that follows the type byte.
    static func decode(payload: [UInt8]) throws(TransactionError) -> (DynamicFeeTransaction, Signature) {
        var f = try TransactionFieldReader(payload, type: .dynamicFee, fieldCount: 12)
        let chainID = try f.uint64(.chainID), nonce = try f.uint64(.nonce)
        let tip = try f.u256(.maxPriorityFeePerGas), feeCap = try f.u256(.maxFeePerGas)
        let gasLimit = try f.uint64(.gasLimit), to = try f.optionalAddress(.to), value = try f.u256(.value)
        let data = try f.bytes(.data), accessList = try f.accessList()
        let signature = try f.typedSignature()
        let tx = DynamicFeeTransaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: feeCap,
                                       gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList)
        return (tx, signature)
    }
}
