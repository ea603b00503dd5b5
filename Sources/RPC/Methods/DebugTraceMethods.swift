import JSON
import Primitives

/// geth's tracer options (`TraceConfig`): which tracer, its `tracerConfig`, the struct
/// logger's switches and `timeout`.
public struct RPCTraceOptions: Sendable, Equatable {
    public enum Tracer: Sendable, Equatable {
        /// The default struct logger.
        case structLogs(enableMemory: Bool, disableStack: Bool, disableStorage: Bool, limit: Int)
        case callTracer(onlyTopCall: Bool, withLog: Bool)
        case prestateTracer(diffMode: Bool)
    }
    public var tracer: Tracer
    /// geth's default: 5 s.
    public var timeout: Duration

    public init(tracer: Tracer = .structLogs(enableMemory: false, disableStack: false, disableStorage: false, limit: 0),
                timeout: Duration = .seconds(5)) {
        self.tracer = tracer
        self.timeout = timeout
    }

    /// Parses geth's TraceConfig object (absent: the struct logger with defaults).
    init(_ argument: RPCParams.Argument?) throws(JSONRPCError) {
        self.init()
        guard let argument, !argument.value.isNull else { return }
        let object = try argument.object()
        let known: Set<String> = ["tracer", "tracerConfig", "timeout", "reexec", "enableMemory", "disableStack", "disableStorage",
                                  "enableReturnData", "limit", "debug", "stateOverrides", "blockOverrides"]
        for key in object.keys where !known.contains(key) {
            throw argument.invalid("unknown field \"\(key)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        func flag(_ key: String, in o: JSONObject, _ arg: RPCParams.Argument) throws(JSONRPCError) -> Bool {
            guard let v = o[key], !v.isNull else { return false }
            return try arg.member(key, v).bool()
        }
        if let text = object["timeout"], !text.isNull {
            guard case .string(let s) = text, let d = Self.goDuration(s), d > .zero else {
                throw argument.invalid("timeout: expected a duration such as \"10s\" or \"500ms\"")
            }
            timeout = d
        }
        var config: JSONObject = [:]
        if let c = object["tracerConfig"], !c.isNull {
            guard case .object(let o) = c else { throw argument.invalid("tracerConfig: expected an object, got \(c.typeName)") }
            config = o
        }
        let configArgument = RPCParams.Argument(index: argument.index, value: .object(config))
        switch object["tracer"] {
        case nil, .null?, .string("")?:
            var limit = 0
            if let l = object["limit"], !l.isNull { limit = Int(try argument.member("limit", l).flexibleUInt64()) }
            tracer = .structLogs(enableMemory: try flag("enableMemory", in: object, argument),
                                 disableStack: try flag("disableStack", in: object, argument),
                                 disableStorage: try flag("disableStorage", in: object, argument), limit: limit)
        case .string("callTracer")?:
            tracer = .callTracer(onlyTopCall: try flag("onlyTopCall", in: config, configArgument),
                                 withLog: try flag("withLog", in: config, configArgument))
        case .string("prestateTracer")?:
            tracer = .prestateTracer(diffMode: try flag("diffMode", in: config, configArgument))
        case .string(let name)?:
            throw JSONRPCError.server("tracer not found: \"\(name)\" (this node has the default struct logger, callTracer and prestateTracer; JavaScript tracers are not supported)")
        case let other?:
            throw argument.invalid("tracer: expected a string, got \(other.typeName)")
        }
    }

    /// Go's time.ParseDuration for what clients send: one or more `<number><unit>` with units
    /// ns, us, µs, ms, s, m, h.
    static func goDuration(_ text: String) -> Duration? {
        var rest = Substring(text)
        var total = Duration.zero
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unit.count)
            let seconds: Double
            switch unit {
            case "ns": seconds = 1e-9
            case "us", "µs": seconds = 1e-6
            case "ms": seconds = 1e-3
            case "s": seconds = 1
            case "m": seconds = 60
            case "h": seconds = 3600
            default: return nil
            }
            total += .nanoseconds(Int64(value * seconds * 1e9))
        }
        return total
    }
}

