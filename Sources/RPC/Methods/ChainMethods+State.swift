import JSON
import Primitives

/// Head-state reads. The block argument is optional (`latest`); any selector naming the head
/// works (`latest`, `pending`, `safe`, `finalized`, its number or hash), older blocks answer
/// "historical state not available", newer ones "header not found".
extension ChainMethods {
    /// `[address, block?]` -> the balance in wei (0x0 for accounts that do not exist).
    func getBalance(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let selector = try Self.stateSelector(params, at: 1)
        try await requireHeadState(selector)
        return ChainJSON.quantity(try await backend.account(address)?.balance ?? .zero)
    }

    /// `[address, block?]` -> the account nonce; with `pending`, the nonce the sender's next
    /// transaction should carry (counting its pending pool transactions).
    func getTransactionCount(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let selector = try Self.stateSelector(params, at: 1)
        if selector == .tag(.pending) {
            return ChainJSON.quantity(try await backend.pendingNonce(address))
        }
        try await requireHeadState(selector)
        return ChainJSON.quantity(try await backend.account(address)?.nonce ?? 0)
    }

    /// `[address, block?]` -> the code (`0x` for accounts without code).
    func getCode(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let selector = try Self.stateSelector(params, at: 1)
        try await requireHeadState(selector)
        return ChainJSON.data(try await backend.code(address))
    }

    /// `[address, slot, block?]` -> the 32-byte storage word.
    func getStorageAt(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let slot = try params.required(1).storageSlot()
        let selector = try Self.stateSelector(params, at: 2)
        try await requireHeadState(selector)
        return ChainJSON.hash(try await backend.storage(address, slot: slot))
    }
}
