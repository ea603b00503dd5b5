import Primitives

/// Observes each executed instruction. The interpreter is generic over the tracer, so with
/// `NoTracer` every tracing call is compiled out.
protocol EVMTracer {
    static var isEnabled: Bool { get }
    mutating func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memorySize: Int,
                       stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int)
}
