import Primitives

// Wrapping (mod 2^256) arithmetic and word conversions used by the interpreter.
extension U256 {
    @inline(__always) func evmAdd(_ b: U256) -> U256 { addingReportingOverflow(b).partialValue }
    @inline(__always) func evmSub(_ b: U256) -> U256 { subtractingReportingOverflow(b).partialValue }

    /// The low 256 bits of the product, without allocating.
    @inline(__always) func evmMul(_ b: U256) -> U256 {
        let (h00, r0) = l0.multipliedFullWidth(by: b.l0)
        let (h01, r1a) = l0.multipliedFullWidth(by: b.l1)
        let (h10, r1b) = l1.multipliedFullWidth(by: b.l0)
        // limb 1
        var r1 = r1a &+ h00
        var c2: UInt64 = r1 < r1a ? 1 : 0
        let t = r1 &+ r1b
        c2 &+= t < r1 ? 1 : 0
        r1 = t
        // limb 2
        let (h02, p02) = l0.multipliedFullWidth(by: b.l2)
        let (h11, p11) = l1.multipliedFullWidth(by: b.l1)
        let (h20, p20) = l2.multipliedFullWidth(by: b.l0)
        var r2 = c2
        var c3: UInt64 = 0
        @inline(__always) func add(_ p: UInt64) {
            let s = r2 &+ p
            c3 &+= s < r2 ? 1 : 0
            r2 = s
        }
        add(h01); add(h10); add(p02); add(p11); add(p20)
        let r3 = c3 &+ h02 &+ h11 &+ h20 &+ l0 &* b.l3 &+ l1 &* b.l2 &+ l2 &* b.l1 &+ l3 &* b.l0
        return U256(l0: r0, l1: r1, l2: r2, l3: r3)
    }

    @inline(__always) var evmNegated: U256 { (~self).evmAdd(.one) }

    /// The value as an Int when it is at most `limit`, else nil.
    @inline(__always) func int(atMost limit: Int) -> Int? {
        (l1 | l2 | l3) == 0 && l0 <= UInt64(limit) ? Int(l0) : nil
    }

    /// The low 160 bits as an address.
    var address: Address {
        var bytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            let bitIndex = (19 - i) * 8
            let limb: UInt64 = bitIndex >= 128 ? l2 : (bitIndex >= 64 ? l1 : l0)
            bytes[i] = UInt8(truncatingIfNeeded: limb >> UInt64(bitIndex % 64))
        }
        return Address(bytes)
    }

    init(address: Address) { self.init(bigEndian: address.bytes)! }
    init(hash: Hash32) { self.init(l0: hash.w3, l1: hash.w2, l2: hash.w1, l3: hash.w0) }
    var hash: Hash32 { Hash32(w0: l3, w1: l2, w2: l1, w3: l0) }
}
