import Primitives

/// Records the addresses and storage slots a transaction touches, as geth's access-list tracer
/// does (eth_createAccessList): SLOAD/SSTORE slots of the executing contract, and the
/// addresses of BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, SELFDESTRUCT and the CALL
/// family, also in frames that later revert. As geth: an `excluded` address (sender,
/// recipient, precompiles) is not listed for being touched, but is listed with the slots its
/// code reads or writes.
final class AccessListTracer: EVMTracer {
    static var isEnabled: Bool { true }
    let excluded: Set<Address>
    private(set) var slots: [Address: Set<U256>] = [:]
    private var contexts: [Address] = []

    /// Starts from `initial` (geth keeps what the request listed, excluded addresses aside).
    init(initial: [AccessListEntry], excluded: Set<Address>) {
        self.excluded = excluded
        for entry in initial {
            if !excluded.contains(entry.address) || !entry.storageKeys.isEmpty {
                slots[entry.address, default: []].formUnion(entry.storageKeys.map { U256(hash: $0) })
            }
        }
    }

    func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memory: EVMMemory,
              stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int) {
        switch op {
        case 0x54, 0x55:
            guard stackCount >= 1, let address = contexts.last else { return }
            slots[address, default: []].insert(stack[stackCount - 1])
        case 0x31, 0x3b, 0x3c, 0x3f, 0xff:
            guard stackCount >= 1 else { return }
            touch(stack[stackCount - 1].address)
        case 0xf1, 0xf2, 0xf4, 0xfa:
            guard stackCount >= 2 else { return }
            touch(stack[stackCount - 2].address)
        default:
            return
        }
    }

    /// Lists `address` (unless excluded).
    private func touch(_ address: Address) {
        if !excluded.contains(address) && slots[address] == nil { slots[address] = [] }
    }

    func enter(_ m: Message, input: [UInt8]) { contexts.append(m.target) }
    func exit(_ result: FrameResult, output: [UInt8]) { contexts.removeLast() }

    /// The access list, addresses and keys in ascending order.
    var accessList: [AccessListEntry] {
        slots.keys.sorted().map { address in
            AccessListEntry(address: address, storageKeys: slots[address]!.sorted().map { Hash32($0.bigEndianBytes) })
        }
    }
}

extension TransactionProcessor {
    /// geth's eth_createAccessList: executes `tx` with the access list collected so far until
    /// the list stops changing (at most 8 rounds), then answers it with the last run's outcome.
    /// Entries of the request's own list stay (as geth keeps them).
    /// The sender, the recipient (or the created contract) and the precompiles are not listed.
    public func createAccessList(_ tx: ExecutionTransaction, block: BlockEnvironment,
                                 state reader: any StateReader) throws(ExecutionError) -> (accessList: [AccessListEntry], result: TransactionResult) {
        var excluded = Set(rules.precompileAddresses).union(rules.precompiles.keys)
        excluded.insert(tx.sender)
        excluded.insert(tx.to ?? EVM<NoTracer>.createAddress(sender: tx.sender, nonce: tx.nonce))
        var current = tx
        var list = AccessListTracer(initial: tx.accessList, excluded: excluded).accessList
        for _ in 0..<8 {
            current.accessList = list
            let tracer = AccessListTracer(initial: list, excluded: excluded)
            let result = try execute(current, block: block, state: reader, tracer: tracer)
            let next = tracer.accessList
            if next == list { return (list, result) }
            list = next
        }
        current.accessList = list
        return (list, try execute(current, block: block, state: reader))
    }
}
