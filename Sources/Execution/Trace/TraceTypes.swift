import Primitives

/// How to trace a transaction: geth's `debug_trace*` tracers and their options.
public enum TraceRequest: Sendable, Equatable {
    /// geth's default struct logger: one entry per executed instruction.
    case structLogs(StructLogConfig)
    /// geth's `callTracer`: the tree of call frames.
    case callTracer(onlyTopCall: Bool, withLog: Bool)
    /// geth's `prestateTracer`: the accounts and slots the transaction read, as they were
    /// before it; with `diffMode`, what it changed, before and after.
    case prestate(diffMode: Bool)
}

/// The struct logger's options (geth's names: enableMemory, disableStack, disableStorage,
/// limit).
public struct StructLogConfig: Sendable, Equatable {
    public var enableMemory = false
    public var disableStack = false
    public var disableStorage = false
    /// At most this many entries (0: no limit).
    public var limit = 0
    public init(enableMemory: Bool = false, disableStack: Bool = false, disableStorage: Bool = false, limit: Int = 0) {
        self.enableMemory = enableMemory; self.disableStack = disableStack; self.disableStorage = disableStorage; self.limit = limit
    }
}

/// One executed instruction, as geth's struct logger reports it.
public struct StructLog: Sendable, Equatable {
    public var pc: Int
    public var op: UInt8
    /// Gas left before the instruction.
    public var gas: Int
    /// What the instruction was charged (static and dynamic; a CALL's forwarded gas too).
    public var gasCost: Int
    /// 1 for the transaction's own frame.
    public var depth: Int
    /// The stack before the instruction, bottom first (nil when disabled).
    public var stack: [U256]?
    /// Memory before the instruction (nil unless enabled).
    public var memory: [UInt8]?
    /// At SLOAD and SSTORE: the slots of the current contract seen so far in this transaction.
    public var storage: [U256: U256]?
    public var refund: Int
    /// The exceptional halt this instruction caused.
    public var error: HaltReason?

    /// The instruction's name (`PUSH1`, `SSTORE`, `opcode 0xef not defined`…).
    public var opName: String { Opcode.names[Int(op)] }
}

/// The struct logger's result.
public struct StructLogTrace: Sendable, Equatable {
    /// Gas used by the transaction (the receipt's).
    public var gas: UInt64
    public var failed: Bool
    public var returnValue: [UInt8]
    public var logs: [StructLog]
}

/// One call frame, as geth's callTracer reports it.
public struct CallFrame: Sendable, Equatable {
    public enum Kind: String, Sendable { case call = "CALL", callCode = "CALLCODE", delegateCall = "DELEGATECALL"
        case staticCall = "STATICCALL", create = "CREATE", create2 = "CREATE2" }
    public var kind: Kind
    public var from: Address
    /// The callee (the code's address for DELEGATECALL and CALLCODE; the new contract for a
    /// creation, also a failed one).
    public var to: Address
    /// nil for STATICCALL and DELEGATECALL.
    public var value: U256?
    public var gas: UInt64
    public var gasUsed: UInt64
    public var input: [UInt8]
    /// Return or revert data (a creation's deployed code).
    public var output: [UInt8]
    /// nil on success.
    public var failure: Failure?
    /// The logs it emitted, each with its position among this frame's calls (only with
    /// `withLog`; none in a failed frame, as geth).
    public var logs: [(log: Log, position: Int)] = []
    public var calls: [CallFrame] = []

    public enum Failure: Sendable, Equatable {
        case reverted
        case halted(HaltReason)
    }

    public static func == (a: CallFrame, b: CallFrame) -> Bool {
        a.kind == b.kind && a.from == b.from && a.to == b.to && a.value == b.value && a.gas == b.gas && a.gasUsed == b.gasUsed
            && a.input == b.input && a.output == b.output && a.failure == b.failure && a.calls == b.calls
            && a.logs.elementsEqual(b.logs) { $0.log == $1.log && $0.position == $1.position }
    }
}

/// An account in the prestate tracer's answer: fields nil where the answer leaves them out.
public struct PrestateAccount: Sendable, Equatable {
    public var balance: U256?
    public var nonce: UInt64?
    public var code: [UInt8]?
    public var storage: [U256: U256]
    public init(balance: U256? = nil, nonce: UInt64? = nil, code: [UInt8]? = nil, storage: [U256: U256] = [:]) {
        self.balance = balance; self.nonce = nonce; self.code = code; self.storage = storage
    }
}

/// The prestate tracer's answer: `post` only in diff mode.
public struct PrestateTrace: Sendable, Equatable {
    public var pre: [Address: PrestateAccount]
    public var post: [Address: PrestateAccount]?
}

/// What a traced transaction gave.
public enum TraceOutput: Sendable, Equatable {
    case structLogs(StructLogTrace)
    case call(CallFrame)
    case prestate(PrestateTrace)
}
