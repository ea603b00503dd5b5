import Primitives

/// The state during one transaction: a cache over a `StateReader` with a journal of every
/// change, so that each call frame can be reverted (`checkpoint()` / `revert(to:)`), plus the
/// transaction-scoped sets of the EVM: warm addresses and slots (EIP-2929), transient storage
/// (EIP-1153), logs, the refund counter, touched accounts (EIP-161) and self-destructs (EIP-6780).
final class JournaledState {
    let reader: any StateReader
    private(set) var accounts: [Address: JournaledAccount] = [:]
    private var journal: [JournalEntry] = []
    private var warmAddresses: Set<Address> = []
    private var warmSlots: Set<StorageKey> = []
    private var transientStorage: [StorageKey: U256] = [:]
    private var touched: [Address: Int] = [:]
    private var selfDestructs: [Address: Int] = [:]
    private(set) var logs: [Log] = []
    private(set) var refund: Int = 0
    /// The first error the reader threw; the transaction fails with it.
    private(set) var readError: (any Error)?

    init(reader: any StateReader) { self.reader = reader }

    // MARK: checkpoints

    typealias Checkpoint = Int
    func checkpoint() -> Checkpoint { journal.count }

    func revert(to checkpoint: Checkpoint) {
        while journal.count > checkpoint {
            switch journal.removeLast() {
            case .accountReplaced(let a, let previous): accounts[a] = previous
            case .balance(let a, let v): accounts[a]!.info.balance = v
            case .nonce(let a, let v): accounts[a]!.info.nonce = v
            case .code(let a, let h, let c):
                accounts[a]!.info.codeHash = h; accounts[a]!.code = c; accounts[a]!.codeChanged = false
            case .storage(let a, let k, let v): accounts[a]!.storage[k] = v
            case .transient(let k, let v): transientStorage[k] = v
            case .warmAddress(let a): warmAddresses.remove(a)
            case .warmSlot(let k): warmSlots.remove(k)
            case .touched(let a): decrement(&touched, a)
            case .selfDestructed(let a): decrement(&selfDestructs, a)
            case .log: logs.removeLast()
            case .refund(let v): refund = v
            }
        }
    }

    private func decrement(_ counts: inout [Address: Int], _ a: Address) {
        if let n = counts[a], n > 1 { counts[a] = n - 1 } else { counts[a] = nil }
    }

    // MARK: accounts

    @discardableResult
    private func load(_ address: Address) -> JournaledAccount {
        if let a = accounts[address] { return a }
        var info: AccountInfo?
        do { info = try reader.account(address) } catch { record(error) }
        let a = JournaledAccount(info: info ?? AccountInfo(), exists: info != nil, existedBefore: info != nil)
        accounts[address] = a
        return a
    }

    private func record(_ error: any Error) { if readError == nil { readError = error } }

    func account(_ address: Address) -> AccountInfo { load(address).info }
    func exists(_ address: Address) -> Bool { load(address).exists }
    /// Exists and is not empty (EIP-161 "alive").
    func isAlive(_ address: Address) -> Bool { let a = load(address); return a.exists && !a.info.isEmpty }
    func balance(_ address: Address) -> U256 { load(address).info.balance }
    func nonce(_ address: Address) -> UInt64 { load(address).info.nonce }
    func codeHash(_ address: Address) -> Hash32 { load(address).info.codeHash }
    func wasCreatedInTransaction(_ address: Address) -> Bool { load(address).createdInTransaction }

    func code(_ address: Address) -> [UInt8] {
        let a = load(address)
        if let c = a.code { return c }
        if a.info.codeHash == .emptyCodeHash { return [] }
        var c: [UInt8] = []
        do { c = try reader.code(hash: a.info.codeHash) } catch { record(error) }
        accounts[address]!.code = c
        return c
    }

    /// Marks the account as touched (EIP-161), creating it empty when missing.
    func touch(_ address: Address) {
        load(address)
        if !accounts[address]!.exists { createEmpty(address) }
        touched[address, default: 0] += 1
        journal.append(.touched(address))
    }

    private func createEmpty(_ address: Address) {
        journal.append(.accountReplaced(address, previous: accounts[address]))
        accounts[address]!.exists = true
    }

    func setBalance(_ address: Address, _ value: U256) {
        load(address)
        if !accounts[address]!.exists { createEmpty(address) }
        journal.append(.balance(address, accounts[address]!.info.balance))
        accounts[address]!.info.balance = value
        touched[address, default: 0] += 1
        journal.append(.touched(address))
    }

    func addBalance(_ address: Address, _ value: U256) {
        setBalance(address, balance(address).evmAdd(value))
    }

    /// Moves `value`; the caller checked the balance.
    func transfer(from: Address, to: Address, value: U256) {
        setBalance(from, balance(from).evmSub(value))
        addBalance(to, value)
    }

    func setNonce(_ address: Address, _ value: UInt64) {
        load(address)
        if !accounts[address]!.exists { createEmpty(address) }
        journal.append(.nonce(address, accounts[address]!.info.nonce))
        accounts[address]!.info.nonce = value
    }

