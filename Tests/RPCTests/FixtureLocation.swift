import Foundation

/// The copied conformance fixtures of this test target (see Fixtures/PROVENANCE.md).
enum FixtureLocation {
    static var root: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }
    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
