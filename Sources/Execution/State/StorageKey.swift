import Primitives

/// An (address, slot) pair: warm slots and transient storage.
struct StorageKey: Hashable {
    var address: Address
    var slot: U256
}