    func incrementNonce(_ address: Address) { setNonce(address, nonce(address) &+ 1) }

    func setCode(_ address: Address, _ code: [UInt8]) {
        let a = load(address)
        journal.append(.code(address, a.info.codeHash, a.code))
        accounts[address]!.info.codeHash = code.isEmpty ? .emptyCodeHash : Keccak.hash256(code)
        accounts[address]!.code = code
        accounts[address]!.codeChanged = true
    }

    /// A CREATE target collides when it has a nonce, code or storage.
    func hasCollision(_ address: Address) -> Bool {
        let a = load(address)
        if a.info.nonce != 0 || a.info.codeHash != .emptyCodeHash { return true }
        if a.createdInTransaction { return a.storage.values.contains { !$0.isZero } }
        if a.storage.values.contains(where: { !$0.isZero }) { return true }
        do { return try reader.hasStorage(address) && a.existedBefore } catch { record(error); return false }
    }

    /// Starts a new contract at `address`: keeps its balance, clears its storage, nonce 1.
    func createContract(_ address: Address) {
        let previous = load(address)
        journal.append(.accountReplaced(address, previous: previous))
        var a = JournaledAccount(info: AccountInfo(nonce: 1, balance: previous.info.balance),
                                 exists: true, existedBefore: previous.existedBefore)
        a.code = []
        a.createdInTransaction = true
        accounts[address] = a
        touched[address, default: 0] += 1
        journal.append(.touched(address))
    }

    // MARK: storage

    func storage(_ address: Address, _ slot: U256) -> U256 {
        let a = load(address)
        if let v = a.storage[slot] { return v }
        var v = U256.zero
        if !a.createdInTransaction && a.existedBefore {
            do { v = try reader.storage(address, slot: slot) } catch { record(error) }
        }
        accounts[address]!.storage[slot] = v
        accounts[address]!.originalStorage[slot] = v
        return v
    }

    /// The slot's value at the start of the transaction (zero for accounts created in it).
    func originalStorage(_ address: Address, _ slot: U256) -> U256 {
        _ = storage(address, slot)
        let a = accounts[address]!
        return a.createdInTransaction ? .zero : (a.originalStorage[slot] ?? .zero)
    }

    func setStorage(_ address: Address, _ slot: U256, _ value: U256) {
        let old = storage(address, slot)
        journal.append(.storage(address, slot, old))
        accounts[address]!.storage[slot] = value
    }

    func transientStorage(_ address: Address, _ slot: U256) -> U256 {
        transientStorage[StorageKey(address: address, slot: slot)] ?? .zero
    }

    func setTransientStorage(_ address: Address, _ slot: U256, _ value: U256) {
        let key = StorageKey(address: address, slot: slot)
        journal.append(.transient(key, transientStorage[key] ?? .zero))
        transientStorage[key] = value
    }

    // MARK: access lists (EIP-2929)

    /// Warms the address; returns whether it was cold.
    @discardableResult
    func warm(_ address: Address) -> Bool {
        if warmAddresses.insert(address).inserted { journal.append(.warmAddress(address)); return true }
        return false
    }

    @discardableResult
    func warm(_ address: Address, slot: U256) -> Bool {
        let key = StorageKey(address: address, slot: slot)
        if warmSlots.insert(key).inserted { journal.append(.warmSlot(key)); return true }
        return false
    }

    // MARK: logs, refunds, self-destruct

    func addLog(_ log: Log) { logs.append(log); journal.append(.log) }

    func addRefund(_ delta: Int) { journal.append(.refund(refund)); refund += delta }

    func markSelfDestructed(_ address: Address) {
        selfDestructs[address, default: 0] += 1
        journal.append(.selfDestructed(address))
    }

    // MARK: end of transaction

    /// Deletes self-destructed accounts and touched empty ones (EIP-161), then returns the
    /// changes against the reader's state. The journal is dropped: no revert after this.
    func finalize() -> StateChanges {
        journal.removeAll()
        var deleted = Set(selfDestructs.keys)
        for address in touched.keys where !deleted.contains(address) {
            if let a = accounts[address], a.exists, a.info.isEmpty { deleted.insert(address) }
        }
        var changes = StateChanges()
        for (address, a) in accounts {
            if deleted.contains(address) || !a.exists {
                if a.existedBefore { changes.accounts[address] = .deleted }
                continue
            }
            var storage: [U256: U256] = [:]
            for (slot, value) in a.storage {
                if a.createdInTransaction {
                    if !value.isZero { storage[slot] = value }
                } else if a.originalStorage[slot] != value {
                    storage[slot] = value
                }
            }
            let before: AccountInfo? = a.existedBefore ? ((try? reader.account(address)) ?? nil) : nil
            let cleared = a.createdInTransaction && a.existedBefore
            if before == a.info && storage.isEmpty && !cleared && !a.codeChanged { continue }
            changes.accounts[address] = .updated(UpdatedAccount(info: a.info, code: a.codeChanged ? a.code : nil,
                                                                storageCleared: cleared, storage: storage))
        }
        return changes
    }
}
