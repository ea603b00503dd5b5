import Primitives

/// What running one precompiled contract gave.
///
/// A precompile either succeeds (charging `gasUsed` <= the call's gas, returning `output`) or
/// fails: out of gas or invalid input. A failure consumes all gas given to the call and returns
/// no data, as on Ethereum.
public enum PrecompileResult: Sendable, Equatable {
    case success(gasUsed: UInt64, output: [UInt8])
    case failure
}

/// A precompiled contract: input bytes and the gas the call may spend.
public typealias PrecompileFunction = @Sendable (_ input: [UInt8], _ gasLimit: UInt64) -> PrecompileResult
