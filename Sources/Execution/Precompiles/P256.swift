import Crypto
import Primitives

/// ECDSA verification over NIST P-256 (secp256r1) for the P256VERIFY precompile (RIP-7212,
/// EIP-7951), through swift-crypto (BoringSSL's P-256, with its assembly). A hand-written
/// Montgomery/Jacobian version verified at a ninth of OpenSSL's speed (BENCHMARKS.md).
///
/// The precompile's rules map onto BoringSSL's checks: the public key (x, y) must be a point of
/// the curve with coordinates below p (the key does not parse otherwise; infinity has no affine
/// form), r and s must lie in [1, n - 1] (ECDSA_do_verify), e = hash mod n over the 32-byte hash
/// as given (no hashing), and the signature holds when x(u1·G + u2·Q) ≡ r (mod n). High s is
/// valid (no malleability rule). Checked against 780 vectors from `cryptography` (OpenSSL).
enum P256Verify {
    static func verify(_ input: [UInt8]) -> Bool {
        guard input.count == 160,
              let key = try? Crypto.P256.Signing.PublicKey(rawRepresentation: input[96..<160]),
              let signature = try? Crypto.P256.Signing.ECDSASignature(rawRepresentation: input[32..<96])
        else { return false }
        return key.isValidSignature(signature, for: PrehashedDigest(bytes: Array(input[0..<32])))
    }
}

/// A 32-byte hash given by the caller, verified as is (P256VERIFY's input is the message hash).
struct PrehashedDigest: Crypto.Digest {
    static let byteCount = 32
    let bytes: [UInt8]

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    var description: String { "PrehashedDigest(\(Hex.encode(bytes)))" }
}

extension Precompiles {
    /// 0x100: P256VERIFY (RIP-7212) with `gas` per call: 3,450 (RIP-7212, Scroll from Euclid)
    /// or 6,900 (EIP-7951, Scroll from Galileo). The gas is charged whatever the input; output
    /// is 32 bytes ending in 1 for a valid signature and empty otherwise (including an input
    /// that is not 160 bytes).
    public static func p256Verify(gas: UInt64) -> PrecompileFunction {
        { input, gasLimit in
            guard gas <= gasLimit else { return .failure }
            guard P256Verify.verify(input) else { return .success(gasUsed: gas, output: []) }
            return .success(gasUsed: gas, output: [UInt8](repeating: 0, count: 31) + [1])
        }
    }

    /// P256VERIFY with RIP-7212's 3,450 gas.
    public static let p256VerifyRIP7212: PrecompileFunction = p256Verify(gas: 3_450)
    /// P256VERIFY with EIP-7951's 6,900 gas.
    public static let p256VerifyEIP7951: PrecompileFunction = p256Verify(gas: 6_900)
}
