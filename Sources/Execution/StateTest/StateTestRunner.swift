#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Primitives

/// Runs GeneralStateTests files: for each test and each post entry of the chosen fork, builds
/// the pre-state, executes the indexed transaction and compares the state root and logs hash.
public struct StateTestRunner {
    public var rules: EVMRules
    public var fork: String
    /// Receives EIP-3155 lines when set.
    public var trace: ((String) -> Void)?
    /// Tests skipped: a name skips all its entries, `name[data,gas,value]` one entry
    /// (see Tests/ExecutionTests/Fixtures/statetest-exclusions.txt).
    public var excluded: Set<String>

    public init(rules: EVMRules, fork: String, excluded: Set<String> = [], trace: ((String) -> Void)? = nil) {
        self.rules = rules; self.fork = fork; self.excluded = excluded; self.trace = trace
    }

    public enum Failure: Error, CustomStringConvertible {
        case invalidJSON(String)
        public var description: String {
            switch self { case .invalidJSON(let m): "invalid state test JSON: \(m)" }
        }
    }

    /// Runs every entry of one file; returns how many entries were skipped as excluded.
    public func run(json: Data, emit: (StateTestOutcome) -> Void) throws -> Int {
        let file: [String: StateTestCase]
        do { file = try JSONDecoder().decode([String: StateTestCase].self, from: json) } catch {
            throw Failure.invalidJSON("\(error)")
        }
        var excludedCount = 0
        let processor = TransactionProcessor(rules: rules)
        for name in file.keys.sorted() {
            let test = file[name]!
            guard let entries = test.post[fork] else { continue }
            if excluded.contains(name) { excludedCount += entries.count; continue }
            let pre = Self.preState(test.pre)
            let block = Self.block(test.env)
            for entry in entries {
                let i = entry.indexes
                if excluded.contains("\(name)[\(i.data),\(i.gas),\(i.value)]") { excludedCount += 1; continue }
                emit(runEntry(name: name, test: test, entry: entry, pre: pre, block: block, processor: processor))
            }
        }
        return excludedCount
    }

    func runEntry(name: String, test: StateTestCase, entry: StateTestCase.PostEntry, pre: InMemoryState,
                  block: BlockEnvironment, processor: TransactionProcessor) -> StateTestOutcome {
        var state = pre
        var logs: [Log] = []
        var error: String?
        var rejected = false
        if let tx = Self.transaction(test.transaction, entry.indexes) {
            do {
                let result: TransactionResult
                if let trace {
                    result = try processor.execute(tx, block: block, state: state, trace: trace)
                } else {
                    result = try processor.execute(tx, block: block, state: state)
                }
                state.apply(result.changes)
                logs = result.logs
            } catch let rejection {
                rejected = true
                if entry.expectException == nil { error = "transaction rejected: \(rejection)" }
            }
        } else {
            rejected = true
            if entry.expectException == nil { error = "transaction fields out of range" }
        }
        if entry.expectException != nil && !rejected {
            error = "expected exception \(entry.expectException!) but the transaction was executed"
        }
        let root = state.stateRoot
        var w = RLPWriter()
        w.writeList { l in for log in logs { log.write(to: &l) } }
        let logsHash = Keccak.hash256(w.bytes)
        let expectedRoot = (try? Hash32(hex: entry.hash)) ?? .zero
        let expectedLogs = (try? Hash32(hex: entry.logs)) ?? .zero
        if error == nil && root != expectedRoot { error = "state root mismatch: got \(root.hex) want \(entry.hash)" }
        if error == nil && logsHash != expectedLogs { error = "logs hash mismatch: got \(logsHash.hex) want \(entry.logs)" }
        return StateTestOutcome(name: name, fork: fork, dataIndex: entry.indexes.data, gasIndex: entry.indexes.gas,
                                valueIndex: entry.indexes.value, stateRoot: root, logsHash: logsHash,
                                pass: error == nil, error: error)
    }

    // MARK: parsing

