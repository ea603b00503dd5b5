internal import CSecp256k1

/// Owns the one libsecp256k1 context the module shares, created and randomized once.
final class Secp256k1Context: @unchecked Sendable {
    // Safety: libsecp256k1 allows a context to be used from many threads at once by every call
    // that takes it as `const secp256k1_context *` (signing, recovery, key derivation, parsing).
    // The only call that mutates it, secp256k1_context_randomize, runs in `init`, before the
    // instance is published through `shared`; afterwards `pointer` is never written, and the
    // context is destroyed only in `deinit`, when no other reference exists.
    let pointer: OpaquePointer

    /// The module-wide context.
    static let shared = Secp256k1Context()

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("secp256k1_context_create failed")
        }
        // Randomization blinds signing and key derivation against side channels.
        var generator = SystemRandomNumberGenerator()
        var seed: (UInt64, UInt64, UInt64, UInt64) = (generator.next(), generator.next(), generator.next(), generator.next())
        let randomized = withUnsafeBytes(of: &seed) { raw in
            secp256k1_context_randomize(context, raw.bindMemory(to: UInt8.self).baseAddress!)
        }
        seed = (0, 0, 0, 0)
        precondition(randomized == 1, "secp256k1_context_randomize failed")
        pointer = context
    }

    deinit { secp256k1_context_destroy(pointer) }
}
