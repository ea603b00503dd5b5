/// A small seeded generator so randomized tests can print and replay their seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The seed from the environment variable `RN_TEST_SEED` if set, otherwise `fallback`.
    /// CI runs with the fixed fallbacks, so a run is repeatable; set `RN_TEST_SEED` to explore.
    public static func seedFromEnvironment(default fallback: UInt64) -> UInt64 {
        if let s = getenvString("RN_TEST_SEED"), let v = UInt64(s) { return v }
        return fallback
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}
