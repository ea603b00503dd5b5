import Foundation
import Primitives
@testable import Signer
import Testing

@Suite struct GuardedSignerTests {
    static func journalPath() throws -> String {
        try KeyFileTests.temporaryDirectory() + "/signatures.journal"
    }

    static func guarded(_ path: String, retained: Int = 16_384) async throws -> GuardedSigner {
        try await GuardedSigner(wrapping: LocalKeySigner.insecureWellKnownDevelopmentKey(), journalPath: path,
                                retainedHeights: retained, logger: quietLogger)
    }

    @Test func refusesASecondDigestAtTheSameHeight() async throws {
        let signer = try await Self.guarded(try Self.journalPath())
        _ = try await signer.sign(digest: testDigest(1), height: 10)
        let error = await signerError { _ = try await signer.sign(digest: testDigest(2), height: 10) }
        #expect(error?.code == .doubleSign(height: 10))
        #expect(error?.message.contains("refusing to sign digest \(testDigest(2)) at height 10") == true)
        #expect(await signer.recordedDigest(atHeight: 10) == testDigest(1))
    }

    @Test func allowsTheSameDigestAgain() async throws {
        let signer = try await Self.guarded(try Self.journalPath())
        let a = try await signer.sign(digest: testDigest(1), height: 10)
        let b = try await signer.sign(digest: testDigest(1), height: 10)
        #expect(a == b)  // RFC 6979: the same key and digest give the same signature
    }

    @Test func aRestartRemembersWhatWasSigned() async throws {
        let path = try Self.journalPath()
        do {
            let signer = try await Self.guarded(path)
            for h in 1...5 as ClosedRange<UInt64> { _ = try await signer.sign(digest: testDigest(h), height: h) }
        }
        let restarted = try await Self.guarded(path)
        #expect(await restarted.highestRecordedHeight == 5)
        let error = await signerError { _ = try await restarted.sign(digest: testDigest(99), height: 3) }
        #expect(error?.code == .doubleSign(height: 3))
        _ = try await restarted.sign(digest: testDigest(3), height: 3)  // same digest: fine
        _ = try await restarted.sign(digest: testDigest(6), height: 6)
    }

    @Test func aRecordedRollbackAllowsOneResignPerHeightAndSurvivesARestart() async throws {
        let path = try Self.journalPath()
        do {
            let signer = try await Self.guarded(path)
            for h in 1...5 as ClosedRange<UInt64> { _ = try await signer.sign(digest: testDigest(h), height: h) }
            try await signer.recordRollback(toHeight: 3)
            _ = try await signer.sign(digest: testDigest(40), height: 4)  // a new block 4
            let again = await signerError { _ = try await signer.sign(digest: testDigest(41), height: 4) }
            #expect(again?.code == .doubleSign(height: 4))  // once only
            let below = await signerError { _ = try await signer.sign(digest: testDigest(30), height: 3) }
            #expect(below?.code == .doubleSign(height: 3))  // the rollback kept height 3
        }
        let restarted = try await Self.guarded(path)
        #expect(await restarted.recordedDigest(atHeight: 4) == testDigest(40))
        #expect(await restarted.recordedDigest(atHeight: 5) == nil)
        let error = await signerError { _ = try await restarted.sign(digest: testDigest(41), height: 4) }
        #expect(error?.code == .doubleSign(height: 4))
        _ = try await restarted.sign(digest: testDigest(50), height: 5)  // 5 reopened by the rollback
    }

    @Test func toleratesATornLastRecord() async throws {
        let path = try Self.journalPath()
        do {
            let signer = try await Self.guarded(path)
            for h in 1...3 as ClosedRange<UInt64> { _ = try await signer.sign(digest: testDigest(h), height: h) }
        }
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(intact.count == 8 + 3 * 45)
        // A crash part-way through appending record 4: a partial record at the end.
        let partial = SignatureJournal.encode(.signed(height: 4, digest: testDigest(4))).prefix(20)
        try (intact + Data(partial)).write(to: URL(fileURLWithPath: path))
        do {
            let signer = try await Self.guarded(path)
            #expect(await signer.highestRecordedHeight == 3)
            _ = try await signer.sign(digest: testDigest(44), height: 4)  // height 4 was never signed
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 8 + 4 * 45)
        // A full-length last record with a bad checksum (size written, data not) is torn too.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        damaged[damaged.count - 10] ^= 0xff
        try damaged.write(to: URL(fileURLWithPath: path))
        let signer = try await Self.guarded(path)
        #expect(await signer.highestRecordedHeight == 3)
    }

    @Test func refusesAJournalDamagedBeforeItsLastRecord() async throws {
        let path = try Self.journalPath()
        do {
            let signer = try await Self.guarded(path)
            for h in 1...3 as ClosedRange<UInt64> { _ = try await signer.sign(digest: testDigest(h), height: h) }
        }
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[8 + 45 + 5] ^= 0x01  // inside record 2 of 3
        try data.write(to: URL(fileURLWithPath: path))
        let error = await signerError { _ = try await Self.guarded(path) }
        #expect(error?.code == .journalCorrupt)
        #expect(error?.message.contains("damaged record 2 of 3") == true)
    }

