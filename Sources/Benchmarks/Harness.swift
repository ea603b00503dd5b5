import Foundation

/// A tiny benchmark harness: runs a body repeatedly for about `seconds`, after a warm-up, and
/// reports operations per second. Results go through `blackHole` so the optimizer keeps the work.
struct Measurement {
    var operations: Int
    var seconds: Double
    var perSecond: Double { Double(operations) / seconds }
}

@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

func measure(seconds: Double = 1.0, batch: Int = 1, _ body: () -> Void) -> Measurement {
    let clock = ContinuousClock()
    // Warm-up: a tenth of the time.
    let warmEnd = clock.now.advanced(by: .milliseconds(Int(seconds * 100)))
    while clock.now < warmEnd { for _ in 0..<batch { body() } }
    var ops = 0
    let start = clock.now
    let end = start.advanced(by: .milliseconds(Int(seconds * 1000)))
    var now = start
    while now < end {
        for _ in 0..<batch { body() }
        ops += batch
        now = clock.now
    }
    let elapsed = start.duration(to: now)
    let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Measurement(operations: ops, seconds: s)
}

func format(_ v: Double, decimals: Int = 1) -> String {
    var p = 1.0
    for _ in 0..<decimals { p *= 10 }
    let r = (v * p).rounded() / p
    return decimals == 0 ? String(Int(r)) : String(r)
}

func report(_ name: String, _ value: Double, unit: String, decimals: Int = 1) {
    let padded = name.count >= 56 ? name : name + String(repeating: " ", count: 56 - name.count)
    print("\(padded) \(format(value, decimals: decimals)) \(unit)")
}
