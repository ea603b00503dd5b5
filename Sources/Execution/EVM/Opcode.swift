/// Names and stack shapes of the opcodes (the same for every rule set; validity and gas come
/// from `EVMRules`).
enum Opcode {
    /// (items popped, items pushed) per opcode.
    static let stackShape: [(pops: UInt8, pushes: UInt8)] = {
        var t = [(pops: UInt8, pushes: UInt8)](repeating: (0, 0), count: 256)
        func s(_ op: Int, _ p: UInt8, _ q: UInt8) { t[op] = (p, q) }
        s(0x00, 0, 0)
        for op in [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b] { s(op, 2, 1) }
        s(0x08, 3, 1); s(0x09, 3, 1)
        for op in 0x10...0x14 { s(op, 2, 1) }
        s(0x15, 1, 1); s(0x16, 2, 1); s(0x17, 2, 1); s(0x18, 2, 1); s(0x19, 1, 1)
        for op in 0x1a...0x1d { s(op, 2, 1) }
        s(0x1e, 1, 1) // CLZ
        s(0x20, 2, 1)
        s(0x30, 0, 1); s(0x31, 1, 1); s(0x32, 0, 1); s(0x33, 0, 1); s(0x34, 0, 1); s(0x35, 1, 1); s(0x36, 0, 1)
        s(0x37, 3, 0); s(0x38, 0, 1); s(0x39, 3, 0); s(0x3a, 0, 1); s(0x3b, 1, 1); s(0x3c, 4, 0); s(0x3d, 0, 1)
        s(0x3e, 3, 0); s(0x3f, 1, 1)
        s(0x40, 1, 1); for op in 0x41...0x48 { s(op, 0, 1) }; s(0x49, 1, 1); s(0x4a, 0, 1)
        s(0x50, 1, 0); s(0x51, 1, 1); s(0x52, 2, 0); s(0x53, 2, 0); s(0x54, 1, 1); s(0x55, 2, 0); s(0x56, 1, 0)
        s(0x57, 2, 0); s(0x58, 0, 1); s(0x59, 0, 1); s(0x5a, 0, 1); s(0x5b, 0, 0); s(0x5c, 1, 1); s(0x5d, 2, 0)
        s(0x5e, 3, 0); s(0x5f, 0, 1)
        for op in 0x60...0x7f { s(op, 0, 1) }
        for n in 0..<16 { s(0x80 + n, UInt8(n + 1), UInt8(n + 2)) }
        for n in 0..<16 { s(0x90 + n, UInt8(n + 2), UInt8(n + 2)) }
        for n in 0...4 { s(0xa0 + n, UInt8(n + 2), 0) }
        s(0xf0, 3, 1); s(0xf1, 7, 1); s(0xf2, 7, 1); s(0xf3, 2, 0); s(0xf4, 6, 1); s(0xf5, 4, 1)
        s(0xfa, 6, 1); s(0xfd, 2, 0); s(0xff, 1, 0)
        return t
    }()

    static let names: [String] = {
        var n = (0..<256).map { "opcode 0x" + String($0, radix: 16) + " not defined" }
        let fixed: [Int: String] = [
            0x00: "STOP", 0x01: "ADD", 0x02: "MUL", 0x03: "SUB", 0x04: "DIV", 0x05: "SDIV", 0x06: "MOD", 0x07: "SMOD",
            0x08: "ADDMOD", 0x09: "MULMOD", 0x0a: "EXP", 0x0b: "SIGNEXTEND", 0x10: "LT", 0x11: "GT", 0x12: "SLT",
            0x13: "SGT", 0x14: "EQ", 0x15: "ISZERO", 0x16: "AND", 0x17: "OR", 0x18: "XOR", 0x19: "NOT", 0x1a: "BYTE",
            0x1b: "SHL", 0x1c: "SHR", 0x1d: "SAR", 0x1e: "CLZ", 0x20: "KECCAK256", 0x30: "ADDRESS", 0x31: "BALANCE",
            0x32: "ORIGIN", 0x33: "CALLER", 0x34: "CALLVALUE", 0x35: "CALLDATALOAD", 0x36: "CALLDATASIZE",
            0x37: "CALLDATACOPY", 0x38: "CODESIZE", 0x39: "CODECOPY", 0x3a: "GASPRICE", 0x3b: "EXTCODESIZE",
            0x3c: "EXTCODECOPY", 0x3d: "RETURNDATASIZE", 0x3e: "RETURNDATACOPY", 0x3f: "EXTCODEHASH",
            0x40: "BLOCKHASH", 0x41: "COINBASE", 0x42: "TIMESTAMP", 0x43: "NUMBER", 0x44: "PREVRANDAO",
            0x45: "GASLIMIT", 0x46: "CHAINID", 0x47: "SELFBALANCE", 0x48: "BASEFEE", 0x49: "BLOBHASH",
            0x4a: "BLOBBASEFEE", 0x50: "POP", 0x51: "MLOAD", 0x52: "MSTORE", 0x53: "MSTORE8", 0x54: "SLOAD",
            0x55: "SSTORE", 0x56: "JUMP", 0x57: "JUMPI", 0x58: "PC", 0x59: "MSIZE", 0x5a: "GAS", 0x5b: "JUMPDEST",
            0x5c: "TLOAD", 0x5d: "TSTORE", 0x5e: "MCOPY", 0x5f: "PUSH0", 0xf0: "CREATE", 0xf1: "CALL",
            0xf2: "CALLCODE", 0xf3: "RETURN", 0xf4: "DELEGATECALL", 0xf5: "CREATE2", 0xfa: "STATICCALL",
            0xfd: "REVERT", 0xfe: "INVALID", 0xff: "SELFDESTRUCT",
        ]
        for (k, v) in fixed { n[k] = v }
        for i in 0..<32 { n[0x60 + i] = "PUSH\(i + 1)" }
        for i in 0..<16 { n[0x80 + i] = "DUP\(i + 1)"; n[0x90 + i] = "SWAP\(i + 1)" }
        for i in 0...4 { n[0xa0 + i] = "LOG\(i)" }
        return n
    }()
}
