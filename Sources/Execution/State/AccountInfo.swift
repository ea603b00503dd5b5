import Primitives

/// An account's header fields as the EVM sees them (the storage root stays with the caller).
public struct AccountInfo: Hashable, Sendable {
    public var nonce: UInt64
    public var balance: U256
    public var codeHash: Hash32

    public init(nonce: UInt64 = 0, balance: U256 = .zero, codeHash: Hash32 = .emptyCodeHash) {
        self.nonce = nonce; self.balance = balance; self.codeHash = codeHash
    }

    /// EIP-161 "empty": no nonce, no balance, no code.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && codeHash == .emptyCodeHash }
}
