import Execution
import Primitives

extension Chain {
    /// What executing a call on the head state gave (eth_call, eth_estimateGas).
    public enum CallOutcome: Sendable, Equatable {
        case success(output: [UInt8], gasUsed: UInt64)
        case reverted(output: [UInt8], gasUsed: UInt64)
        /// An exceptional halt, in geth's words ("out of gas", "invalid opcode", ...).
        case halted(reason: String)
        /// Not executable (geth's message: insufficient funds, fee cap below base fee, ...).
        case invalid(String)
    }

    /// Executes a message from `from` on the head state and discards its changes, as geth's
    /// eth_call does: the sender's current nonce is used, a sender with code may call (as
    /// contracts are simulated), and without fee fields no fee is charged, the base fee is not
    /// checked and BASEFEE reads 0. `pending` executes in the next block's environment (its
    /// number and base fee) instead of the head's. With `block`, the message executes on that
    /// stored block's state and in its environment (`state(at:hash:)` says which are kept).
    /// With an `authorizationList` (EIP-7702, signed) the message is a set-code transaction: the
    /// authorizations apply first and their intrinsic gas counts (eth_estimateGas for type 4).
    public func call(from: Address, to: Address?, gas: UInt64, maxFeePerGas: U256?, maxPriorityFeePerGas: U256?,
                     value: U256, data: [UInt8], accessList: [AccessListEntry], pending: Bool,
                     block: (header: Header, hash: Hash32)? = nil, overrides: CallOverrides = CallOverrides(),
                     authorizationList: [Authorization] = []) throws(EngineError) -> CallOutcome {
        let (tx, environment, reader) = try prepareCall(from: from, to: to, gas: gas, maxFeePerGas: maxFeePerGas,
                                                        maxPriorityFeePerGas: maxPriorityFeePerGas, value: value, data: data,
                                                        accessList: accessList, pending: pending, block: block, overrides: overrides,
                                                        authorizationList: authorizationList)
        do {
            return Self.outcome(of: try TransactionProcessor(rules: spec.evmRules).execute(tx, block: environment, state: reader))
        } catch {
            try Self.rethrowStateReadFailure(error)
            return .invalid(error.description)
        }
    }

    /// A call as `call(...)` runs it, traced (debug_traceCall). A call that cannot execute
    /// (`CallOutcome.invalid`'s cases) throws `EngineError.callNotExecutable` with geth's words.
    public func traceCall(from: Address, to: Address?, gas: UInt64, maxFeePerGas: U256?, maxPriorityFeePerGas: U256?,
                          value: U256, data: [UInt8], accessList: [AccessListEntry], pending: Bool,
                          block: (header: Header, hash: Hash32)?, overrides: CallOverrides = CallOverrides(),
                          authorizationList: [Authorization] = [], request: TraceRequest,
                          deadline: ContinuousClock.Instant?) throws(EngineError) -> TracedExecution {
        let (tx, environment, reader) = try prepareCall(from: from, to: to, gas: gas, maxFeePerGas: maxFeePerGas,
                                                        maxPriorityFeePerGas: maxPriorityFeePerGas, value: value, data: data,
                                                        accessList: accessList, pending: pending, block: block, overrides: overrides,
                                                        authorizationList: authorizationList)
        do {
            return try TransactionProcessor(rules: spec.evmRules).trace(tx, block: environment, state: reader, request: request,
                                                                       deadline: deadline)
        } catch {
            try Self.rethrowStateReadFailure(error)
            throw .callNotExecutable(error.description)
        }
    }

    /// geth's eth_createAccessList for a call as `call(...)` runs it: the access list and the
    /// outcome of running the call with it (its gas used is what the list makes it cost).
    public func createAccessList(from: Address, to: Address?, gas: UInt64, maxFeePerGas: U256?, maxPriorityFeePerGas: U256?,
                                 value: U256, data: [UInt8], accessList: [AccessListEntry], pending: Bool,
                                 block: (header: Header, hash: Hash32)?, overrides: CallOverrides = CallOverrides(),
                                 authorizationList: [Authorization] = [])
        throws(EngineError) -> (accessList: [AccessListEntry], outcome: CallOutcome) {
        let (tx, environment, reader) = try prepareCall(from: from, to: to, gas: gas, maxFeePerGas: maxFeePerGas,
                                                        maxPriorityFeePerGas: maxPriorityFeePerGas, value: value, data: data,
                                                        accessList: accessList, pending: pending, block: block, overrides: overrides,
                                                        authorizationList: authorizationList)
        do {
            let (list, result) = try TransactionProcessor(rules: spec.evmRules).createAccessList(tx, block: environment, state: reader)
            return (list, Self.outcome(of: result))
        } catch {
            try Self.rethrowStateReadFailure(error)
            return ([], .invalid(error.description))
        }
    }

