import JSON
import Primitives
@testable import RPC

extension RPCDispatcher {
    /// The result of a call that must succeed.
    func result(_ method: String, _ params: [JSONValue] = []) async throws -> JSONValue {
        try await call(method, params).get()
    }

    /// The error of a call that must fail (nil when it succeeded).
    func error(_ method: String, _ params: [JSONValue] = []) async -> JSONRPCError? {
        if case .failure(let e) = await call(method, params) { return e }
        return nil
    }
}

extension JSONValue {
    /// `0x`-hex of bytes, for building requests.
    static func hex(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes)) }
    static func hex(_ hash: Hash32) -> JSONValue { .string(hash.hex) }
    static func hex(_ address: Address) -> JSONValue { .string(address.hex) }
    static func hex(_ value: UInt64) -> JSONValue { .string(Hex.encodeQuantity(value)) }
    static func hex(_ value: U256) -> JSONValue { .string(value.quantity) }
}
