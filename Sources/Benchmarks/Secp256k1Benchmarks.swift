// The benchmark calls libsecp256k1 directly (the one exception to "only Primitives imports
// CSecp256k1") so that the wrapper's overhead can be measured against the raw library in one run.
import CSecp256k1
import Primitives

enum Secp256k1Benchmarks {
    static func run() {
        let key = DevelopmentKeys.privateKey(0)
        var digests: [Hash32] = []
        var signatures: [Signature] = []
        for i in 0..<256 {
            let d = Keccak.hash256([UInt8(i), 1, 2, 3])
            digests.append(d)
            signatures.append(try! key.sign(digest: d))
        }

        // Direct: the same work with raw libsecp256k1 calls on prepared buffers (no Swift arrays
        // in the loop), so the ratio shows what the wrapper costs on top of the library.
        let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        defer { secp256k1_context_destroy(ctx) }
        let compact = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 * 64)
        let digestBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 * 32)
        let recid = UnsafeMutablePointer<Int32>.allocate(capacity: 256)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: 65)
        let sig = UnsafeMutablePointer<secp256k1_ecdsa_recoverable_signature>.allocate(capacity: 1)
        let pub = UnsafeMutablePointer<secp256k1_pubkey>.allocate(capacity: 1)
        defer { compact.deallocate(); digestBytes.deallocate(); recid.deallocate(); out.deallocate(); sig.deallocate(); pub.deallocate() }
        for k in 0..<256 {
            let c = signatures[k].compact
            for b in 0..<64 { compact[k * 64 + b] = c[b] }
            let d = digests[k].bytes
            for b in 0..<32 { digestBytes[k * 32 + b] = d[b] }
            recid[k] = Int32(signatures[k].v)
        }

        var acc: UInt64 = 0
        var i = 0, j = 0
        var wrapperRate: [Double] = [], directRate: [Double] = []
        for _ in 0..<3 {
            wrapperRate.append(measure(seconds: 1, batch: 64) {
                let a = try! Secp256k1.recoverAddress(digest: digests[i & 255], signature: signatures[i & 255])
                acc ^= UInt64(truncatingIfNeeded: a.hashValue)
                i &+= 1
            }.perSecond)
            directRate.append(measure(seconds: 1, batch: 64) {
                let k = j & 255
                _ = secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, sig, compact + k * 64, recid[k])
                _ = secp256k1_ecdsa_recover(ctx, pub, sig, digestBytes + k * 32)
                var len = 65
                _ = secp256k1_ec_pubkey_serialize(ctx, out, &len, pub, UInt32(SECP256K1_EC_UNCOMPRESSED))
                acc ^= Keccak.hash256(UnsafeRawBufferPointer(start: out + 1, count: 64)).w3
                j &+= 1
            }.perSecond)
        }
        let wrapper = wrapperRate.max()!, direct = directRate.max()!

        var n = 0
        let signing = measure(seconds: 1, batch: 16) {
            acc ^= (try! key.sign(digest: digests[n & 255])).r.l0
            n &+= 1
        }
        blackHole(acc)
        report("ecrecover via wrapper (digest -> address), best of 3", wrapper, unit: "ops/s", decimals: 0)
        report("ecrecover via direct libsecp256k1 calls, best of 3", direct, unit: "ops/s", decimals: 0)
        report("ecrecover wrapper / direct", 100 * wrapper / direct, unit: "%")
        report("secp256k1 signatures (PrivateKey.sign)", signing.perSecond, unit: "ops/s", decimals: 0)
    }
}