    /// Scroll's L1 data fee the call would pay as a signed type-2 transaction (zero without fee
    /// fields or on a chain without an L1 fee), from the oracle in the call's state.
    public func callL1Fee(from: Address, to: Address?, gas: UInt64, maxFeePerGas: U256?, maxPriorityFeePerGas: U256?,
                          value: U256, data: [UInt8], accessList: [AccessListEntry], pending: Bool,
                          block: (header: Header, hash: Hash32)?, overrides: CallOverrides = CallOverrides(),
                          authorizationList: [Authorization] = []) throws(EngineError) -> U256 {
        let (tx, _, reader) = try prepareCall(from: from, to: to, gas: gas, maxFeePerGas: maxFeePerGas,
                                              maxPriorityFeePerGas: maxPriorityFeePerGas, value: value, data: data,
                                              accessList: accessList, pending: pending, block: block, overrides: overrides,
                                              authorizationList: authorizationList)
        do { return try TransactionProcessor(rules: spec.evmRules).l1Fee(tx, state: reader) } catch {
            try Self.rethrowStateReadFailure(error)
            return .zero
        }
    }

    /// What a call's execution gave, in geth's words for a halt.
    static func outcome(of result: TransactionResult) -> CallOutcome {
        if result.succeeded { return .success(output: result.output, gasUsed: result.gasUsed) }
        if result.failure == "reverted" { return .reverted(output: result.output, gasUsed: result.gasUsed) }
        return .halted(reason: gethHaltMessages[result.failure ?? ""] ?? result.failure ?? "execution failed")
    }

    /// A state that could not be read decides nothing about the call: it is the engine's failure.
    static func rethrowStateReadFailure(_ error: ExecutionError) throws(EngineError) {
        if case .stateReadFailed(let m) = error { throw .trie(during: .simulatingCall, underlying: StateReadFailure(message: m)) }
    }

    /// The message, environment and state of a call (see `call(...)`).
    private func prepareCall(from: Address, to: Address?, gas: UInt64, maxFeePerGas: U256?, maxPriorityFeePerGas: U256?,
                             value: U256, data: [UInt8], accessList: [AccessListEntry], pending: Bool,
                             block: (header: Header, hash: Hash32)?, overrides: CallOverrides,
                             authorizationList: [Authorization]) throws(EngineError)
        -> (ExecutionTransaction, Execution.BlockEnvironment, CallStateReader) {
        let head = block?.header ?? headBlock.header
        let base: any ContractStateReader = try block.map { b throws(EngineError) in try self.state(at: b.header, hash: b.hash) }
            ?? HeadStateReader(database: database)
        let pending = pending && block == nil
        let state = StateOverlay(base: base)
        if pending { try updateBlockHashHistory(state, number: head.number + 1, parentHash: headBlock.hash) }
        let reader = CallStateReader(inner: OverlayStateReader(overlay: state), caller: from, overrides: overrides.accounts)
        let nonce: UInt64
        do { nonce = try reader.account(from)?.nonce ?? 0 } catch {
            if let e = error as? EngineError { throw Self.callStateError(e) }
            throw .trie(during: .simulatingCall, underlying: error)
        }
        let charged = maxFeePerGas != nil
        let b = overrides.block
        let baseFee = b.baseFee ?? (pending ? nextBaseFee : head.baseFeePerGas ?? .zero)
        let gasLimit = max(b.gasLimit ?? head.gasLimit, gas)
        let top = pending ? head.number : head.number - min(head.number, 1)
        var environment = Execution.BlockEnvironment(
            chainID: spec.chainID, number: b.number ?? (pending ? head.number + 1 : head.number),
            timestamp: b.timestamp ?? (pending ? head.timestamp + 1 : head.timestamp), coinbase: b.coinbase ?? head.beneficiary,
            gasLimit: gasLimit, baseFee: charged || b.baseFee != nil ? baseFee : .zero,
            blockHashes: canonicalHashes(upTo: top))
        if let randao = b.prevRandao { environment.prevRandao = randao }
        var tx = ExecutionTransaction(type: charged ? 2 : 0, sender: from, to: to, nonce: nonce, gasLimit: gas, value: value,
                                      data: data, maxFeePerGas: maxFeePerGas ?? .zero,
                                      maxPriorityFeePerGas: maxPriorityFeePerGas ?? .zero,
                                      accessList: accessList, chainID: spec.chainID)
        tx.paysL1Fee = charged  // a call with a fee pays the L1 fee too (measured as a signed type-2 transaction)
        if !authorizationList.isEmpty {  // a set-code transaction: its authorizations apply first
            tx.type = 4
            tx.authorizationList = authorizationList
        }
        return (tx, environment, reader)
    }

