import JSON
import Primitives

/// The positional parameters of one call, with strict decoders that fail with geth-style
/// -32602 messages naming the position: `invalid argument 0: hex string has leading zero digits`,
/// `missing value for required argument 1`.
///
/// The method table has already checked the count against the method's declared range, so a
/// handler only asks for what it declared:
///
///     let address = try params.address(at: 0)
///     let block = try params.optional(1)?.blockTag() ?? .latest
public struct RPCParams: Sendable {
    /// The raw values in order (JSON `null`s included).
    public let values: [JSONValue]

    public init(_ values: [JSONValue] = []) { self.values = values }

    public var count: Int { values.count }

    /// The argument at `index`; nil when it was not sent or is JSON `null`.
    public func optional(_ index: Int) -> Argument? {
        guard index < values.count, !values[index].isNull else { return nil }
        return Argument(index: index, value: values[index])
    }

    /// The argument at `index`; -32602 `missing value for required argument N` when it was not
    /// sent or is JSON `null`.
    public func required(_ index: Int) throws(JSONRPCError) -> Argument {
        guard let argument = optional(index) else {
            throw .invalidParams("missing value for required argument \(index)")
        }
        return argument
    }

    /// One parameter and its position, for decoders that name the position in their errors.
    public struct Argument: Sendable {
        public let index: Int
        public let value: JSONValue

        public init(index: Int, value: JSONValue) {
            self.index = index
            self.value = value
        }

        /// -32602 `invalid argument N: reason`.
        public func invalid(_ reason: String) -> JSONRPCError {
            .invalidParams("invalid argument \(index): \(reason)")
        }
    }
}

// MARK: - Shortcuts for required arguments

extension RPCParams {
    /// A quantity (`0x` + minimal hex digits) up to 2^256 - 1.
    public func quantity(at index: Int) throws(JSONRPCError) -> U256 { try required(index).quantity() }
    /// A quantity that fits 64 bits.
    public func uint64(at index: Int) throws(JSONRPCError) -> UInt64 { try required(index).uint64() }
    /// Data: `0x` + an even number of hex digits.
    public func data(at index: Int) throws(JSONRPCError) -> [UInt8] { try required(index).data() }
    /// A 20-byte address (mixed case must be a valid EIP-55 checksum).
    public func address(at index: Int) throws(JSONRPCError) -> Address { try required(index).address() }
    /// A 32-byte hash.
    public func hash(at index: Int) throws(JSONRPCError) -> Hash32 { try required(index).hash() }
    /// A JSON boolean.
    public func bool(at index: Int) throws(JSONRPCError) -> Bool { try required(index).bool() }
    /// A block number or tag.
    public func blockTag(at index: Int) throws(JSONRPCError) -> BlockTag { try required(index).blockTag() }
    /// A JSON string.
    public func string(at index: Int) throws(JSONRPCError) -> String { try required(index).string() }
    /// A JSON object.
    public func object(at index: Int) throws(JSONRPCError) -> JSONObject { try required(index).object() }
}
