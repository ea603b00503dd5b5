import Primitives

/// Read access to the whole state of some block: accounts, storage slots and code.
///
/// The head's implementation reads RocksDB's flat tables (`HeadStateReader`); a block in
/// progress layers its changes over it (`StateOverlay`).
public protocol ContractStateReader: AccountStateReader {
    /// The storage word at `slot` of `address` (zero when unset or the account does not exist).
    func storage(_ address: Address, slot: U256) throws(EngineError) -> U256
    /// Every nonzero storage slot of `address`, in slot order. Linear in the account's storage:
    /// for clearing an account's storage (a self-destructed or re-created account) only.
    func storageSlots(_ address: Address) throws(EngineError) -> [(slot: U256, value: U256)]
    /// The code whose keccak256 is `hash`; nil when unknown (empty code for `Hash32.emptyKeccak`).
    func code(hash: Hash32) throws(EngineError) -> [UInt8]?
}
