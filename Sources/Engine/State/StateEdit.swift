import Primitives

/// A development chain's direct state edit (anvil_setBalance, anvil_setNonce, anvil_setCode,
/// anvil_setStorageAt): applied at the start of a block, before its transactions, and recorded
/// with the block's inputs so that a block rebuilt after a crash comes out the same.
public struct StateEdit: Sendable, Equatable {
    public var address: Address
    public var balance: U256?
    public var nonce: UInt64?
    public var code: [UInt8]?
    public var storage: [U256: U256]

    public init(address: Address, balance: U256? = nil, nonce: UInt64? = nil, code: [UInt8]? = nil, storage: [U256: U256] = [:]) {
        self.address = address; self.balance = balance; self.nonce = nonce; self.code = code; self.storage = storage
    }

    /// Applies the edit to a block in progress.
    func apply(to state: StateOverlay) throws(EngineError) {
        var account = try state.account(address)
        if let balance { account.balance = balance }
        if let nonce { account.nonce = nonce }
        if let code { account.codeHash = code.isEmpty ? .emptyKeccak : state.deploy(code: code) }
        try state.set(address, account)
        for (slot, value) in storage.sorted(by: { $0.key < $1.key }) { try state.setStorage(address, slot: slot, value) }
    }

    /// rlp([address, presence flags, balance, nonce, code, [[slot, value]…]]).
    func encode(into w: inout RLPWriter) {
        let flags: UInt64 = (balance != nil ? 1 : 0) | (nonce != nil ? 2 : 0) | (code != nil ? 4 : 0)
        w.writeList { w in
            w.write(address); w.write(flags); w.write(balance ?? .zero); w.write(nonce ?? 0); w.write(bytes: code ?? [])
            w.writeList { w in
                for (slot, value) in storage.sorted(by: { $0.key < $1.key }) { w.writeList { w in w.write(slot); w.write(value) } }
            }
        }
    }

    init(decoding r: inout RLPReader) throws {
        var l = try r.readList()
        address = try l.readAddress()
        let flags = try l.readUInt64()
        let b = try l.readU256(), n = try l.readUInt64(), c = Array(try l.readBytes())
        balance = flags & 1 != 0 ? b : nil
        nonce = flags & 2 != 0 ? n : nil
        code = flags & 4 != 0 ? c : nil
        storage = [:]
        var words = try l.readList()
        while !words.isAtEnd {
            var pair = try words.readList()
            storage[try pair.readU256()] = try pair.readU256()
            try pair.finish()
        }
        try l.finish()
    }
}

extension StateEdit {
    /// rlp([edit…]): how a block's edits are stored and sent to followers.
    public static func encodeList(_ edits: [StateEdit]) -> [UInt8] {
        var w = RLPWriter(capacity: 64 + edits.count * 96)
        w.writeList { w in for e in edits { e.encode(into: &w) } }
        return w.bytes
    }

    /// Decodes `encodeList`'s bytes.
    public static func decodeList(_ bytes: [UInt8]) throws -> [StateEdit] {
        var outer = RLPReader(bytes)
        var list = try outer.readList()
        try outer.finish()
        var edits: [StateEdit] = []
        while !list.isAtEnd { edits.append(try StateEdit(decoding: &list)) }
        return edits
    }
}
