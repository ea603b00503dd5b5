import Primitives

/// Ethereum's precompiled contracts 0x01-0x05 and 0x09 with mainnet Cancun gas (bn254 at
/// 0x06-0x08 and the rest come with the Scroll-rules issue).
///
/// Each is a `PrecompileFunction`: it charges its gas first (failing when the call's gas does not
/// cover it) and then computes. Invalid input fails (all gas consumed) except for ecrecover, which
/// succeeds with empty output, as on mainnet.
public enum Precompiles {
    /// 0x01: the signer address of (hash, v, r, s); 3,000 gas.
    public static let ecrecover: PrecompileFunction = { input, gasLimit in
        charge(ECRecover.gas, gasLimit) { ECRecover.run(input) }
    }

    /// 0x02: SHA-256; 60 + 12 per 32-byte word.
    public static let sha256: PrecompileFunction = { input, gasLimit in
        charge(wordGas(input.count, base: 60, perWord: 12), gasLimit) { SHA256.hash(input) }
    }

    /// 0x03: RIPEMD-160, left-padded to 32 bytes; 600 + 120 per word.
    public static let ripemd160: PrecompileFunction = { input, gasLimit in
        charge(wordGas(input.count, base: 600, perWord: 120), gasLimit) {
            [UInt8](repeating: 0, count: 12) + RIPEMD160.hash(input)
        }
    }

    /// 0x04: the input itself; 15 + 3 per word.
    public static let identity: PrecompileFunction = { input, gasLimit in
        charge(wordGas(input.count, base: 15, perWord: 3), gasLimit) { input }
    }

    /// 0x05: modular exponentiation (EIP-198) with EIP-2565 gas (`ModExp.gas(input:)`).
    public static let modexp: PrecompileFunction = { input, gasLimit in
        let gas = ModExp.gas(input: input)
        guard gas <= gasLimit, let output = ModExp.run(input) else { return .failure }
        return .success(gasUsed: gas, output: output)
    }

    /// 0x09: the BLAKE2b compression function F (EIP-152); 1 gas per round.
    public static let blake2f: PrecompileFunction = { input, gasLimit in
        guard let rounds = Blake2F.rounds(input), UInt64(rounds) <= gasLimit,
              let output = Blake2F.run(input) else { return .failure }
        return .success(gasUsed: UInt64(rounds), output: output)
    }

    /// The Cancun set implemented here, by address (0x01-0x05, 0x09), for the interpreter's table.
    public static let cancun: [Address: PrecompileFunction] = [
        address(0x01): ecrecover, address(0x02): sha256, address(0x03): ripemd160,
        address(0x04): identity, address(0x05): modexp, address(0x06): bn254Add, address(0x07): bn254Mul,
        address(0x08): bn254Pairing, address(0x09): blake2f,
    ]

    /// The address 0x00...00nn.
    public static func address(_ n: UInt8) -> Address {
        Address([UInt8](repeating: 0, count: 19) + [n])
    }

    /// `base + perWord * ceil(length / 32)`.
    @inlinable
    public static func wordGas(_ length: Int, base: UInt64, perWord: UInt64) -> UInt64 {
        base + perWord * UInt64((length + 31) / 32)
    }

    @inline(__always)
    static func charge(_ gas: UInt64, _ gasLimit: UInt64, _ body: () -> [UInt8]) -> PrecompileResult {
        guard gas <= gasLimit else { return .failure }
        return .success(gasUsed: gas, output: body())
    }
}
