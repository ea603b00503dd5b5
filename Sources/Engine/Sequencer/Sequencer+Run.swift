import Logging

extension Sequencer {
    /// The ticker: runs `step` at every slot of the grid until the task is cancelled (graceful
    /// shutdown cancels it; a block in progress is finished or abandoned cleanly: its inputs are
    /// saved before signing and it is finished at the next start).
    public func run() async {
        let origin = clock.now
        var k: Int64 = 0
        logger.info("Sequencer started", metadata: [
            "block_time_ms": "\(Self.milliseconds(configuration.blockTime))",
            "building_budget_ms": "\(Self.milliseconds(configuration.buildingBudget))",
            "enabled": "\(isEnabled)",
        ])
        while !Task.isCancelled {
            do { try await clock.sleep(until: origin.advanced(by: schedule.start(of: k)), tolerance: nil) } catch { break }
            let woke = origin.duration(to: clock.now)
            let actual = schedule.slot(containing: woke)
            slotObserver?(actual, woke - schedule.start(of: actual))
            if actual > k {
                let missed = Int(actual - k)
                state.withLock { $0.counters.skippedSlots += missed }
                SequencerMetrics.skippedSlots.increment(by: missed)
                logger.warning("Woke up late, skipping slots", metadata: ["skipped": "\(missed)",
                                                                        "late_ms": "\(Self.milliseconds(woke - schedule.start(of: k)))"])
                k = actual
            }
            let slotStart = schedule.start(of: k)
            let deadline = origin.advanced(by: slotStart + configuration.buildingBudget)
            let slotEnd = origin.advanced(by: slotStart + configuration.blockTime)
            _ = await gate.withLock { await produce(deadline: deadline, onDemand: false, timestamp: nil, slotEnd: slotEnd) }
            let finished = origin.duration(to: clock.now)
            let (next, skipped) = schedule.next(after: k, finishedAt: finished)
            if skipped > 0 {
                state.withLock { $0.counters.skippedSlots += Int(skipped) }
                SequencerMetrics.skippedSlots.increment(by: Int(skipped))
                SequencerMetrics.slotOverruns.increment()
                logger.warning("Slot overran into the next one, skipping it", metadata: [
                    "slot_work_ms": "\(Self.milliseconds(finished - slotStart))",
                    "overrun_ms": "\(Self.milliseconds(finished - schedule.start(of: k + 1)))",
                    "skipped": "\(skipped)",
                ])
            }
            k = next
        }
        logger.info("Sequencer stopped", metadata: ["blocks": "\(counters.blocks)"])
    }
}
