import Primitives

/// An account as the state trie stores it: rlp([nonce, balance, storageRoot, codeHash]).
public struct Account: Sendable, Hashable {
    public var nonce: UInt64
    public var balance: U256
    public var storageRoot: Hash32
    public var codeHash: Hash32

    public static let empty = Account(nonce: 0, balance: .zero, storageRoot: .emptyTrieRoot, codeHash: .emptyKeccak)

    public init(nonce: UInt64, balance: U256, storageRoot: Hash32 = .emptyTrieRoot, codeHash: Hash32 = .emptyKeccak) {
        self.nonce = nonce; self.balance = balance; self.storageRoot = storageRoot; self.codeHash = codeHash
    }

    /// Whether the account has code (no EVM yet: calls to such accounts are refused).
    public var hasCode: Bool { codeHash != .emptyKeccak }

    /// EIP-161 emptiness: no nonce, no balance, no code.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && !hasCode }

    public var rlp: [UInt8] {
        var w = RLPWriter(capacity: 80)
        w.writeList { w in
            w.write(nonce); w.write(balance); w.write(storageRoot); w.write(codeHash)
        }
        return w.bytes
    }

    public init(rlp bytes: [UInt8]) throws(RLPError) {
        var outer = RLPReader(bytes)
        var r = try outer.readList()
        try outer.finish()
        nonce = try r.readUInt64()
        balance = try r.readU256()
        storageRoot = try r.readHash()
        codeHash = try r.readHash()
        try r.finish()
    }
}

/// Read access to account state, as of some block (the engine's head for the mempool).
public protocol AccountStateReader: Sendable {
    /// The account at `address`, or nil when it does not exist; throws when the state cannot
    /// be read (storage failure, corrupt record).
    func account(_ address: Address) throws(EngineError) -> Account?
}
