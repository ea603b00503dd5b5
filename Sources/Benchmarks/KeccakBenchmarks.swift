import Primitives

enum KeccakBenchmarks {
    static func run() {
        for size in [32, 1024] {
            var input = [UInt8](repeating: 0, count: size)
            for i in 0..<size { input[i] = UInt8(truncatingIfNeeded: i &* 31) }
            var acc: UInt64 = 0
            let m = measure(batch: 1000) {
                input[0] &+= 1
                acc ^= Keccak.hash256(input).w0
            }
            blackHole(acc)
            report("keccak256 \(size)-byte input", m.perSecond * Double(size) / 1e6, unit: "MB/s")
            report("keccak256 \(size)-byte input", m.perSecond / 1e6, unit: "M hashes/s", decimals: 2)
        }
    }
}