/// What the debug_trace* methods need: re-execution with a tracer. Each answer is the
/// tracer's JSON (geth's shapes); RollupNode implements it over the engine.
public protocol RPCTraceBackend: Sendable {
    /// The trace of a mined transaction; nil when the hash is not on the canonical chain.
    func traceTransaction(_ hash: Hash32, options: RPCTraceOptions) async throws -> JSONValue?
    /// The traces of every transaction of a stored block, in block order.
    func traceBlock(hash: Hash32, options: RPCTraceOptions) async throws -> [JSONValue]
    /// The trace of a call on a block's state (as eth_call runs it).
    func traceCall(_ call: RPCCall, options: RPCTraceOptions) async throws -> JSONValue
}

/// debug_traceTransaction [hash, options?], debug_traceCall [call, block?, options?],
/// debug_traceBlockByNumber [block, options?], debug_traceBlockByHash [hash, options?]
/// (namespace `debug`). Block traces answer geth's `[{txHash, result}]`.
struct DebugTraceMethods: Sendable {
    let chain: ChainMethods
    let backend: any RPCTraceBackend

    func traceTransaction(_ params: RPCParams) async throws -> JSONValue {
        let hash = try params.hash(at: 0)
        let options = try RPCTraceOptions(params.optional(1))
        guard let trace = try await backend.traceTransaction(hash, options: options) else {
            throw JSONRPCError.server("transaction \(hash.hex) not found")
        }
        return trace
    }

    /// geth's TraceCallConfig: the tracer options plus `stateOverrides` and `blockOverrides`.
    func traceCall(_ params: RPCParams) async throws -> JSONValue {
        let options = try RPCTraceOptions(params.optional(2))
        var call = try await chain.prepareCall(params, overridesAt: nil)
        if let config = params.optional(2), case .object(let o) = config.value {
            if let state = o["stateOverrides"] { try call.overrides.parseState(RPCParams.Argument(index: 2, value: state)) }
            if let block = o["blockOverrides"] { try call.overrides.parseBlock(RPCParams.Argument(index: 2, value: block)) }
        }
        return try await backend.traceCall(call, options: options)
    }

    func traceBlockByNumber(_ params: RPCParams) async throws -> JSONValue {
        let options = try RPCTraceOptions(params.optional(1))
        let tag = try params.required(0).blockTag()
        let number = try await chain.number(of: tag)
        guard let block = try await chain.backend.block(number: number) else { throw JSONRPCError.server("block #\(number) not found") }
        return try await traceBlock(block, options: options)
    }

    func traceBlockByHash(_ params: RPCParams) async throws -> JSONValue {
        let options = try RPCTraceOptions(params.optional(1))
        let hash = try params.hash(at: 0)
        guard let block = try await chain.backend.block(hash: hash) else { throw JSONRPCError.server("block \(hash.hex) not found") }
        return try await traceBlock(block, options: options)
    }

    private func traceBlock(_ block: RPCBlock, options: RPCTraceOptions) async throws -> JSONValue {
        guard block.number > 0 else { throw JSONRPCError.server("genesis is not traceable") }
        let traces = try await backend.traceBlock(hash: block.hash, options: options)
        return .array(zip(block.transactions, traces).map { tx, trace in .object(["txHash": ChainJSON.hash(tx.hash), "result": trace]) })
    }
}

extension RPCMethodTable {
    /// Registers debug_traceTransaction, debug_traceCall, debug_traceBlockByNumber and
    /// debug_traceBlockByHash.
    public mutating func registerDebugTraceMethods(backend: any RPCTraceBackend, chain: any RPCChainBackend,
                                                   configuration: ChainMethodsConfiguration = ChainMethodsConfiguration()) {
        let m = DebugTraceMethods(chain: ChainMethods(backend: chain, configuration: configuration), backend: backend)
        register("debug_traceTransaction", parameters: 1...2, m.traceTransaction)
        register("debug_traceCall", parameters: 1...3, m.traceCall)
        register("debug_traceBlockByNumber", parameters: 1...2, m.traceBlockByNumber)
        register("debug_traceBlockByHash", parameters: 1...2, m.traceBlockByHash)
    }
}
