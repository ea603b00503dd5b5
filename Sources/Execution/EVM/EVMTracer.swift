import Primitives

/// Observes each executed instruction, and with the frame hooks each call frame. The
/// interpreter is generic over the tracer, so with `NoTracer` every tracing call is compiled
/// out (each call site checks `isEnabled`).
protocol EVMTracer {
    static var isEnabled: Bool { get }
    /// Before the instruction at `pc` runs: `gas` is the frame's gas before it, `gasCost` its
    /// static cost, the stack as it is before the instruction (bottom first).
    mutating func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memory: EVMMemory,
                       stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int)
    /// A CALL-family or CREATE-family instruction has been charged everything it costs
    /// (execution-specs' single `charge_gas`: for CALLs the gas it forwards too, for CREATEs
    /// not); `gasLeft` is what its frame would have left after that charge.
    mutating func opCharged(gasLeft: Int)
    /// A frame starts: a call (the transaction's own at depth 0) or a creation, whose input
    /// is `input` (calldata or init code).
    mutating func enter(_ m: Message, input: [UInt8])
    /// A frame's code stopped with `gasLeft` (before a creation's code deposit).
    mutating func codeEnded(gasLeft: Int)
    /// The frame entered last ended: `output` is the return or revert data, or a creation's
    /// deployed code.
    mutating func exit(_ result: FrameResult, output: [UInt8])
    /// LOG0-LOG4 in the current frame.
    mutating func log(_ log: Log)
}

extension EVMTracer {
    mutating func opCharged(gasLeft: Int) {}
    mutating func enter(_ m: Message, input: [UInt8]) {}
    mutating func codeEnded(gasLeft: Int) {}
    mutating func exit(_ result: FrameResult, output: [UInt8]) {}
    mutating func log(_ log: Log) {}
}
