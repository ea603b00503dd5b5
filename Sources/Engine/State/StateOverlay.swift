import Primitives

/// Account, storage and code changes of a block in progress, over the state of its parent.
///
/// Reads fall through to `base`; writes stay here until the block is committed. Not
/// thread-safe: one builder owns it.
public final class StateOverlay {
    public let base: any ContractStateReader
    /// Every account written during this block, with its latest value. An account whose
    /// storage changed is here too: sealing recomputes its storage root.
    public private(set) var changes: [Address: Account] = [:]
    /// The parent's value of every changed account (nil: it did not exist), for rollbacks.
    public private(set) var originals: [Address: Account?] = [:]
    /// Changed storage slots with their latest values (zero: deleted).
    public private(set) var storageChanges: [Address: [U256: U256]] = [:]
    /// The parent's value of every changed slot, for rollbacks.
    public private(set) var storageOriginals: [Address: [U256: U256]] = [:]
    /// Code deployed during this block, by hash.
    public private(set) var newCode: [Hash32: [UInt8]] = [:]

    public init(base: any ContractStateReader) { self.base = base }

    /// The account as of now; an absent account reads as `Account.empty`.
    public func account(_ address: Address) throws(EngineError) -> Account {
        if let a = changes[address] { return a }
        return try base.account(address) ?? .empty
    }

    public func set(_ address: Address, _ account: Account) throws(EngineError) {
        if originals[address] == nil {
            originals[address] = .some(try base.account(address))
        }
        changes[address] = account
    }

    public func addBalance(_ address: Address, _ amount: U256) throws(EngineError) {
        guard !amount.isZero else { return }
        var a = try account(address)
        let (sum, overflow) = a.balance.addingReportingOverflow(amount)
        precondition(!overflow, "balance overflow: total supply is bounded far below 2^256")
        a.balance = sum
        try set(address, a)
    }

    /// The storage word as of now.
    public func storage(_ address: Address, slot: U256) throws(EngineError) -> U256 {
        if let v = storageChanges[address]?[slot] { return v }
        return try base.storage(address, slot: slot)
    }

    /// Writes a storage word (zero deletes it). The account is marked changed so that sealing
    /// recomputes its storage root.
    public func setStorage(_ address: Address, slot: U256, _ value: U256) throws(EngineError) {
        if storageOriginals[address]?[slot] == nil {
            storageOriginals[address, default: [:]][slot] = try base.storage(address, slot: slot)
        }
        storageChanges[address, default: [:]][slot] = value
        if changes[address] == nil { try set(address, try account(address)) }
    }

    /// Deletes every storage word of `address` (a self-destructed or re-created account).
    public func clearStorage(_ address: Address) throws(EngineError) {
        for (slot, _) in try base.storageSlots(address) { try setStorage(address, slot: slot, .zero) }
        for slot in Array(storageChanges[address]?.keys ?? [:].keys) { try setStorage(address, slot: slot, .zero) }
    }

    /// The code with `hash` as of now (deployed in this block or before); empty when unknown.
    public func code(hash: Hash32) throws(EngineError) -> [UInt8] {
        if hash == .emptyKeccak { return [] }
        if let c = newCode[hash] { return c }
        return try base.code(hash: hash) ?? []
    }

    /// Stores deployed code and returns its hash (the account's new code hash).
    @discardableResult
    public func deploy(code: [UInt8]) -> Hash32 {
        let hash = Keccak.hash256(code)
        if !code.isEmpty { newCode[hash] = code }
        return hash
    }
}
