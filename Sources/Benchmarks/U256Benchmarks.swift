import Primitives

/// The EVM's word arithmetic (U256): nanoseconds per operation on random operands.
enum U256Benchmarks {
    static func run() {
        var seed: UInt64 = 0x0256_0256
        func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let n = 1024
        let full = (0..<n).map { _ in U256(l0: next(), l1: next(), l2: next(), l3: next()) }
        let half = (0..<n).map { _ in U256(l0: next(), l1: next(), l2: 0, l3: 0) }      // 128-bit divisors
        let small = (0..<n).map { _ in U256(next() | 1) }                              // 64-bit divisors
        let exps = (0..<n).map { _ in U256(next() & 0xff) }

        func bench(_ name: String, _ op: (U256, U256) -> U256, _ a: [U256], _ b: [U256]) {
            var acc = U256.zero
            var i = 0
            let m = measure(seconds: 0.5, batch: 1024) {
                acc = acc ^ op(a[i & (n - 1)], b[(i &* 7) & (n - 1)])
                i &+= 1
            }
            blackHole(acc)
            report("u256 \(name)", 1e9 / m.perSecond, unit: "ns/op", decimals: 1)
        }
        bench("add (wrapping)", { $0 &+ $1 }, full, full)
        bench("mul (wrapping)", { $0 &* $1 }, full, full)
        bench("div 256 / 64-bit divisor", { $0.dividedOrZero(by: $1) }, full, small)
        bench("div 256 / 128-bit divisor (Knuth D)", { $0.dividedOrZero(by: $1) }, full, half)
        bench("div 256 / 256 (Knuth D)", { $0.dividedOrZero(by: $1 >> 8) }, full, full)
        bench("sdiv 256 / 128", { $0.signedDivide(by: $1) }, full, half)
        bench("addmod 256, 128-bit modulus", { $0.addMod($1, $1 | U256(1)) }, full, half)
        bench("mulmod 256 x 256 mod 256", { $0.mulMod($1, $1 >> 1) }, full, full)
        bench("mulmod 256 x 256 mod 64-bit", { $0.mulMod($1, $1 & U256(UInt64.max)) }, full, small)
        bench("exp 256 ^ 8-bit", { $0.power($1) }, full, exps)
        bench("exp 256 ^ 256-bit", { $0.power($1) }, full, full)
        bench("shl", { $0.shiftedLeft(by: $1 & U256(255)) }, full, exps)
        bench("sar", { $0.arithmeticShiftRight(by: $1) }, full, exps)
        bench("signextend", { $0.signExtend(fromByte: $1 & U256(31)) }, full, exps)
    }
}
