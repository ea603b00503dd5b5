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
