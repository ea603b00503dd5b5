import Engine
import Execution
import JSON
import Primitives
import RPC

/// debug_trace* over the engine: re-execution with Execution's tracers, answered in geth's
/// JSON shapes (struct logger, callTracer, prestateTracer).
struct EngineTraceBackend: RPCTraceBackend {
    let chain: Chain

    func traceTransaction(_ hash: Hash32, options: RPCTraceOptions) async throws -> JSONValue? {
        guard let location = try chain.transactionLocation(hash), let block = try chain.block(hash: location.blockHash) else { return nil }
        let traces = try run(options) { (request, deadline) throws(EngineError) in
            try chain.trace(block: block, indices: [location.index], request: request, deadline: deadline)
        }
        guard let trace = traces.first else { return nil }
        return try Self.json(trace.trace)
    }

    func traceBlock(hash: Hash32, options: RPCTraceOptions) async throws -> [JSONValue] {
        guard let block = try chain.block(hash: hash) else { throw JSONRPCError.server("block \(hash.hex) not found") }
        let traces = try run(options) { (request, deadline) throws(EngineError) in
            try chain.trace(block: block, indices: nil, request: request, deadline: deadline)
        }
        var out: [JSONValue] = []
        for t in traces { out.append(try Self.json(t.trace)) }
        return out
    }

    func traceCall(_ call: RPCCall, options: RPCTraceOptions) async throws -> JSONValue {
        let trace = try run(options) { (request, deadline) throws(EngineError) in
            try chain.traceCall(from: call.from, to: call.to, gas: call.gas, maxFeePerGas: call.maxFeePerGas,
                                maxPriorityFeePerGas: call.maxPriorityFeePerGas, value: call.value, data: call.data,
                                accessList: call.accessList, pending: call.pending, block: call.block.map { ($0.header, $0.hash) },
                                overrides: EngineRPCBackend.engineOverrides(call.overrides), authorizationList: call.authorizationList,
                                request: request, deadline: deadline)
        }
        return try Self.json(trace)
    }

    /// Runs a trace with the request and deadline the options give; engine verdicts a client
    /// can act on become -32000 errors in their words.
    private func run<T>(_ options: RPCTraceOptions, _ body: (TraceRequest, ContinuousClock.Instant) throws(EngineError) -> T) throws -> T {
        let request: TraceRequest = switch options.tracer {
        case .structLogs(let memory, let noStack, let noStorage, let limit):
            .structLogs(StructLogConfig(enableMemory: memory, disableStack: noStack, disableStorage: noStorage, limit: limit))
        case .callTracer(let onlyTop, let withLog): .callTracer(onlyTopCall: onlyTop, withLog: withLog)
        case .prestateTracer(let diff): .prestate(diffMode: diff)
        }
        let deadline = ContinuousClock.now.advanced(by: options.timeout)
        return try EngineRPCBackend.clientVerdicts { () throws(EngineError) in try body(request, deadline) }
    }

    static func json(_ traced: TracedExecution) throws -> JSONValue {
        if traced.timedOut { throw JSONRPCError.server("execution timeout") }
        switch traced.output {
        case .structLogs(let t): return structLogs(t)
        case .call(let frame): return callFrame(frame)
        case .prestate(let p):
            guard let post = p.post else { return accounts(p.pre) }
            return .object(["pre": accounts(p.pre), "post": accounts(post)])
        }
    }

    static func hex(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes)) }
    static func quantity(_ v: U256) -> JSONValue { .string(v.quantity) }
    static func quantity(_ v: UInt64) -> JSONValue { .string(Hex.encodeQuantity(v)) }
    static func word(_ v: U256) -> String { String(Hex.encode(v.bigEndianBytes).dropFirst(2)) }

    static func structLogs(_ t: StructLogTrace) -> JSONValue {
        let logs: [JSONValue] = t.logs.map { log in
            var o: JSONObject = ["pc": .number(JSONNumber(log.pc)), "op": .string(log.opName), "gas": .number(JSONNumber(log.gas)),
                                 "gasCost": .number(JSONNumber(log.gasCost)), "depth": .number(JSONNumber(log.depth))]
            if let stack = log.stack { o["stack"] = .array(stack.map { .string($0.quantity) }) }
            if let memory = log.memory {
                o["memory"] = .array(stride(from: 0, to: memory.count, by: 32).map {
                    .string(String(Hex.encode(Array(memory[$0..<min($0 + 32, memory.count)])).dropFirst(2)))
                })
            }
            if let storage = log.storage {
                var s: JSONObject = [:]
                for (slot, value) in storage { s[word(slot)] = .string(word(value)) }
                o["storage"] = .object(s)
            }
            if log.refund != 0 { o["refund"] = .number(JSONNumber(log.refund)) }
            if let error = log.error { o["error"] = .string(haltMessage(error)) }
            return .object(o)
        }
        return .object(["gas": .number(JSONNumber(t.gas)), "failed": .bool(t.failed), "returnValue": hex(t.returnValue),
                        "structLogs": .array(logs)])
    }

    static func callFrame(_ f: CallFrame) -> JSONValue {
        var o: JSONObject = ["type": .string(f.kind.rawValue), "from": .string(f.from.hex), "to": .string(f.to.hex),
                             "gas": quantity(f.gas), "gasUsed": quantity(f.gasUsed), "input": hex(f.input)]
        if let value = f.value { o["value"] = quantity(value) }
        if !f.output.isEmpty { o["output"] = hex(f.output) }
        switch f.failure {
        case nil: break
        case .reverted?:
            o["error"] = .string("execution reverted")
            if let reason = RevertData.reason(f.output) { o["revertReason"] = .string(reason) }
        case .halted(let reason)?:
            o["error"] = .string(haltMessage(reason))
        }
        if !f.logs.isEmpty {
            o["logs"] = .array(f.logs.map { entry in
                .object(["address": .string(entry.log.address.hex), "topics": .array(entry.log.topics.map { .string($0.hex) }),
                         "data": hex(entry.log.data), "position": quantity(UInt64(entry.position))])
            })
        }
        if !f.calls.isEmpty { o["calls"] = .array(f.calls.map(callFrame)) }
        return .object(o)
    }

    static func accounts(_ accounts: [Address: PrestateAccount]) -> JSONValue {
        var out: JSONObject = [:]
        for (address, a) in accounts {
            var o: JSONObject = [:]
            if let balance = a.balance { o["balance"] = quantity(balance) }
            if let nonce = a.nonce { o["nonce"] = .number(JSONNumber(nonce)) }
            if let code = a.code { o["code"] = hex(code) }
            if !a.storage.isEmpty {
                var s: JSONObject = [:]
                for (slot, value) in a.storage { s["0x" + word(slot)] = .string("0x" + word(value)) }
                o["storage"] = .object(s)
            }
            out[address.hex] = .object(o)
        }
        return .object(out)
    }

    /// geth's words for the EVM's exceptional halts.
    static func haltMessage(_ reason: HaltReason) -> String {
        Chain.gethHaltMessages[reason.rawValue] ?? reason.rawValue
    }
}
