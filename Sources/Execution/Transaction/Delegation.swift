import Primitives

/// EIP-7702 delegation designators: an account whose code is 0xef0100 ‖ address runs
/// `address`'s code when called (one hop only: a designator reached through a designator runs as
/// code, and 0xef is an invalid instruction). EXTCODESIZE, EXTCODECOPY and EXTCODEHASH see the
/// 23-byte designator itself (Prague's final rules).
public enum Delegation {
    public static let prefix: [UInt8] = [0xef, 0x01, 0x00]
    public static let designatorSize = 23
    /// Refunded when the authority's account already exists (PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST).
    public static let existingAccountRefund = 12_500

    /// The delegate of `code`, when it is a designator.
    public static func target<C: Collection>(of code: C) -> Address? where C.Element == UInt8 {
        guard code.count == designatorSize, code.starts(with: prefix) else { return nil }
        return Address(code.dropFirst(prefix.count))
    }

    public static func designator(for address: Address) -> [UInt8] { prefix + address.bytes }
}

extension CodeCache {
    /// The EIP-7702 delegate of `address`'s code, read through the analysed code of its hash, so
    /// a cached contract costs no code read (the EVM's calls and the transaction's own call).
    func delegate(of address: Address, in state: JournaledState) -> Address? {
        let code = analysed(hash: state.codeHash(address)) { state.code(address) }
        return Delegation.target(of: UnsafeBufferPointer(start: code.bytes, count: code.count))
    }
}
