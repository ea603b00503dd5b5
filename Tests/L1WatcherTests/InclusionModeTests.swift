import FakeL1
import Testing
@testable import L1Watcher

@Suite struct InclusionModeTests {
    @Test(arguments: [
        ("finalized", L1InclusionMode.finalized(0)),
        ("FINALIZED", .finalized(0)),
        ("finalized:0", .finalized(0)),
        ("Finalized:2", .finalized(2)),
        ("finalized:64", .finalized(64)),
        ("depth:0", .depth(0)),
        ("DEPTH:3", .depth(3)),
        ("  depth:12 ", .depth(12)),
        ("finalized:18446744073709551615", .finalized(.max)),
    ])
    func parsesTheAcceptedFormsCaseInsensitively(_ text: String, _ expected: L1InclusionMode) throws {
        #expect(try L1InclusionMode(parsing: text) == expected)
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("latest", "unknown mode"),
        ("depth", "unknown mode"),
        ("safe:1", "unknown mode \"safe\""),
        ("depth:", "N is missing"),
        ("finalized:-1", "non-negative decimal integer"),
        ("finalized:+1", "non-negative decimal integer"),
        ("depth:0x10", "non-negative decimal integer"),
        ("depth:1.5", "non-negative decimal integer"),
        ("finalized:2:3", "non-negative decimal integer"),
        ("depth: 3", "non-negative decimal integer"),
        ("depth:18446744073709551616", "N is too large"),
    ])
    func rejectsEverythingElseNamingTheAcceptedForms(_ text: String, _ why: String) {
        do {
            let mode = try L1InclusionMode(parsing: text)
            Issue.record("\"\(text)\" parsed as \(mode)")
        } catch {
            #expect(error.code == .invalidInclusionMode)
            #expect(!error.isTransient)
            #expect(error.message.contains("\"\(text)\""))
            #expect(error.message.contains(why), "\(error.message)")
            #expect(error.message.contains("finalized, finalized:N or depth:N"))
        }
    }

    @Test func printsInTheCanonicalForm() throws {
        #expect(try L1InclusionMode(parsing: "FINALIZED").description == "finalized:0")
        #expect(L1InclusionMode.default.description == "finalized:2")
        #expect(L1InclusionMode.depth(3).description == "depth:3")
    }

    /// (mode, latest, finalized, message block, eligible)
    @Test(arguments: [
        // finalized:0 — eligible exactly when b <= finalized
        (L1InclusionMode.finalized(0), 20, 10, 10, true), (.finalized(0), 20, 10, 11, false), (.finalized(0), 20, 0, 0, true),
        (.finalized(0), 20, 0, 1, false),
        // finalized:2 — b <= finalized - 2
        (.finalized(2), 20, 10, 8, true), (.finalized(2), 20, 10, 9, false), (.finalized(2), 20, 2, 0, true),
        (.finalized(2), 20, 2, 1, false), (.finalized(2), 20, 1, 0, false), (.finalized(2), 20, 0, 0, false),
        // depth:0 — b <= latest
        (.depth(0), 20, 10, 20, true), (.depth(0), 20, 10, 21, false), (.depth(0), 0, 0, 0, true),
        // depth:3 — b <= latest - 3
        (.depth(3), 20, 10, 17, true), (.depth(3), 20, 10, 18, false), (.depth(3), 3, 0, 0, true),
        (.depth(3), 3, 0, 1, false), (.depth(3), 2, 0, 0, false),
        // N larger than the head: nothing
        (.depth(30), 20, 10, 0, false), (.finalized(11), 20, 10, 0, false),
    ])
    func eligibilityAtTheBoundaries(_ mode: L1InclusionMode, _ latest: Int, _ finalized: Int, _ block: Int, _ eligible: Bool) {
        #expect(mode.isEligible(l1Block: UInt64(block), latest: UInt64(latest), finalized: UInt64(finalized)) == eligible)
    }

    @Test func withoutAFinalizedBlockFinalizedModesHaveNothingEligible() {
        #expect(L1InclusionMode.finalized(0).eligibleThrough(latest: 100, finalized: nil) == nil)
        #expect(L1InclusionMode.depth(0).eligibleThrough(latest: 100, finalized: nil) == 100)
        #expect(L1InclusionMode.depth(0).eligibleThrough(latest: nil, finalized: nil) == nil)
    }

    /// The same boundaries through the watcher: messages in blocks 1...12 (queue index = block - 1),
    /// latest 12, finalized 9.
    @Test(arguments: [
        (L1InclusionMode.finalized(0), 9), (.finalized(2), 7), (.finalized(8), 1), (.finalized(9), 0), (.finalized(10), 0),
        (.depth(0), 12), (.depth(3), 9), (.depth(11), 1), (.depth(12), 0), (.depth(13), 0),
    ])
    func watcherHandsOutExactlyTheEligibleMessages(_ mode: L1InclusionMode, _ count: Int) async throws {
        let h = try Harness(chain: chainWithOneMessagePerBlock(12, finalizedDistance: 3), mode: mode)
        try await syncUntilCaughtUp(h.watcher)
        let status = h.watcher.status
        #expect(status.latestBlock == 12 && status.finalizedBlock == 9)
        let eligible = h.watcher.eligibleMessages(startingAt: 0, max: 100, gasLimit: .max)
        #expect(eligible.map(\.queueIndex) == (0..<UInt64(count)).map { $0 })
        // One more (empty) block moves the boundary by exactly one block.
        h.chain.mine()
        try await syncUntilCaughtUp(h.watcher)
        let after = h.watcher.eligibleMessages(startingAt: 0, max: 100, gasLimit: .max)
        let through = mode.eligibleThrough(latest: 13, finalized: 10)
        #expect(after.count == through.map { min(12, Int($0)) } ?? 0)
    }
}
