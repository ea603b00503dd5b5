import JSON
import Primitives

/// State reads. The block argument is optional (`latest`); a number or hash names a stored
/// block, whose state the backend serves when it keeps it (`stateBlock(_:)`); newer ones answer
/// "header not found".
extension ChainMethods {
    /// `[address, block?]` -> the balance in wei (0x0 for accounts that do not exist).
    func getBalance(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let selector = try Self.stateSelector(params, at: 1)
        let block = try await stateBlock(selector)
        return ChainJSON.quantity(try await backend.account(address, at: block)?.balance ?? .zero)
    }

    /// `[address, block?]` -> the account nonce; with `pending`, the nonce the sender's next
    /// transaction should carry (counting its pending pool transactions).
    func getTransactionCount(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let selector = try Self.stateSelector(params, at: 1)
        if selector == .tag(.pending) {
            return ChainJSON.quantity(try await backend.pendingNonce(address))
        }
        let block = try await stateBlock(selector)
        return ChainJSON.quantity(try await backend.account(address, at: block)?.nonce ?? 0)
    }

    /// `[address, block?]` -> the code (`0x` for accounts without code).
    func getCode(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let selector = try Self.stateSelector(params, at: 1)
        let block = try await stateBlock(selector)
        return ChainJSON.data(try await backend.code(address, at: block))
    }

    /// `[address, slot, block?]` -> the 32-byte storage word.
    func getStorageAt(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let slot = try params.required(1).storageSlot()
        let selector = try Self.stateSelector(params, at: 2)
        let block = try await stateBlock(selector)
        return ChainJSON.hash(try await backend.storage(address, slot: slot, at: block))
    }
}
