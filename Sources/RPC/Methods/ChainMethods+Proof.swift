import JSON
import Primitives

/// eth_getProof (EIP-1186): `[address, [storage keys], block?]` -> the account with the state
/// trie's nodes from the block's state root to it, and each key's word with its storage trie's
/// nodes. An account that does not exist answers zero balance and nonce, the empty code hash
/// and the empty trie root, with the proof of its absence (as geth). Keys take geth's forms
/// (`0x` and up to 64 hex digits); each answers as its 32-byte form. At most
/// `maxProofKeys` keys per request.
extension ChainMethods {
    static let maxProofKeys = 1_024

    func getProof(_ params: RPCParams) async throws -> JSONValue {
        let address = try params.address(at: 0)
        let keysArgument = try params.required(1)
        guard case .array(let items) = keysArgument.value else {
            throw keysArgument.invalid("expected an array of storage keys, got \(keysArgument.value.typeName)")
        }
        guard items.count <= Self.maxProofKeys else {
            throw keysArgument.invalid("\(items.count) storage keys, at most \(Self.maxProofKeys) are allowed per request")
        }
        var keys: [Hash32] = []
        for (i, item) in items.enumerated() {
            do { keys.append(try RPCParams.Argument(index: 1, value: item).storageSlot()) } catch {
                let prefix = "invalid argument 1: "
                let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                throw keysArgument.invalid("key \(i): \(reason)")
            }
        }
        let block = try await stateBlock(try Self.stateSelector(params, at: 2))
        let proof = try await backend.proof(address, slots: keys, at: block)
        let account = proof.account
        return .object([
            "address": .string(address.checksummed),
            "accountProof": .array(proof.accountProof.map(ChainJSON.data)),
            "balance": ChainJSON.quantity(account?.balance ?? .zero),
            "codeHash": ChainJSON.hash(account?.codeHash ?? .emptyCodeHash),
            "nonce": ChainJSON.quantity(account?.nonce ?? 0),
            "storageHash": ChainJSON.hash(proof.storageRoot),
            "storageProof": .array(proof.storage.map { entry in
                .object(["key": ChainJSON.hash(entry.key), "value": ChainJSON.quantity(entry.value),
                         "proof": .array(entry.proof.map(ChainJSON.data))])
            }),
        ])
    }
}

/// An EIP-1186 proof as the backend produces it (see `RPCChainBackend.proof`).
public struct RPCAccountProof: Sendable, Equatable {
    /// The account; nil when it does not exist.
    public var account: RPCAccount?
    /// The account's storage root (the empty trie's root when it has no storage or no account).
    public var storageRoot: Hash32
    /// RLP of the state trie's nodes from the root towards the account, root first.
    public var accountProof: [[UInt8]]
    /// Per requested key: its word and the storage trie's nodes from the storage root.
    public var storage: [Entry]

    public struct Entry: Sendable, Equatable {
        public var key: Hash32
        public var value: U256
        public var proof: [[UInt8]]
        public init(key: Hash32, value: U256, proof: [[UInt8]]) { self.key = key; self.value = value; self.proof = proof }
    }

    public init(account: RPCAccount?, storageRoot: Hash32, accountProof: [[UInt8]], storage: [Entry]) {
        self.account = account; self.storageRoot = storageRoot; self.accountProof = accountProof; self.storage = storage
    }
}