    /// A state read that failed before execution: an engine error stays one.
    static func callStateError(_ error: EngineError) -> EngineError {
        switch error {
        case .missingTrieNode, .stateNotKept: error
        default: .trie(during: .simulatingCall, underlying: error)
        }
    }

    /// geth's words for the EVM's exceptional halts.
    public static let gethHaltMessages: [String: String] = [
        "outOfGas": "out of gas", "stackUnderflow": "stack underflow", "stackOverflow": "stack limit reached 1024 (1023)",
        "invalidJump": "invalid jump destination", "invalidOpcode": "invalid opcode", "staticStateChange": "write protection",
        "returnDataOutOfBounds": "return data out of bounds", "invalidCodePrefix": "invalid code: must not begin with 0xef",
        "codeSizeExceeded": "max code size exceeded", "createCollision": "contract address collision",
        "callDepthExceeded": "max call depth exceeded", "precompileFailure": "precompiled contract failed",
    ]
}

/// A call's view of the state: the caller's code is hidden so that a contract address may be
/// the sender (geth skips the EOA check for calls).
struct CallStateReader: Execution.StateReader {
    let inner: OverlayStateReader
    let caller: Address
    /// eth_call's state overrides, applied over `inner`.
    let overrides: [Address: AccountOverride]
    /// The overrides' code, hashed once: the hash per overridden address, the code per hash.
    private let overrideCodeHashes: [Address: Hash32]
    private let overrideCode: [Hash32: [UInt8]]

    init(inner: OverlayStateReader, caller: Address, overrides: [Address: AccountOverride] = [:]) {
        self.inner = inner; self.caller = caller; self.overrides = overrides
        var hashes: [Address: Hash32] = [:], code: [Hash32: [UInt8]] = [:]
        for (address, o) in overrides {
            guard let c = o.code else { continue }
            let hash = c.isEmpty ? Hash32.emptyCodeHash : Keccak.hash256(c)
            hashes[address] = hash
            code[hash] = c
        }
        overrideCodeHashes = hashes
        overrideCode = code
    }

    func account(_ address: Address) throws -> AccountInfo? {
        var info = try inner.account(address)
        if let o = overrides[address] {
            var a = info ?? AccountInfo()
            if let balance = o.balance { a.balance = balance }
            if let nonce = o.nonce { a.nonce = nonce }
            if let hash = overrideCodeHashes[address] { a.codeHash = hash }
            info = a.isEmpty && o.state == nil && o.stateDiff.isEmpty ? nil : a
        }
        guard var result = info else { return nil }
        if address == caller { result.codeHash = .emptyCodeHash }
        return result
    }

    func storage(_ address: Address, slot: U256) throws -> U256 {
        if let o = overrides[address] {
            if let full = o.state { return full[slot] ?? .zero }
            if let word = o.stateDiff[slot] { return word }
        }
        return try inner.storage(address, slot: slot)
    }

    func hasStorage(_ address: Address) throws -> Bool {
        if let o = overrides[address] {
            if let full = o.state { return full.values.contains { !$0.isZero } }
            if o.stateDiff.values.contains(where: { !$0.isZero }) { return true }
        }
        return try inner.hasStorage(address)
    }

    func code(hash: Hash32) throws -> [UInt8] {
        if let code = overrideCode[hash] { return code }
        return try inner.code(hash: hash)
    }
}
