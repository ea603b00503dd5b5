import Primitives

/// One transaction's EVM: the rules, the block and transaction context, the journaled state,
/// and the frames it runs. Generic over the tracer so that the untraced loop has no tracing.
final class EVM<Tracer: EVMTracer> {
    let rules: EVMRules
    let block: BlockEnvironment
    let context: TransactionContext
    let state: JournaledState
    var tracer: Tracer
    let codeCache: CodeCache
    let opcodeTable: UnsafeMutablePointer<OpcodeInfo>
    private var stacks: [UnsafeMutablePointer<U256>] = []

    static var stackLimit: Int { 1_024 }

    init(rules: EVMRules, block: BlockEnvironment, context: TransactionContext, state: JournaledState,
         tracer: Tracer, codeCache: CodeCache) {
        self.rules = rules; self.block = block; self.context = context; self.state = state
        self.tracer = tracer; self.codeCache = codeCache
        opcodeTable = .allocate(capacity: 256)
        for op in 0..<256 {
            let shape = Opcode.stackShape[op]
            let growth = Int(shape.pushes) - Int(shape.pops)
            opcodeTable[op] = OpcodeInfo(gas: Int(rules.staticGas[op]), pops: Int(shape.pops),
                                         maxStackBefore: Self.stackLimit - max(growth, 0), valid: rules.validOpcodes[op])
        }
        if rules.selfDestruct == .disabled { opcodeTable[0xff].valid = false }
    }

    deinit {
        opcodeTable.deallocate()
        for s in stacks { s.deallocate() }
    }

    /// The stack buffer of the frame at `depth` (allocated once per depth, reused).
    func stackBuffer(depth: Int) -> UnsafeMutablePointer<U256> {
        while stacks.count <= depth { stacks.append(.allocate(capacity: Self.stackLimit)) }
        return stacks[depth]
    }

    // MARK: frames

    /// Runs a message call (CALL, CALLCODE, DELEGATECALL, STATICCALL or the transaction's call).
    func call(_ m: Message) -> FrameResult {
        guard Tracer.isEnabled else { return callFrame(m) }
        tracer.enter(m, input: m.input)
        let result = callFrame(m)
        tracer.exit(result, output: result.output)
        return result
    }

    /// Runs initcode for a new contract at `m.target` and deploys what it returns.
    func create(_ m: Message, initCode: [UInt8]) -> FrameResult {
        guard Tracer.isEnabled else { return createFrame(m, initCode: initCode) }
        tracer.enter(m, input: initCode)
        let result = createFrame(m, initCode: initCode)
        tracer.exit(result, output: result.isSuccess ? state.code(m.target) : result.output)
        return result
    }

    private func callFrame(_ m: Message) -> FrameResult {
        let checkpoint = state.checkpoint()
        let precompile = m.disablesPrecompiles ? nil : rules.precompiles[m.codeAddress]
        if m.transfersValue {
            if m.value.isZero && precompile == nil && !rules.isPrecompile(m.target) && !state.exists(m.target) {
                // Calling an account that does not exist with no value: nothing happens (EIP-161).
                return FrameResult(status: .success, gasLeft: m.gas, output: [])
            }
            // A zero-value call only touches its target (EIP-161: an empty target is deleted at
            // the end); the caller, running code or sending, is never empty.
            if m.value.isZero { state.touch(m.target) } else { state.transfer(from: m.caller, to: m.target, value: m.value) }
        }
        if let precompile {
            switch precompile(m.input, UInt64(m.gas)) {
            case .success(let used, let output):
                return FrameResult(status: .success, gasLeft: m.gas - Int(used), output: output)
            case .failure:
                state.revert(to: checkpoint)
                return FrameResult(status: .halt(.precompileFailure), gasLeft: 0, output: [])
            }
        }
        let hash = state.codeHash(m.codeAddress)
        if hash == .emptyCodeHash { return FrameResult(status: .success, gasLeft: m.gas, output: []) }
        let code = codeCache.analysed(hash: hash) { state.code(m.codeAddress) }
        let result = run(code: code, message: m)
        if Tracer.isEnabled { tracer.codeEnded(gasLeft: result.gasLeft) }
        if !result.isSuccess { state.revert(to: checkpoint) }
        return result
    }

    private func createFrame(_ m: Message, initCode: [UInt8]) -> FrameResult {
        let checkpoint = state.checkpoint()
        state.createContract(m.target)
        state.transfer(from: m.caller, to: m.target, value: m.value)
        var result = run(code: AnalysedCode(initCode), message: m)
        if Tracer.isEnabled { tracer.codeEnded(gasLeft: result.gasLeft) }
        guard result.isSuccess else {
            state.revert(to: checkpoint)
            return result
        }
        let code = result.output
        var failure: HaltReason?
        if rules.rejectsEFCodePrefix && code.first == 0xef {
            failure = .invalidCodePrefix
        } else if code.count > rules.maxCodeSize {
            failure = .codeSizeExceeded
        } else if result.gasLeft < code.count * rules.codeDepositGasPerByte {
            failure = .outOfGas
        }
        if let failure {
            state.revert(to: checkpoint)
            return FrameResult(status: .halt(failure), gasLeft: 0, output: [])
        }
        result.gasLeft -= code.count * rules.codeDepositGasPerByte
        state.setCode(m.target, code)
        result.output = []
        return result
    }

    // MARK: addresses

    static func createAddress(sender: Address, nonce: UInt64) -> Address {
        var w = RLPWriter()
        w.writeList { l in l.write(sender); l.write(nonce) }
        return Address(lastBytesOf: Keccak.hash256(w.bytes))
    }

    static func create2Address(sender: Address, salt: U256, initCodeHash: Hash32) -> Address {
        var bytes: [UInt8] = [0xff]
        bytes.reserveCapacity(85)
        bytes += sender.bytes
        bytes += salt.bigEndianBytes
        bytes += initCodeHash.bytes
        return Address(lastBytesOf: Keccak.hash256(bytes))
    }
}
