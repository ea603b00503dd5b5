import Primitives

/// Code prepared for the interpreter: padded with 33 zero bytes (a PUSH32 at the end, or
/// running off the end, reads zeros and STOP without bounds checks) and with a bitmap of the
/// valid JUMPDEST positions. Built once per code hash (see `CodeCache`).
final class AnalysedCode: @unchecked Sendable {
    // Safety: immutable after init; the buffers are freed in deinit.
    let bytes: UnsafeMutablePointer<UInt8>
    let count: Int
    private let jumpdests: UnsafeMutablePointer<UInt64>

    init(_ code: [UInt8]) {
        count = code.count
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: code.count + 33)
        bytes.initialize(repeating: 0, count: code.count + 33)
        code.withUnsafeBufferPointer { if let b = $0.baseAddress { bytes.update(from: b, count: code.count) } }
        let words = (code.count + 63) / 64 + 1
        let jumpdests = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        jumpdests.initialize(repeating: 0, count: words)
        self.bytes = bytes
        self.jumpdests = jumpdests
        var pc = 0
        while pc < code.count {
            let op = bytes[pc]
            if op == 0x5b {
                jumpdests[pc >> 6] |= 1 << UInt64(pc & 63)
            } else if op >= 0x60 && op <= 0x7f {
                pc += Int(op - 0x5f)
            }
            pc += 1
        }
    }

    deinit {
        bytes.deallocate()
        jumpdests.deallocate()
    }

    /// Whether `pc` is a JUMPDEST instruction (not push data).
    @inline(__always) func isJumpDestination(_ pc: Int) -> Bool {
        pc < count && (jumpdests[pc >> 6] >> UInt64(pc & 63)) & 1 == 1
    }

    var code: [UInt8] { Array(UnsafeBufferPointer(start: bytes, count: count)) }
}
