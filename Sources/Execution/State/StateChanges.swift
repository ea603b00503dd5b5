import Primitives

/// What one transaction changed: the seam between the EVM and whoever stores state.
///
/// Apply it over the state the transaction read from (`InMemoryState.apply(_:)` shows how):
/// for each address, either delete the account (and its storage), or set its header, replace
/// its code when `code` is given, wipe its storage first when `storageCleared`, then write
/// each slot in `storage` (zero deletes the slot).
public struct StateChanges: Sendable, Equatable {
    public var accounts: [Address: AccountChange]

    public init(accounts: [Address: AccountChange] = [:]) { self.accounts = accounts }
}

/// The change to one account.
public enum AccountChange: Sendable, Equatable {
    /// The account no longer exists (self-destructed, or touched while empty per EIP-161).
    case deleted
    /// The account exists with these values.
    case updated(UpdatedAccount)
}

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
