import Primitives

/// A traced execution: the transaction's outcome (its changes are for the caller to apply or
/// drop), the tracer's answer, and whether the tracer's deadline passed (the struct logger
/// stops recording then; execution itself always finishes, bounded by the gas limit).
public struct TracedExecution: Sendable {
    public var result: TransactionResult
    public var output: TraceOutput
    public var timedOut: Bool
}

extension TransactionProcessor {
    /// Executes `tx` as `execute` does (same validation, same outcome), traced as `request` asks.
    public func trace(_ tx: ExecutionTransaction, block: BlockEnvironment, state reader: any StateReader,
                      request: TraceRequest, deadline: ContinuousClock.Instant? = nil) throws(ExecutionError) -> TracedExecution {
        try trace(request: request, gasLimit: tx.gasLimit, deadline: deadline, reader: reader) { (reader, tracer: any EVMTracer) throws(ExecutionError) in
            try execute(tx, block: block, state: reader, tracer: tracer)
        }
    }

    /// `executeL1Message`, traced.
    public func traceL1Message(_ message: L1MessageTransaction, valueSource: L1MessageValueSource, block: BlockEnvironment,
                               state reader: any StateReader, request: TraceRequest,
                               deadline: ContinuousClock.Instant? = nil) throws(ExecutionError) -> TracedExecution {
        try trace(request: request, gasLimit: message.gasLimit, deadline: deadline, reader: reader) { (reader, tracer: any EVMTracer) throws(ExecutionError) in
            try executeL1Message(message, valueSource: valueSource, block: block, state: reader, tracer: tracer)
        }
    }

    /// Runs `execute` with the tracer `request` asks for (passing the `any EVMTracer` opens it:
    /// the interpreter runs generically over the tracer's type) and shapes its answer.
    private func trace(request: TraceRequest, gasLimit: UInt64, deadline: ContinuousClock.Instant?, reader: any StateReader,
                       execute: (any StateReader, any EVMTracer) throws(ExecutionError) -> TransactionResult) throws(ExecutionError) -> TracedExecution {
        switch request {
        case .structLogs(let config):
            let logger = StructLogger(config: config, deadline: deadline)
            let result = try execute(reader, logger)
            return TracedExecution(result: result, output: .structLogs(StructLogTrace(gas: result.gasUsed, failed: !result.succeeded,
                                                                                     returnValue: result.output, logs: logger.logs)),
                                   timedOut: logger.timedOut)
        case .callTracer(let onlyTopCall, let withLog):
            let tracer = CallTracer(onlyTopCall: onlyTopCall, withLog: withLog)
            let result = try execute(reader, tracer)
            guard var root = tracer.root else {
                throw .stateReadFailed("the transaction ran no frame to trace")
            }
            // geth: the top frame's gas is the transaction's gas limit, its gasUsed the receipt's.
            root.gas = gasLimit
            root.gasUsed = result.gasUsed
            return TracedExecution(result: result, output: .call(root), timedOut: false)
        case .prestate(let diffMode):
            let recorder = RecordingStateReader(reader)
            let result = try execute(recorder, NoTracer())
            let pre: [Address: PrestateAccount]
            do { pre = try recorder.prestate() } catch { throw .stateReadFailed("\(error)") }
            guard diffMode else { return TracedExecution(result: result, output: .prestate(PrestateTrace(pre: pre, post: nil)), timedOut: false) }
            var diffPre: [Address: PrestateAccount] = [:]
            var post: [Address: PrestateAccount] = [:]
            for (address, change) in result.changes.accounts {
                let before = pre[address] ?? PrestateAccount(balance: .zero)
                switch change {
                case .deleted:
                    diffPre[address] = before
                case .updated(let updated):
                    var after = PrestateAccount()
                    if updated.info.balance != (before.balance ?? .zero) { after.balance = updated.info.balance }
                    if updated.info.nonce != (before.nonce ?? 0) { after.nonce = updated.info.nonce }
                    if let code = updated.code, code != (before.code ?? []) { after.code = code }
                    for (slot, value) in updated.storage where value != (before.storage[slot] ?? .zero) && !value.isZero {
                        after.storage[slot] = value
                    }
                    let changedSlots = Set(updated.storage.filter { $0.value != (before.storage[$0.key] ?? .zero) }.keys)
                    guard after != PrestateAccount() || !changedSlots.isEmpty else { continue }
                    var trimmed = before
                    trimmed.storage = before.storage.filter { changedSlots.contains($0.key) && !$0.value.isZero }
                    diffPre[address] = trimmed
                    post[address] = after
                }
            }
            return TracedExecution(result: result, output: .prestate(PrestateTrace(pre: diffPre, post: post)), timedOut: false)
        }
    }
}
