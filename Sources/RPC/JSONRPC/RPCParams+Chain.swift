import JSON
import Primitives

extension RPCParams.Argument {
    /// A block number or tag, a block hash (a bare 32-byte hex string, as geth accepts), or an
    /// EIP-1898 object `{"blockNumber": ...}` / `{"blockHash": ..., "requireCanonical": bool}`.
    public func blockSelector() throws(JSONRPCError) -> BlockSelector {
        switch value {
        case .string(let text):
            if text.utf8.count == 66 { return .hash(try hash(), requireCanonical: false) }
            return .tag(try blockTag())
        case .object(let object):
            let hasNumber = object["blockNumber"] != nil, hasHash = object["blockHash"] != nil
            guard hasNumber != hasHash else {
                throw invalid(hasNumber ? "cannot specify both blockHash and blockNumber, choose one or the other"
                                        : "expected blockNumber or blockHash")
            }
            if let number = object["blockNumber"] {
                return .tag(try member("blockNumber", number).blockTag())
            }
            let hash = try member("blockHash", object["blockHash"]!).hash()
            var canonical = false
            if let flag = object["requireCanonical"], !flag.isNull { canonical = try member("requireCanonical", flag).bool() }
            return .hash(hash, requireCanonical: canonical)
        default:
            throw invalid("expected a block number, tag or hash, got \(value.typeName)")
        }
    }

    /// A non-negative integer given as a hex quantity or as a JSON number (clients differ:
    /// EIP-7966 timeouts, eth_feeHistory block counts, Scroll's u64 parameters).
    public func flexibleUInt64() throws(JSONRPCError) -> UInt64 {
        switch value {
        case .number(let n):
            guard let v = n.uint64 else { throw invalid("expected a non-negative integer below 2^64, got \(n.literal)") }
            return v
        case .string:
            return try uint64()
        default:
            throw invalid("expected a quantity or an integer, got \(value.typeName)")
        }
    }

    /// A storage slot: `0x` and up to 64 hex digits, left-padded to 32 bytes (geth accepts
    /// short and odd-length keys here).
    public func storageSlot() throws(JSONRPCError) -> Hash32 {
        guard case .string(let text) = value else { throw invalid("expected a hex string, got \(value.typeName)") }
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { throw invalid(Self.message(for: .missingPrefix, text: text)) }
        let digits = Array(text.utf8.dropFirst(2))
        guard digits.count <= 64 else { throw invalid("hex string of \(digits.count) digits, want at most 64") }
        var bytes = [UInt8](repeating: 0, count: 32)
        for (i, c) in digits.enumerated() {
            guard let nibble = Self.nibble(c) else { throw invalid(Self.message(for: .invalidCharacter(position: i + 2), text: text)) }
            let position = 64 - digits.count + i  // nibble position in the padded 64 digits
            bytes[position / 2] |= position % 2 == 0 ? nibble << 4 : nibble
        }
        return Hash32(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A member of this object argument, decoded with errors naming it:
    /// `invalid argument 0: gas: hex string has leading zero digits`.
    public func member(_ key: String, _ value: JSONValue) -> RPCParams.Member {
        RPCParams.Member(argument: self, key: key, value: value)
    }
}
