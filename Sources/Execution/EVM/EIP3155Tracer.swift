import Primitives

/// EIP-3155 lines ({"pc":…,"op":…,"gas":"0x…",…}) handed to `emit`.
struct EIP3155Tracer: EVMTracer {
    static var isEnabled: Bool { true }
    var emit: (String) -> Void

    mutating func step(pc: Int, op: UInt8, gas: Int, gasCost: Int, memory: EVMMemory,
                       stack: UnsafeMutablePointer<U256>, stackCount: Int, depth: Int, refund: Int) {
        var items: [String] = []
        for i in 0..<stackCount { items.append("\"\(stack[i].quantity)\"") }
        emit("{\"pc\":\(pc),\"op\":\(op),\"gas\":\"0x\(String(gas, radix: 16))\",\"gasCost\":\"0x\(String(gasCost, radix: 16))\",\"memSize\":\(memory.count),\"stack\":[\(items.joined(separator: ","))],\"depth\":\(depth + 1),\"refund\":\(refund),\"opName\":\"\(Opcode.names[Int(op)])\"}")
    }
}
