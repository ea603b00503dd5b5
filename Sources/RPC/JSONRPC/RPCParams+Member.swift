import JSON
import Primitives

extension RPCParams {
    /// One member of an object argument; its decoders name the argument and the member.
    public struct Member: Sendable {
        let argument: Argument
        public let key: String
        public let value: JSONValue

        /// -32602 `invalid argument N: key: reason`.
        public func invalid(_ reason: String) -> JSONRPCError { argument.invalid("\(key): \(reason)") }

        private func decode<T>(_ body: (Argument) throws(JSONRPCError) -> T) throws(JSONRPCError) -> T {
            do { return try body(Argument(index: argument.index, value: value)) } catch {
                let prefix = "invalid argument \(argument.index): "
                let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                throw invalid(reason)
            }
        }

        public func quantity() throws(JSONRPCError) -> U256 { try decode { (a) throws(JSONRPCError) in try a.quantity() } }
        public func uint64() throws(JSONRPCError) -> UInt64 { try decode { (a) throws(JSONRPCError) in try a.uint64() } }
        public func flexibleUInt64() throws(JSONRPCError) -> UInt64 { try decode { (a) throws(JSONRPCError) in try a.flexibleUInt64() } }
        public func data() throws(JSONRPCError) -> [UInt8] { try decode { (a) throws(JSONRPCError) in try a.data() } }
        public func address() throws(JSONRPCError) -> Address { try decode { (a) throws(JSONRPCError) in try a.address() } }
        public func hash() throws(JSONRPCError) -> Hash32 { try decode { (a) throws(JSONRPCError) in try a.hash() } }
        public func bool() throws(JSONRPCError) -> Bool { try decode { (a) throws(JSONRPCError) in try a.bool() } }
        public func blockTag() throws(JSONRPCError) -> BlockTag { try decode { (a) throws(JSONRPCError) in try a.blockTag() } }
        public func array() throws(JSONRPCError) -> [JSONValue] {
            guard case .array(let a) = value else { throw invalid("expected an array, got \(value.typeName)") }
            return a
        }
    }
}
