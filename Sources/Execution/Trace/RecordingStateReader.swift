import Primitives

/// A state reader that remembers the first value of every account, slot and code it reads:
/// the prestate of what a transaction touched (geth's prestateTracer).
final class RecordingStateReader: StateReader {
    let inner: any StateReader
    private(set) var accounts: [Address: AccountInfo?] = [:]
    private(set) var slots: [Address: [U256: U256]] = [:]
    private(set) var codes: [Hash32: [UInt8]] = [:]

    init(_ inner: any StateReader) { self.inner = inner }

    func account(_ address: Address) throws -> AccountInfo? {
        let a = try inner.account(address)
        if accounts[address] == nil { accounts[address] = .some(a) }
        return a
    }

    func storage(_ address: Address, slot: U256) throws -> U256 {
        let v = try inner.storage(address, slot: slot)
        if slots[address]?[slot] == nil { slots[address, default: [:]][slot] = v }
        return v
    }

    func hasStorage(_ address: Address) throws -> Bool { try inner.hasStorage(address) }

    func code(hash: Hash32) throws -> [UInt8] {
        let c = try inner.code(hash: hash)
        codes[hash] = c
        return c
    }

    /// The pre-state of everything read: accounts (also those that did not exist, as empty
    /// ones) with their code and the slots read.
    func prestate() throws -> [Address: PrestateAccount] {
        var out: [Address: PrestateAccount] = [:]
        for (address, info) in accounts {
            let code: [UInt8]
            if let info, info.codeHash != .emptyCodeHash { code = try codes[info.codeHash] ?? inner.code(hash: info.codeHash) } else { code = [] }
            out[address] = PrestateAccount(balance: info?.balance ?? .zero, nonce: (info?.nonce ?? 0) == 0 ? nil : info?.nonce,
                                           code: code.isEmpty ? nil : code, storage: slots[address] ?? [:])
        }
        for (address, words) in slots where out[address] == nil {
            out[address] = PrestateAccount(balance: .zero, storage: words)
        }
        return out
    }
}
