import Primitives

/// Read access to the state a transaction executes against (the state before it).
///
/// Implementations: `InMemoryState` (tests, state tests); the Engine's RocksDB-backed state.
/// Errors thrown here abort the transaction with `ExecutionError.stateReadFailed`; the EVM
/// itself never sees them.
public protocol StateReader {
    /// The account, or nil when it does not exist.
    func account(_ address: Address) throws -> AccountInfo?
    /// A storage slot's value (zero when unset or the account does not exist).
    func storage(_ address: Address, slot: U256) throws -> U256
    /// Whether the account has any nonzero storage slot (its storage root is not the empty
    /// trie root): a CREATE to such an address collides (EIP-7610).
    func hasStorage(_ address: Address) throws -> Bool
    /// The code whose keccak256 is `hash` (empty for `Hash32.emptyCodeHash`).
    func code(hash: Hash32) throws -> [UInt8]
}
