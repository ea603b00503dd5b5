import Primitives

/// One undoable change to a `JournaledState`; reverting a checkpoint replays these backwards.
enum JournalEntry {
    case accountReplaced(Address, previous: JournaledAccount?)
    case balance(Address, U256)
    case nonce(Address, UInt64)
    case code(Address, Hash32, [UInt8]?)
    case storage(Address, U256, U256)
    case transient(StorageKey, U256)
    case warmAddress(Address)
    case warmSlot(StorageKey)
    case touched(Address)
    case selfDestructed(Address)
    case log
    case refund(Int)
}
