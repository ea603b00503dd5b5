import Primitives
import Testing
import TestSupport
@testable import Execution

/// Scroll's modexp variants and its always-failing precompiles (scroll-tech/scroll-revm
/// `src/precompile/modexp.rs` and its tests, commit a1ac004; EIP-7823, EIP-7883).
struct ScrollPrecompileTests {
    static func input(base: [UInt8], exponent: [UInt8], modulus: [UInt8],
                      lengths: (UInt64, UInt64, UInt64)? = nil) -> [UInt8] {
        let (bl, el, ml) = lengths ?? (UInt64(base.count), UInt64(exponent.count), UInt64(modulus.count))
        return U256(bl).bigEndianBytes + U256(el).bigEndianBytes + U256(ml).bigEndianBytes + base + exponent + modulus
    }

    @Test func bernoulliAcceptsLengthsUpTo32() {
        // scroll-revm test_galileo_modexp_backward_compatibility: 3^5 mod 7 = 5.
        let small = Self.input(base: [3], exponent: [5], modulus: [7])
        #expect(Precompiles.modexpBernoulli(small, 100_000) == Precompiles.modexp(small, 100_000))
        #expect(Precompiles.modexpBernoulli(small, 100_000) == .success(gasUsed: 200, output: [5]))
        let full = Self.input(base: [UInt8](repeating: 0xab, count: 32), exponent: [UInt8](repeating: 0xcd, count: 32),
                              modulus: [UInt8](repeating: 0xef, count: 32))
        #expect(Precompiles.modexpBernoulli(full, 1_000_000) == Precompiles.modexp(full, 1_000_000))
        #expect(Precompiles.modexpBernoulli(full, 1_000_000) != .failure)
    }

    @Test func bernoulliRejectsAnyLengthAbove32() {
        // scroll-revm test_galileo_modexp_with_32_byte_limit: base length 33.
        let base33 = Self.input(base: [UInt8](repeating: 3, count: 33), exponent: [5], modulus: [7])
        #expect(Precompiles.modexpBernoulli(base33, 100_000) == .failure)
        #expect(Precompiles.modexpGalileo(base33, 100_000) == .success(gasUsed: 500, output: [0]))
        #expect(Precompiles.modexpBernoulli(Self.input(base: [3], exponent: [UInt8](repeating: 1, count: 33), modulus: [7]), 1_000_000) == .failure)
        #expect(Precompiles.modexpBernoulli(Self.input(base: [3], exponent: [5], modulus: [UInt8](repeating: 7, count: 33)), 1_000_000) == .failure)
        // Declared lengths count, not the bytes present.
        #expect(Precompiles.modexpBernoulli(Self.input(base: [], exponent: [], modulus: [], lengths: (0, 0, 1 << 40)), 1 << 62) == .failure)
    }

    @Test func galileoKeepsResultsAndChargesEIP7883() {
        // scroll-revm test_galileo_modexp_preserves_feynman_behavior.
        #expect(Precompiles.modexpGalileo(Self.input(base: [2], exponent: [3], modulus: [5]), 100_000) == .success(gasUsed: 500, output: [3]))
        #expect(Precompiles.modexpGalileo(Self.input(base: [5], exponent: [0], modulus: [13]), 100_000) == .success(gasUsed: 500, output: [1]))
        // 64-byte base and modulus, exponent 0x010001: complexity 2·8² = 128, iterations 16 -> 2,048.
        let rsa = Self.input(base: [UInt8](repeating: 0x11, count: 64), exponent: [1, 0, 1],
                             modulus: [UInt8](repeating: 0xff, count: 64))
        #expect(ModExp.eip7883Gas(input: rsa) == 2_048)
        guard case .success(let gas, let output) = Precompiles.modexpGalileo(rsa, 10_000) else { Issue.record("failed"); return }
        #expect(gas == 2_048)
        guard case .success(_, let reference) = Precompiles.modexp(rsa, 10_000) else { Issue.record("failed"); return }
        #expect(output == reference)
        #expect(Precompiles.modexpGalileo(rsa, 2_047) == .failure)
        // A 40-byte exponent 0x01 00…00: head 2^248, iterations 16·8 + 248 = 376, complexity 16 -> 6,016.
        let longExponent = Self.input(base: [2], exponent: [1] + [UInt8](repeating: 0, count: 39), modulus: [UInt8](repeating: 9, count: 32))
        #expect(ModExp.eip7883Gas(input: longExponent) == 6_016)
        // 2,048-bit RSA-style: words 32, complexity 2,048, iterations 16 -> 32,768.
        let rsa2048 = Self.input(base: [UInt8](repeating: 0x5a, count: 256), exponent: [1, 0, 1],
                                 modulus: [UInt8](repeating: 0xc3, count: 256))
        #expect(ModExp.eip7883Gas(input: rsa2048) == 32_768)
    }

    @Test func galileoEnforcesEIP7823() {
        let at1024 = Self.input(base: [UInt8](repeating: 1, count: 1_024), exponent: [3], modulus: [UInt8](repeating: 0xff, count: 1_024))
        #expect(Precompiles.modexpGalileo(at1024, 10_000_000) != .failure)
        for lengths in [(UInt64(1_025), UInt64(1), UInt64(1)), (1, 1_025, 1), (1, 1, 1_025), (0, 1_025, 0)] {
            #expect(Precompiles.modexpGalileo(Self.input(base: [], exponent: [], modulus: [], lengths: lengths), 1 << 40) == .failure)
        }
        // Empty base and modulus: no output, but the formula's gas (the specification's Osaka modexp
        // and revm's run_inner): complexity 16 × (16 × (100 - 32) + 255) iterations = 21,488.
        let emptyBaseAndModulus = Self.input(base: [], exponent: [UInt8](repeating: 0xff, count: 100), modulus: [])
        #expect(Precompiles.modexpGalileo(emptyBaseAndModulus, 1_000_000) == .success(gasUsed: 21_488, output: []))
        #expect(Precompiles.modexpGalileo(emptyBaseAndModulus, 21_487) == .failure)
    }

    @Test func disabledPrecompilesAlwaysFail() {
        #expect(Precompiles.ripemd160Disabled([1, 2, 3], 1_000_000) == .failure)
        #expect(Precompiles.blake2fDisabled([UInt8](repeating: 0, count: 213), 1_000_000) == .failure)
        #expect(Precompiles.alwaysFailing([], 0) == .failure)
    }
}