    static func bytes(_ s: String) -> [UInt8] {
        var hex = Substring(s)
        if hex.hasPrefix("0x") { hex = hex.dropFirst(2) }
        if hex.count % 2 == 1 { hex = "0" + hex }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: continue
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }

    static func u256(_ s: String) -> U256? {
        var b = bytes(s)
        while b.first == 0 { b.removeFirst() }
        return U256(bigEndian: b)
    }

    static func u64(_ s: String) -> UInt64? { u256(s)?.uint64 }

    static func address(_ s: String) -> Address {
        let b = bytes(s)
        return b.count == 20 ? Address(b) : .zero
    }

    static func hash(_ s: String) -> Hash32 {
        let b = bytes(s)
        return Hash32([UInt8](repeating: 0, count: max(0, 32 - b.count)) + b.suffix(32))
    }

    static func preState(_ pre: [String: StateTestCase.PreAccount]) -> InMemoryState {
        var state = InMemoryState()
        for (a, account) in pre {
            var storage: [U256: U256] = [:]
            for (k, v) in account.storage { storage[u256(k) ?? .zero] = u256(v) ?? .zero }
            state.setAccount(address(a), nonce: u64(account.nonce) ?? 0, balance: u256(account.balance) ?? .zero,
                             code: bytes(account.code), storage: storage)
        }
        return state
    }

    static func block(_ env: StateTestCase.Environment) -> BlockEnvironment {
        BlockEnvironment(chainID: 1, number: u64(env.currentNumber) ?? 0, timestamp: u64(env.currentTimestamp) ?? 0,
                         coinbase: address(env.currentCoinbase), gasLimit: u64(env.currentGasLimit) ?? .max,
                         baseFee: env.currentBaseFee.flatMap(u256) ?? .zero,
                         prevRandao: env.currentRandom.map(hash) ?? .zero,
                         excessBlobGas: env.currentExcessBlobGas.flatMap(u64) ?? 0,
                         blockHashes: { n in Keccak.hash256(Array(String(n).utf8)) })
    }

    /// The transaction at these indexes, or nil when a field does not fit its type (invalid).
    static func transaction(_ t: StateTestCase.TransactionTemplate, _ i: StateTestCase.Indexes) -> ExecutionTransaction? {
        guard i.data < t.data.count, i.gas < t.gasLimit.count, i.value < t.value.count,
              let gasLimit = u64(t.gasLimit[i.gas]), let value = u256(t.value[i.value]), let nonce = u64(t.nonce)
        else { return nil }
        var accessList: [AccessListEntry] = []
        if let lists = t.accessLists, i.data < lists.count, let list = lists[i.data] {
            accessList = list.map { AccessListEntry(address: address($0.address), storageKeys: $0.storageKeys.map(hash)) }
        }
        let type: UInt8
        let maxFee: U256, tip: U256
        if let hashes = t.blobVersionedHashes, !hashes.isEmpty || t.maxFeePerBlobGas != nil {
            type = 3
        } else if t.maxFeePerGas != nil {
            type = 2
        } else if t.accessLists != nil {
            type = 1
        } else {
            type = 0
        }
        if let gasPrice = t.gasPrice {
            guard let p = u256(gasPrice) else { return nil }
            maxFee = p; tip = p
        } else {
            guard let f = t.maxFeePerGas.flatMap(u256), let p = t.maxPriorityFeePerGas.flatMap(u256) else { return nil }
            maxFee = f; tip = p
        }
        guard let senderHex = t.sender else { return nil }
        var blobFee = U256.zero
        if let f = t.maxFeePerBlobGas { guard let v = u256(f) else { return nil }; blobFee = v }
        return ExecutionTransaction(type: type, sender: address(senderHex), to: t.to.isEmpty ? nil : address(t.to),
                                    nonce: nonce, gasLimit: gasLimit, value: value, data: bytes(t.data[i.data]),
                                    maxFeePerGas: maxFee, maxPriorityFeePerGas: tip, accessList: accessList,
                                    chainID: 1, blobVersionedHashes: (t.blobVersionedHashes ?? []).map(hash),
                                    maxFeePerBlobGas: blobFee)
    }
}
