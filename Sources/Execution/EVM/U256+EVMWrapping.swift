import Primitives

// Word conversions and short names for wrapping arithmetic used by the interpreter.
extension U256 {
    @inline(__always) func evmAdd(_ b: U256) -> U256 { self &+ b }
    @inline(__always) func evmSub(_ b: U256) -> U256 { self &- b }
    @inline(__always) func evmMul(_ b: U256) -> U256 { self &* b }
    @inline(__always) var evmNegated: U256 { negated }

    /// The value as an Int when it is at most `limit`, else nil.
    @inline(__always) func int(atMost limit: Int) -> Int? {
        (l1 | l2 | l3) == 0 && l0 <= UInt64(limit) ? Int(l0) : nil
    }

    /// The low 160 bits as an address (no allocation).
    @inline(__always) var address: Address { Address(lastBytesOf: hash) }

    init(address: Address) { self.init(bigEndian: address.bytes)! }
    init(hash: Hash32) { self.init(l0: hash.w3, l1: hash.w2, l2: hash.w1, l3: hash.w0) }
    var hash: Hash32 { Hash32(w0: l3, w1: l2, w2: l1, w3: l0) }
}
