import Primitives

/// Scroll's variants of the mainnet precompiles (scroll-tech/scroll-revm `src/precompile/`,
/// commit a1ac004).
extension ModExp {
    /// EIP-7823: from Galileo (Osaka on Ethereum) each declared length is at most 1,024 bytes.
    public static let eip7823LengthLimit: UInt64 = 1_024

    /// EIP-7883 gas: max(500, complexity · iterations), complexity 16 up to 32-byte operands and
    /// 2·words² above, iterations with 16 (not 8) per exponent byte beyond 32. No division by 3
    /// (the EIP's final text; its drafts divided). Only meaningful for lengths within EIP-7823.
    public static func eip7883Gas(input: [UInt8]) -> UInt64 {
        let (bl, el, ml) = lengths(input: input)
        let b = bl.uint64 ?? .max, e = el.uint64 ?? .max, m = ml.uint64 ?? .max
        guard b <= eip7823LengthLimit, e <= eip7823LengthLimit, m <= eip7823LengthLimit else { return .max }
        let maxLength = Swift.max(b, m)
        let words = (maxLength + 7) / 8
        let complexity: UInt64 = maxLength <= 32 ? 16 : 2 * words * words
        let headBits = UInt64(exponentHead(input, baseLength: b, exponentLength: e).bitWidth)
        let headTerm = headBits == 0 ? 0 : headBits - 1
        let iterations = Swift.max(e <= 32 ? headTerm : 16 * (e - 32) + headTerm, 1)
        return Swift.max(500, complexity * iterations)
    }
}

extension Precompiles {
    /// Scroll before Galileo (Bernoulli ... Feynman): modexp with EIP-2565 gas, but any declared
    /// length (base, exponent or modulus) above 32 bytes fails.
    public static let modexpBernoulli: PrecompileFunction = { input, gasLimit in
        let (b, e, m) = ModExp.lengths(input: input)
        let limit = U256(UInt64(32))
        guard b <= limit, e <= limit, m <= limit else { return .failure }
        return modexp(input, gasLimit)
    }

    /// Scroll from Galileo (Ethereum's Osaka rules): EIP-7823's 1,024-byte limit on each length
    /// and EIP-7883 gas. With base and modulus both empty the call still costs the formula's gas
    /// (a long exponent is not free) and returns nothing: the execution specification's Osaka
    /// modexp and revm's current `run_inner`, which charges `gas_cost` before that shortcut
    /// (an older revm charged only the 500 minimum; the generated vectors caught it).
    public static let modexpGalileo: PrecompileFunction = { input, gasLimit in
        let (b, e, m) = ModExp.lengths(input: input)
        let limit = U256(ModExp.eip7823LengthLimit)
        guard b <= limit, e <= limit, m <= limit else { return .failure }
        let gas = ModExp.eip7883Gas(input: input)
        guard gas <= gasLimit else { return .failure }
        if b.isZero && m.isZero { return .success(gasUsed: gas, output: []) }
        guard let output = ModExp.run(input) else { return .failure }
        return .success(gasUsed: gas, output: output)
    }

    /// A precompile that exists (its address is warm and counts as a precompile) but always
    /// fails, consuming the call's gas: Scroll's ripemd160 (0x03) and blake2f (0x09).
    public static let alwaysFailing: PrecompileFunction = { _, _ in .failure }

    /// 0x03 on Scroll: present, always failing.
    public static let ripemd160Disabled: PrecompileFunction = alwaysFailing
    /// 0x09 on Scroll: present, always failing.
    public static let blake2fDisabled: PrecompileFunction = alwaysFailing
}
