import Primitives

/// geth's struct logger over the interpreter's hooks.
///
/// `gasCost` follows execution-specs' EIP-3155 tracer (and geth): what the instruction was
/// charged, dynamic costs included; for CALLs with the forwarded gas, for CREATEs without it.
/// It is known when the next instruction of the same frame starts (the difference in gas),
/// when a CALL/CREATE reports its charge, or when the frame's code stops. For an instruction
/// that halts, the static cost is reported.
final class StructLogger: EVMTracer {
    static var isEnabled: Bool { true }

    let config: StructLogConfig
    let deadline: ContinuousClock.Instant?
    private(set) var logs: [StructLog] = []
    private(set) var timedOut = false
    private(set) var truncated = false
    /// Per open frame: the contract whose storage SLOAD/SSTORE act on, the index of its last
    /// logged instruction and whether that one's cost is settled.
    private var frames: [(address: Address, last: Int?, settled: Bool)] = []
    /// Per contract: the slots seen so far (geth's per-address storage map).
    private var storage: [Address: [U256: U256]] = [:]
    private var steps = 0

    init(config: StructLogConfig, deadline: ContinuousClock.Instant?) {
        self.config = config
        self.deadline = deadline
    }

    private var recording: Bool { !timedOut && !truncated }

    func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memory: EVMMemory,
              stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int) {
        steps += 1
        if steps & 1023 == 0, let deadline, ContinuousClock.now >= deadline { timedOut = true }
        guard recording, !frames.isEmpty else { return }
        let f = frames.count - 1
        if let i = frames[f].last {
            if !frames[f].settled { logs[i].gasCost = logs[i].gas - gas }
            // SLOAD's value is on the stack now.
            if logs[i].op == 0x54, !config.disableStorage, stackCount > 0, let slot = pendingSlot {
                storage[frames[f].address, default: [:]][slot] = stack[stackCount - 1]
                logs[i].storage = storage[frames[f].address]
            }
        }
        pendingSlot = nil
        if config.limit > 0 && logs.count >= config.limit { truncated = true; return }
        var entry = StructLog(pc: pc, op: op, gas: gas, gasCost: gasCost, depth: depth + 1,
                              stack: config.disableStack ? nil : (0..<stackCount).map { stack[$0] },
                              memory: config.enableMemory ? Array(UnsafeBufferPointer(start: memory.pointer, count: memory.count)) : nil,
                              storage: nil, refund: refund, error: nil)
        if op == 0x54, stackCount >= 1 { pendingSlot = stack[stackCount - 1] }
        if op == 0x55, stackCount >= 2, !config.disableStorage {
            storage[frames[f].address, default: [:]][stack[stackCount - 1]] = stack[stackCount - 2]
            entry.storage = storage[frames[f].address]
        }
        logs.append(entry)
        frames[f].last = logs.count - 1
        frames[f].settled = false
    }

    /// The slot of the SLOAD logged last, until the next instruction shows its value.
    private var pendingSlot: U256?

    func opCharged(gasLeft: Int) {
        guard recording, let f = frames.indices.last, let i = frames[f].last else { return }
        logs[i].gasCost = logs[i].gas - gasLeft
        frames[f].settled = true
    }

    func enter(_ m: Message, input: [UInt8]) {
        frames.append((m.target, nil, false))
    }

    func codeEnded(gasLeft: Int) {
        guard recording, let f = frames.indices.last, let i = frames[f].last, !frames[f].settled else { return }
        logs[i].gasCost = gasLeft == 0 && logs[i].gas > 0 ? logs[i].gasCost : logs[i].gas - gasLeft
        frames[f].settled = true
    }

    func exit(_ result: FrameResult, output: [UInt8]) {
        guard let frame = frames.popLast() else { return }
        if case .halt(let reason) = result.status, recording, let i = frame.last { logs[i].error = reason }
    }
}
