import Primitives

/// Analysed code by code hash, shared by all frames of the transactions that use it.
final class CodeCache {
    private var entries: [Hash32: AnalysedCode] = [:]
    private let limit: Int

    init(limit: Int = 4_096) { self.limit = limit }

    func analysed(hash: Hash32, code: () -> [UInt8]) -> AnalysedCode {
        if let a = entries[hash] { return a }
        let a = AnalysedCode(code())
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[hash] = a
        return a
    }
}
