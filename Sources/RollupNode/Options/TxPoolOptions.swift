import ArgumentParser
import Primitives

/// The transaction pool's admission policy (geth's `--txpool.*` names).
struct TxPoolOptions: ParsableArguments {
    @Option(name: .customLong("txpool.pricelimit"),
            help: "Lowest max priority fee per gas (gas price for legacy transactions) accepted, in wei.")
    var priceLimit: WeiArgument = WeiArgument(value: .one)

    @Option(name: .customLong("txpool.lifetime"),
            help: "How long a sender whose transactions cannot execute (nonce gap, uncovered funds, fee cap below the base fee) keeps them in the pool without a new one, e.g. 3h, 90m, 600s.")
    var lifetime: SecondsArgument = SecondsArgument(seconds: 3 * 3_600)
}

/// A whole number of wei on the command line, parsed once.
struct WeiArgument: ExpressibleByArgument, Sendable {
    let value: U256
    init(value: U256) { self.value = value }
    init?(argument: String) {
        guard let v = U256(decimal: argument) else { return nil }
        value = v
    }
    var defaultValueDescription: String { value.decimal }
}

/// A positive duration in whole seconds: `3h`, `90m`, `600s` or a plain number of seconds.
struct SecondsArgument: ExpressibleByArgument, Sendable {
    let seconds: UInt64
    init(seconds: UInt64) { self.seconds = seconds }
    init?(argument: String) {
        let units: [Character: UInt64] = ["h": 3_600, "m": 60, "s": 1]
        var digits = Substring(argument)
        var unit: UInt64 = 1
        if let last = argument.last, let u = units[last] { unit = u; digits = digits.dropLast() }
        guard let n = UInt64(digits), n > 0 else { return nil }
        let (total, overflow) = n.multipliedReportingOverflow(by: unit)
        if overflow { return nil }
        seconds = total
    }
    var defaultValueDescription: String { seconds % 3_600 == 0 ? "\(seconds / 3_600)h" : "\(seconds)s" }
}
