import ArgumentParser
import L1Watcher
import Primitives

/// Parsers for `@Option(transform:)`: a flag's text is parsed once, with the command line, into
/// the type its component takes. ArgumentParser names the flag and the value in the message:
/// `The value '0x12' is invalid for '--sequencer.fee-recipient <…>': invalid address …`.
enum OptionValue {
    static func address(_ text: String) throws -> Address {
        do { return try Address(hex: text) } catch { throw ValidationError("\(error)") }
    }

    static func bool(_ text: String) throws -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ValidationError("expected true or false")
        }
    }

    static func inclusionMode(_ text: String) throws -> L1InclusionMode {
        do { return try L1InclusionMode(parsing: text) } catch {
            throw ValidationError("use finalized, finalized:N or depth:N (N a whole number of L1 blocks), e.g. finalized:2")
        }
    }

    /// The items of a comma-separated flag (URLs, namespaces, origins), trimmed, empty ones dropped.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The longest millisecond durations the flags accept (one hour): far beyond any sensible
    /// block time or poll interval, and far below where `Duration.milliseconds(Int64(_:))` traps.
    static let maxMilliseconds: UInt64 = 3_600_000
}
