/// When an L1 message may be included in an L2 block (`--sequencer.l1-inclusion-mode`).
///
/// - `finalized:N` (bare `finalized` means `finalized:0`): the message's L1 block is at or
///   below the L1 finalized block minus N.
/// - `depth:N`: the message's L1 block is at or below the L1 latest block minus N.
///
/// If N exceeds the current block number, nothing is eligible. Only `depth:` modes can include a
/// message that an L1 reorg later removes.
public enum L1InclusionMode: Sendable, Hashable, CustomStringConvertible {
    case finalized(UInt64)
    case depth(UInt64)

    /// `finalized:2`, the default.
    public static let `default` = L1InclusionMode.finalized(2)

    /// The accepted spellings, for error messages and `--help`.
    public static let acceptedForms = "finalized, finalized:N or depth:N (N a non-negative integer, case-insensitive)"

    /// Parses `finalized`, `finalized:N` or `depth:N`, case-insensitively (surrounding spaces are
    /// ignored). Anything else throws `.invalidInclusionMode` with a message naming the accepted
    /// forms, ready for the CLI to show after the flag's name.
    public init(parsing text: String) throws(L1WatcherError) {
        let trimmed = text.trimmingSpaces().lowercased()
        func invalid(_ why: String) -> L1WatcherError {
            L1WatcherError(code: .invalidInclusionMode,
                           message: "invalid L1 inclusion mode \"\(text)\": \(why); expected \(L1InclusionMode.acceptedForms)",
                           isTransient: false)
        }
        if trimmed == "finalized" { self = .finalized(0); return }
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw invalid(trimmed.isEmpty ? "it is empty" : "unknown mode")
        }
        let number = parts[1]
        guard !number.isEmpty else { throw invalid("N is missing after the colon") }
        guard number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw invalid("N must be a non-negative decimal integer")
        }
        guard let n = UInt64(number) else { throw invalid("N is too large") }
        switch parts[0] {
        case "finalized": self = .finalized(n)
        case "depth": self = .depth(n)
        default: throw invalid("unknown mode \"\(parts[0])\"")
        }
    }

    public var description: String {
        switch self {
        case .finalized(let n): "finalized:\(n)"
        case .depth(let n): "depth:\(n)"
        }
    }

    /// The highest eligible L1 block number given the L1 head and finalized block last seen, or
    /// nil when nothing is eligible (N exceeds the reference block, or the reference is unknown).
    public func eligibleThrough(latest: UInt64?, finalized: UInt64?) -> UInt64? {
        switch self {
        case .finalized(let n):
            guard let finalized, n <= finalized else { return nil }
            return finalized - n
        case .depth(let n):
            guard let latest, n <= latest else { return nil }
            return latest - n
        }
    }

    /// Whether a message in L1 block `l1Block` is eligible.
    public func isEligible(l1Block: UInt64, latest: UInt64?, finalized: UInt64?) -> Bool {
        guard let through = eligibleThrough(latest: latest, finalized: finalized) else { return false }
        return l1Block <= through
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
