import Primitives

/// EIP-7702 delegation designators: an account whose code is 0xef0100 ‖ address runs
/// `address`'s code when called (one hop only: a designator reached through a designator runs as
/// code, and 0xef is an invalid instruction). EXTCODESIZE, EXTCODECOPY and EXTCODEHASH see the
/// 23-byte designator itself (Prague's final rules).
public enum Delegation {
    public static let prefix: [UInt8] = [0xef, 0x01, 0x00]
    public static let designatorSize = 23
    /// Intrinsic gas per authorization (PER_EMPTY_ACCOUNT_COST).
    public static let perAuthorizationGas: UInt64 = 25_000
    /// Refunded when the authority's account already exists (PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST).
    public static let existingAccountRefund = 12_500

    /// The delegate of `code`, when it is a designator.
    public static func target(of code: [UInt8]) -> Address? {
        guard code.count == designatorSize, code[0] == 0xef, code[1] == 0x01, code[2] == 0x00 else { return nil }
        return Address(Array(code[3...]))
    }

    public static func designator(for address: Address) -> [UInt8] { prefix + address.bytes }
}

extension AnalysedCode {
    /// The delegate when this code is a designator (computed once per code hash).
    var delegationTarget: Address? {
        guard count == Delegation.designatorSize, bytes[0] == 0xef, bytes[1] == 0x01, bytes[2] == 0x00 else { return nil }
        return Address(Array(UnsafeBufferPointer(start: bytes + 3, count: 20)))
    }
}
