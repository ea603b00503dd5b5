import Primitives

/// The tracer of the fast path: does nothing, compiled out.
struct NoTracer: EVMTracer {
    static var isEnabled: Bool { false }
    @inline(__always) mutating func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memory: EVMMemory,
                                         stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int) {}
}
