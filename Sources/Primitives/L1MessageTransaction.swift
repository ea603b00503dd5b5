/// Scroll's L1 message transaction (type 0x7E): a message queued on L1 and executed on L2 as
/// `sender`. It has no signature, nonce or gas price, pays no fee and cannot create contracts.
///
/// Wire form: 0x7E || rlp([queueIndex, gasLimit, to, value, data, sender]) (data before sender).
public struct L1MessageTransaction: Hashable, Sendable {
    /// Position in the L1 message queue; messages are included in this order without gaps.
    public var queueIndex: UInt64
    public var gasLimit: UInt64
    /// The target; never empty.
    public var to: Address
    public var value: U256
    public var data: [UInt8]
    /// The L1 account that queued the message (after any alias the queue applies).
    public var sender: Address

    public init(queueIndex: UInt64, gasLimit: UInt64, to: Address, value: U256, data: [UInt8] = [], sender: Address) {
        self.queueIndex = queueIndex; self.gasLimit = gasLimit; self.to = to; self.value = value
        self.data = data; self.sender = sender
    }

    /// 0x7E || rlp([queueIndex, gasLimit, to, value, data, sender]).
    func encoded() -> [UInt8] {
        var w = RLPWriter(capacity: 96 + data.count)
        w.write(encoded: [TransactionType.l1Message.rawValue])
        w.writeList { w in
            w.write(queueIndex); w.write(gasLimit); w.write(to); w.write(value); w.write(bytes: data); w.write(sender)
        }
        return w.bytes
    }

    /// Decodes the six-field list that follows the type byte; an empty `to` is rejected.
    static func decode(payload: [UInt8]) throws(TransactionError) -> L1MessageTransaction {
        var f = try TransactionFieldReader(payload, type: .l1Message, fieldCount: 6)
        let queueIndex = try f.uint64(.queueIndex), gasLimit = try f.uint64(.gasLimit)
        guard let to = try f.optionalAddress(.to) else { throw .l1MessageContractCreation }
        let value = try f.u256(.value), data = try f.bytes(.data), sender = try f.address(.sender)
        return L1MessageTransaction(queueIndex: queueIndex, gasLimit: gasLimit, to: to, value: value, data: data, sender: sender)
    }
}