    @Test func aSecondNodeOnTheSameJournalIsRefused() async throws {
        let path = try Self.journalPath()
        let first = try await Self.guarded(path)
        let error = await signerError { _ = try await Self.guarded(path) }
        #expect(error?.code == .journalIO)
        #expect(error?.message.contains("locked by another process") == true)
        _ = first
    }

    @Test func concurrentCallsForOneHeightSignOnlyOneDigest() async throws {
        let signer = try await Self.guarded(try Self.journalPath())
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 as Range<UInt64> {
                group.addTask { (try? await signer.sign(digest: testDigest(i), height: 7)) != nil }
            }
            var successes = 0
            for await ok in group where ok { successes += 1 }
            return successes
        }
        #expect(outcomes == 1)
    }

    @Test func compactionKeepsTheWindowAndTheRules() async throws {
        let path = try Self.journalPath()
        do {
            let signer = try await Self.guarded(path, retained: 10)
            for h in 1...45 as ClosedRange<UInt64> { _ = try await signer.sign(digest: testDigest(h), height: h) }
            // Pruned heights are refused outright (their digest is no longer known) ...
            let old = await signerError { _ = try await signer.sign(digest: testDigest(2), height: 2) }
            #expect(old?.code == .doubleSign(height: 2))
            // ... recent ones keep the usual rule.
            _ = try await signer.sign(digest: testDigest(44), height: 44)
        }
        let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
        #expect(size < 8 + 45 * 45)  // compacted at least once
        let restarted = try await Self.guarded(path, retained: 10)
        #expect(await restarted.highestRecordedHeight == 45)
        let old = await signerError { _ = try await restarted.sign(digest: testDigest(2), height: 2) }
        #expect(old?.code == .doubleSign(height: 2))
        let recent = await signerError { _ = try await restarted.sign(digest: testDigest(0), height: 44) }
        #expect(recent?.code == .doubleSign(height: 44))
        // A rollback below the window reopens the pruned heights above it.
        try await restarted.recordRollback(toHeight: 1)
        _ = try await restarted.sign(digest: testDigest(200), height: 2)
    }

    /// Fails while `failing` is set; otherwise signs with the development key.
    final class FlakySigner: BlockSigner, @unchecked Sendable {
        let inner = LocalKeySigner.insecureWellKnownDevelopmentKey()
        var failing = true  // set before use, read from the guard's serialised calls
        var address: Address { inner.address }
        var backendDescription: String { "flaky" }
        func sign(digest: Hash32, height: UInt64) async throws(SignerError) -> BlockSignature {
            if failing { throw SignerError(.kms(.throttled), "throttled", isTransient: true) }
            return try await inner.sign(digest: digest, height: height)
        }
    }

    @Test func aFailedSigningWithdrawsItsRecordSoTheNextTurnCanSign() async throws {
        let path = try Self.journalPath()
        let flaky = FlakySigner()
        do {
            let signer = try await GuardedSigner(wrapping: flaky, journalPath: path, logger: quietLogger)
            let failed = await signerError { _ = try await signer.sign(digest: testDigest(1), height: 9) }
            #expect(failed?.code == .kms(.throttled))
            #expect(await signer.recordedDigest(atHeight: 9) == nil)
        }
        // The next turn builds a different block at the same height (new timestamp), also after a restart.
        flaky.failing = false
        let signer = try await GuardedSigner(wrapping: flaky, journalPath: path, logger: quietLogger)
        _ = try await signer.sign(digest: testDigest(2), height: 9)
        let error = await signerError { _ = try await signer.sign(digest: testDigest(1), height: 9) }
        #expect(error?.code == .doubleSign(height: 9))
    }

    @Test func aFailedResignKeepsTheEarlierRecord() async throws {
        let flaky = FlakySigner()
        flaky.failing = false
        let signer = try await GuardedSigner(wrapping: flaky, journalPath: try Self.journalPath(), logger: quietLogger)
        _ = try await signer.sign(digest: testDigest(1), height: 3)
        flaky.failing = true
        _ = await signerError { _ = try await signer.sign(digest: testDigest(1), height: 3) }
        // The first signature was returned earlier: the height must stay taken.
        #expect(await signer.recordedDigest(atHeight: 3) == testDigest(1))
    }

    @Test func theGuardStateMachineFollowsTheRules() {
        var g = DoubleSignGuard(retainedHeights: 100)
        let a = testDigest(1), b = testDigest(2)
        #expect(g.decide(height: 5, digest: a) == .record)
        g.apply(.signed(height: 5, digest: a))
        #expect(g.decide(height: 5, digest: a) == .alreadyRecorded)
        #expect(g.decide(height: 5, digest: b) == .refuse(existing: a))
        g.apply(.rollback(toHeight: 5))
        #expect(g.decide(height: 5, digest: b) == .refuse(existing: a))
        g.apply(.rollback(toHeight: 4))
        #expect(g.decide(height: 5, digest: b) == .record)
        g.apply(.signed(height: 5, digest: b))
        g.apply(.withdrawn(height: 5, digest: a))  // withdrawing another digest changes nothing
        #expect(g.decide(height: 5, digest: a) == .refuse(existing: b))
        g.apply(.withdrawn(height: 5, digest: b))
        #expect(g.decide(height: 5, digest: a) == .record)
        #expect(g.highestHeight == nil)
    }
}
