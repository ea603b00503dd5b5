import Primitives

enum RLPBenchmarks {
    static func run() {
        let key = DevelopmentKeys.privateKey(1)
        let tx = Transaction.dynamicFee(DynamicFeeTransaction(
            chainID: 1337, nonce: 42, maxPriorityFeePerGas: U256(1_000_000_000), maxFeePerGas: U256(30_000_000_000),
            gasLimit: 21_000, to: try! Address(hex: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
            value: U256(1_000_000_000_000_000), data: [], accessList: []))
        let signed = try! tx.signed(with: key)
        var acc: UInt64 = 0
        let m = measure(seconds: 1, batch: 256) {
            let decoded = try! SignedTransaction(encoded: signed.encoded)
            acc ^= decoded.hash.w0
        }
        blackHole(acc)
        report("RLP decode+encode+hash of a signed EIP-1559 transfer", m.perSecond, unit: "ops/s", decimals: 0)
    }
}
