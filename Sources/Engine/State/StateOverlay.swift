import Primitives

/// Account changes of a block in progress, over the state of its parent.
///
/// Reads fall through to `base`; writes stay here until the block is committed. Not
/// thread-safe: one builder owns it.
public final class StateOverlay {
    public let base: AccountStateReader
    /// Every account written during this block, with its latest value.
    public private(set) var changes: [Address: Account] = [:]
    /// The parent's value of every changed account (nil: it did not exist), for rollbacks.
    public private(set) var originals: [Address: Account?] = [:]

    public init(base: AccountStateReader) { self.base = base }

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
}
