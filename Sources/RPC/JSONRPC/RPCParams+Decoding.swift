import JSON
import Primitives

extension RPCParams.Argument {
    /// A quantity up to 2^256 - 1: `0x` prefix, at least one digit, no leading zeros.
    public func quantity() throws(JSONRPCError) -> U256 {
        let text = try hexString()
        do { return try U256(quantity: text) } catch { throw invalid(Self.message(for: error, text: text)) }
    }

    /// A quantity that fits 64 bits.
    public func uint64() throws(JSONRPCError) -> UInt64 {
        let text = try hexString()
        do { return try Hex.decodeQuantity(text) } catch { throw invalid(Self.message(for: error, text: text)) }
    }

    /// Data: `0x` + an even number of hex digits (`0x` alone is empty data).
    public func data() throws(JSONRPCError) -> [UInt8] {
        let text = try hexString()
        do { return try Hex.decode(text) } catch { throw invalid(Self.message(for: error, text: text)) }
    }

    /// A 20-byte address; mixed case must be a valid EIP-55 checksum.
    public func address() throws(JSONRPCError) -> Address {
        let text = try hexString()
        do {
            return try Address(hex: text)
        } catch {
            switch error {
            case .invalidHex(let e): throw invalid(Self.message(for: e, text: text))
            case .badChecksum: throw invalid("address has an invalid EIP-55 checksum")
            }
        }
    }

    /// A 32-byte hash.
    public func hash() throws(JSONRPCError) -> Hash32 {
        let text = try hexString()
        do { return try Hash32(hex: text) } catch { throw invalid(Self.message(for: error, text: text)) }
    }

    /// A JSON boolean (`true` / `false`; no strings, no numbers).
    public func bool() throws(JSONRPCError) -> Bool {
        guard case .bool(let b) = value else { throw invalid("expected a boolean, got \(value.typeName)") }
        return b
    }

    /// `latest`, `earliest`, `pending`, `safe`, `finalized`, or a quantity below 2^63 (geth's
    /// limit for block numbers).
    public func blockTag() throws(JSONRPCError) -> BlockTag {
        guard case .string(let text) = value else {
            throw invalid("expected a block number or tag, got \(value.typeName)")
        }
        let tag: BlockTag
        do { tag = try BlockTag(parsing: text) } catch { throw invalid(Self.message(for: error, text: text)) }
        if case .number(let n) = tag, n > UInt64(Int64.max) { throw invalid("block number larger than int64") }
        return tag
    }

    /// A JSON string.
    public func string() throws(JSONRPCError) -> String {
        guard case .string(let s) = value else { throw invalid("expected a string, got \(value.typeName)") }
        return s
    }

    /// A JSON object.
    public func object() throws(JSONRPCError) -> JSONObject {
        guard case .object(let o) = value else { throw invalid("expected an object, got \(value.typeName)") }
        return o
    }

    private func hexString() throws(JSONRPCError) -> String {
        guard case .string(let s) = value else { throw invalid("expected a hex string, got \(value.typeName)") }
        return s
    }

    /// Geth-style wording for hex failures.
    static func message(for error: HexError, text: String) -> String {
        switch error {
        case .missingPrefix: text.isEmpty ? "empty hex string" : "hex string without 0x prefix"
        case .oddLength: "hex string of odd length"
        case .invalidCharacter(let position): "invalid hex character at position \(position)"
        case .emptyQuantity: "hex string \"0x\" has no digits"
        case .leadingZeros: "hex string has leading zero digits"
        case .valueTooLarge(let bits): "hex number > \(bits) bits"
        case .wrongLength(let expected, let actual): "hex string has \(actual) bytes, want \(expected)"
        }
    }
}
