import Primitives

/// The precompiled contracts implemented so far, by address (see Precompiles/).
enum PrecompileTable {
    static var available: [Address: PrecompileFunction] { Precompiles.cancun }
}
