import Primitives

/// An account's new values after a transaction.
public struct UpdatedAccount: Sendable, Equatable {
    public var info: AccountInfo
    /// The new code when it was deployed in this transaction (its hash is `info.codeHash`).
    public var code: [UInt8]?
    /// The account was (re)created: its storage before the transaction is gone.
    public var storageCleared: Bool
    /// Changed slots and their new values (zero means deleted).
    public var storage: [U256: U256]

    public init(info: AccountInfo, code: [UInt8]? = nil, storageCleared: Bool = false, storage: [U256: U256] = [:]) {
        self.info = info; self.code = code; self.storageCleared = storageCleared; self.storage = storage
    }
}
