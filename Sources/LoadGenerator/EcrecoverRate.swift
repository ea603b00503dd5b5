import Primitives

/// The single-core sender-recovery rate: `Secp256k1.recoverAddress` (what the node's mempool
/// calls for every transaction) on one thread, best of three one-second runs, as
/// `rollup-bench secp256k1` measures it.
enum EcrecoverRate {
    static func measure() -> Double {
        let key = BenchAccounts.key(0)
        var digests: [Hash32] = []
        var signatures: [Signature] = []
        for i in 0..<256 {
            let d = Keccak.hash256([UInt8(i), 7, 7, 7])
            digests.append(d)
            signatures.append(try! key.sign(digest: d))
        }
        var best = 0.0
        var sink: UInt64 = 0
        for _ in 0..<3 {
            var operations = 0
            let start = monotonicNanoseconds()
            var now = start
            while now - start < 1_000_000_000 {
                for k in 0..<64 {
                    let i = (operations + k) & 255
                    if let a = try? Secp256k1.recoverAddress(digest: digests[i], signature: signatures[i]) {
                        sink &+= UInt64(truncatingIfNeeded: a.hashValue)
                    }
                }
                operations += 64
                now = monotonicNanoseconds()
            }
            best = max(best, Double(operations) / (Double(now - start) / 1e9))
        }
        if sink == 42 { print("") }  // keeps the work
        return best
    }
}
