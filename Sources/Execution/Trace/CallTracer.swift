import Primitives

/// geth's callTracer over the frame hooks: a tree of frames with their gas, input, output and
/// failure; logs per frame with `withLog` (dropped from failed frames and their children).
final class CallTracer: EVMTracer {
    static var isEnabled: Bool { true }

    let onlyTopCall: Bool
    let withLog: Bool
    /// Open frames, outermost first.
    private var stack: [CallFrame] = []
    private(set) var root: CallFrame?

    init(onlyTopCall: Bool, withLog: Bool) {
        self.onlyTopCall = onlyTopCall
        self.withLog = withLog
    }

    func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memory: EVMMemory,
              stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int) {}

    func enter(_ m: Message, input: [UInt8]) {
        let kind: CallFrame.Kind = switch m.kind {
        case .call: .call
        case .callCode: .callCode
        case .delegateCall: .delegateCall
        case .staticCall: .staticCall
        case .create: .create
        case .create2: .create2
        }
        let from = contexts.last ?? m.caller
        let to = (kind == .delegateCall || kind == .callCode) ? m.codeAddress : m.target
        let value: U256? = (kind == .staticCall || kind == .delegateCall) ? nil : m.value
        stack.append(CallFrame(kind: kind, from: from, to: to, value: value, gas: UInt64(m.gas), gasUsed: 0,
                               input: input, output: [], failure: nil))
        contexts.append(m.target)
    }

    /// Per open frame, the address its code acts for (what its children see as `from`).
    private var contexts: [Address] = []

    func exit(_ result: FrameResult, output: [UInt8]) {
        guard var frame = stack.popLast() else { return }
        contexts.removeLast()
        frame.gasUsed = frame.gas - UInt64(max(result.gasLeft, 0))
        frame.output = output
        switch result.status {
        case .success: break
        case .revert: frame.failure = .reverted
        case .halt(let reason): frame.failure = .halted(reason); frame.output = []
        }
        if frame.failure != nil { frame.logs = []; Self.dropLogs(&frame.calls) }
        if var parent = stack.popLast() {
            if !onlyTopCall { parent.calls.append(frame) }
            stack.append(parent)
        } else {
            root = frame
        }
    }

    private static func dropLogs(_ calls: inout [CallFrame]) {
        for i in calls.indices { calls[i].logs = []; dropLogs(&calls[i].calls) }
    }

    func log(_ log: Log) {
        guard withLog, var frame = stack.popLast() else { return }
        frame.logs.append((log, frame.calls.count))
        stack.append(frame)
    }
}
