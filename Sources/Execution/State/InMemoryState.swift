import Primitives

/// A whole state in dictionaries: a `StateReader` for tests and the state-test runner, with
/// `apply(_:)` for a transaction's changes and the state root.
public struct InMemoryState: StateReader, Sendable {
    public struct Account: Sendable, Equatable {
        public var info: AccountInfo
        public var storage: [U256: U256]
        public init(info: AccountInfo, storage: [U256: U256] = [:]) { self.info = info; self.storage = storage }
    }

    public var accounts: [Address: Account]
    public var codes: [Hash32: [UInt8]]

    public init() { accounts = [:]; codes = [:] }

    /// Adds or replaces an account with its code and storage.
    public mutating func setAccount(_ address: Address, nonce: UInt64, balance: U256, code: [UInt8], storage: [U256: U256]) {
        let hash = code.isEmpty ? Hash32.emptyCodeHash : Keccak.hash256(code)
        codes[hash] = code
        accounts[address] = Account(info: AccountInfo(nonce: nonce, balance: balance, codeHash: hash),
                                    storage: storage.filter { !$0.value.isZero })
    }

    public func account(_ address: Address) throws -> AccountInfo? { accounts[address]?.info }
    public func storage(_ address: Address, slot: U256) throws -> U256 { accounts[address]?.storage[slot] ?? .zero }
    public func hasStorage(_ address: Address) throws -> Bool { !(accounts[address]?.storage.isEmpty ?? true) }
    public func code(hash: Hash32) throws -> [UInt8] { codes[hash] ?? [] }

    /// Applies a transaction's changes.
    public mutating func apply(_ changes: StateChanges) {
        for (address, change) in changes.accounts {
            switch change {
            case .deleted:
                accounts[address] = nil
            case .updated(let updated):
                var account = accounts[address] ?? Account(info: updated.info)
                if updated.storageCleared { account.storage = [:] }
                account.info = updated.info
                if let code = updated.code { codes[updated.info.codeHash] = code }
                for (slot, value) in updated.storage { account.storage[slot] = value.isZero ? nil : value }
                accounts[address] = account
            }
        }
    }

    /// The state root: the secure trie of rlp([nonce, balance, storageRoot, codeHash]).
    public var stateRoot: Hash32 {
        var pairs: [(key: [UInt8], value: [UInt8])] = []
        pairs.reserveCapacity(accounts.count)
        for (address, account) in accounts {
            var slots: [(key: [UInt8], value: [UInt8])] = []
            for (slot, value) in account.storage where !value.isZero {
                var w = RLPWriter()
                w.write(value)
                slots.append((slot.bigEndianBytes, w.bytes))
            }
            let storageRoot = slots.isEmpty ? Hash32.emptyTrieRoot : secureTrieRoot(of: slots)
            var w = RLPWriter()
            w.writeList { l in
                l.write(account.info.nonce)
                l.write(account.info.balance)
                l.write(storageRoot)
                l.write(account.info.codeHash)
            }
            pairs.append((address.bytes, w.bytes))
        }
        return secureTrieRoot(of: pairs)
    }
}
