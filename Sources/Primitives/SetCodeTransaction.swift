/// One EIP-7702 authorization: the authority (the signer) lets its account run `address`'s code.
/// On the wire: rlp([chainId, address, nonce, yParity, r, s]).
public struct Authorization: Hashable, Sendable {
    /// 0 means any chain.
    public var chainID: U256
    /// The code to delegate to (the zero address clears a delegation).
    public var address: Address
    /// The authority's nonce this authorization is valid at (2^64-1 is never valid).
    public var nonce: UInt64
    /// The signature as carried: not checked when decoding, because an authorization with a
    /// bad signature makes its tuple void, not the transaction invalid (EIP-7702).
    public var yParity: UInt8
    public var r: U256
    public var s: U256

    public init(chainID: U256, address: Address, nonce: UInt64, yParity: UInt8, r: U256, s: U256) {
        self.chainID = chainID; self.address = address; self.nonce = nonce; self.yParity = yParity; self.r = r; self.s = s
    }

    /// Signs keccak256(0x05 || rlp([chainId, address, nonce])) with `key`.
    public static func signed(chainID: U256, address: Address, nonce: UInt64, with key: PrivateKey) throws(Secp256k1Error) -> Authorization {
        let digest = signingHash(chainID: chainID, address: address, nonce: nonce)
        let signature = try key.sign(digest: digest).normalized()
        return Authorization(chainID: chainID, address: address, nonce: nonce, yParity: signature.v, r: signature.r, s: signature.s)
    }

    public static func signingHash(chainID: U256, address: Address, nonce: UInt64) -> Hash32 {
        var w = RLPWriter(capacity: 64)
        w.write(encoded: [0x05])
        w.writeList { w in w.write(chainID); w.write(address); w.write(nonce) }
        return Keccak.hash256(w.bytes)
    }

    public var signingHash: Hash32 { Self.signingHash(chainID: chainID, address: address, nonce: nonce) }

    /// The authority, or nil when the signature is not valid for EIP-7702: y parity other than
    /// 0 or 1, r outside [1, n-1], s outside [1, n/2], or no recoverable key.
    public func authority() -> Address? {
        guard yParity <= 1, Signature.isInRange(r), Signature.isInRange(s), s <= Secp256k1.halfCurveOrder else { return nil }
        return try? Secp256k1.recoverAddress(digest: signingHash, signature: Signature(uncheckedR: r, s: s, v: yParity))
    }

    static func write(_ list: [Authorization], to w: inout RLPWriter) {
        w.writeList { w in
            for a in list {
                w.writeList { w in
                    w.write(a.chainID); w.write(a.address); w.write(a.nonce)
                    w.write(UInt64(a.yParity)); w.write(a.r); w.write(a.s)
                }
            }
        }
    }

    /// Reads an authorization list strictly: every tuple has exactly six canonical fields, y
    /// parity fits a byte.
    static func read(from r: inout RLPReader) throws(RLPError) -> [Authorization] {
        var list = try r.readList()
        var out: [Authorization] = []
        while !list.isAtEnd {
            var tuple = try list.readList()
            let count = try tuple.remainingCount()
            guard count == 6 else { throw .wrongFieldCount(expected: 6, actual: count) }
            let chainID = try tuple.readU256(), address = try tuple.readAddress(), nonce = try tuple.readUInt64()
            let yParity = try tuple.readUInt64()
            guard yParity <= UInt64(UInt8.max) else { throw .integerTooLarge(bits: 8) }
            out.append(Authorization(chainID: chainID, address: address, nonce: nonce, yParity: UInt8(yParity),
                                     r: try tuple.readU256(), s: try tuple.readU256()))
        }
        return out
    }
}

/// An EIP-7702 (type 0x04) set-code transaction: an EIP-1559 call (never a creation) that
/// first applies its authorizations, delegating each authority's account to some code.
public struct SetCodeTransaction: Hashable, Sendable {
    public var chainID: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: U256
    public var maxFeePerGas: U256
    public var gasLimit: UInt64
    public var to: Address
    public var value: U256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]
    public var authorizationList: [Authorization]

    public init(chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: U256, maxFeePerGas: U256, gasLimit: UInt64,
                to: Address, value: U256, data: [UInt8] = [], accessList: [AccessListEntry] = [],
                authorizationList: [Authorization]) {
        self.chainID = chainID; self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas; self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit; self.to = to; self.value = value; self.data = data; self.accessList = accessList
        self.authorizationList = authorizationList
    }

    /// keccak256(0x04 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to,
    /// value, data, accessList, authorizationList])).
    public var signingHash: Hash32 { Keccak.hash256(encoded(signature: nil)) }

    /// 0x04 || rlp([... fields, yParity, r, s]), or the signing payload when `signature` is nil.
    public func encoded(signature: Signature?) -> [UInt8] {
        var w = RLPWriter(capacity: 160 + data.count + authorizationList.count * 110)
        w.write(encoded: [TransactionType.setCode.rawValue])
        w.writeList { w in
            w.write(chainID); w.write(nonce); w.write(maxPriorityFeePerGas); w.write(maxFeePerGas)
            w.write(gasLimit); w.write(to); w.write(value); w.write(bytes: data)
            AccessListEntry.write(accessList, to: &w)
            Authorization.write(authorizationList, to: &w)
            if let signature { w.write(UInt64(signature.v)); w.write(signature.r); w.write(signature.s) }
        }
        return w.bytes
    }

    /// Decodes the thirteen-field list that follows the type byte. A missing recipient is an
    /// encoding error (set-code transactions cannot create contracts).
    static func decode(payload: [UInt8]) throws(TransactionError) -> (SetCodeTransaction, Signature) {
        var f = try TransactionFieldReader(payload, type: .setCode, fieldCount: 13)
        let chainID = try f.uint64(.chainID), nonce = try f.uint64(.nonce)
        let tip = try f.u256(.maxPriorityFeePerGas), feeCap = try f.u256(.maxFeePerGas)
        let gasLimit = try f.uint64(.gasLimit), to = try f.address(.to), value = try f.u256(.value)
        let data = try f.bytes(.data), accessList = try f.accessList()
        let authorizations = try f.authorizationList()
        let signature = try f.typedSignature()
        let tx = SetCodeTransaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: feeCap,
                                    gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList,
                                    authorizationList: authorizations)
        return (tx, signature)
    }
}
