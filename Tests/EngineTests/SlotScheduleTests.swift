import Testing
@testable import Engine

struct SlotScheduleTests {
    let s = SlotSchedule(blockTime: .milliseconds(1000))

    @Test func slotsStartOnAFixedGrid() {
        #expect(s.start(of: 0) == .zero)
        #expect(s.start(of: 7) == .milliseconds(7000))
        #expect(s.slot(containing: .milliseconds(6999)) == 6)
        #expect(s.slot(containing: .milliseconds(7000)) == 7)
        #expect(s.firstSlot(notBefore: .milliseconds(7000)) == 7)
        #expect(s.firstSlot(notBefore: .milliseconds(7001)) == 8)
    }

    @Test(arguments: [
        // (slot, finished at ms, next slot, skipped)
        (Int64(0), 850, Int64(1), Int64(0)),    // within the slot: the next one runs
        (0, 1000, 1, 0),                          // exactly at the next start: no skip
        (0, 1001, 2, 1),                          // overran into slot 1: skipped
        (3, 6500, 7, 3),                          // overran by more than two slots
        (5, 5100, 6, 0),
    ])
    func workThatOverrunsSkipsTheSlotsItRanInto(_ k: Int64, _ finishedMs: Int, _ next: Int64, _ skipped: Int64) {
        let r = s.next(after: k, finishedAt: .milliseconds(finishedMs))
        #expect(r.slot == next)
        #expect(r.skipped == skipped)
    }

    @Test func buildingTimeNeverShiftsTheGrid() {
        var k: Int64 = 0
        var starts: [Duration] = []
        for work in [100, 900, 999, 1200, 50, 2500, 10] {
            starts.append(s.start(of: k))
            k = s.next(after: k, finishedAt: s.start(of: k) + .milliseconds(work)).slot
        }
        // Every start is a whole number of block times from the origin.
        #expect(starts.allSatisfy { $0.components.attoseconds == 0 })
        #expect(starts == [0, 1, 2, 3, 5, 6, 9].map { Duration.seconds($0) })
    }
}
