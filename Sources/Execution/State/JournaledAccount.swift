import Primitives

/// An account as a transaction sees it: loaded once from the `StateReader`, then changed.
struct JournaledAccount {
    var info: AccountInfo
    /// Exists in the state (loaded as existing, or created/credited during the transaction).
    var exists: Bool
    /// Existed before the transaction (to know whether a deletion must be reported).
    let existedBefore: Bool
    /// The code once loaded (nil until needed).
    var code: [UInt8]?
    /// Current values of the slots read or written.
    var storage: [U256: U256] = [:]
    /// Values at the start of the transaction of the slots read or written (EIP-2200).
    var originalStorage: [U256: U256] = [:]
    /// Created in this transaction (EIP-6780; storage before it is gone, originals are zero).
    var createdInTransaction = false
    /// The code was set in this transaction.
    var codeChanged = false
}
