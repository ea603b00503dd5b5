import Logging

extension L1Watcher {
    /// The polling loop, shaped like a swift-service-lifecycle `Service.run()`: returns when the
    /// task is cancelled (graceful shutdown). Steps run back to back while catching up and every
    /// `pollInterval` once caught up or after a failure (the client already backed off between
    /// attempts). A failing L1 only makes the watcher report itself as lagging; the loop throws
    /// only for errors that retrying cannot fix: an endpoint serving another chain, a datadir
    /// from another L1, a corrupt database. Without an L1 it just waits for cancellation.
    public func run() async throws {
        guard let client else {
            while !Task.isCancelled {
                do { try await clock.sleep(for: .seconds(3600)) } catch { break }
            }
            return
        }
        logger.info("L1 watcher running (poll interval \(configuration.pollInterval))")
        // Check every endpoint's chain id up front, so a wrong --l1.url is reported at startup.
        do {
            let ok = try await client.verifyAllChainIDs()
            if ok == 0 { logger.warning("no L1 endpoint is reachable yet; the watcher is lagging and keeps trying") }
        } catch {
            logger.error("\(error)")
            throw error
        }
        var failures = 0
        while !Task.isCancelled {
            var pause = configuration.pollInterval
            do {
                let report = try await step()
                if failures > 0 { logger.info("L1 watcher recovered after \(failures) failed step(s)") }
                failures = 0
                if !report.isCaughtUp && report.gapAt == nil { pause = .zero }
            } catch {
                if Task.isCancelled { break }
                if error.stopsTheWatcher {
                    logger.error("L1 watcher stopped: \(error)")
                    throw error
                }
                failures += 1
                // The first failure and then one in 30 at warning level: an L1 outage of hours
                // should not bury the log.
                if failures == 1 || failures % 30 == 0 {
                    logger.warning("L1 watcher lagging (\(failures) failed step(s) in a row): \(error)")
                } else {
                    logger.debug("L1 watcher lagging (\(failures) failed step(s) in a row): \(error)")
                }
            }
            if pause > .zero {
                do { try await clock.sleep(for: pause) } catch { break }
            } else {
                await Task.yield()
            }
        }
        logger.info("L1 watcher stopped")
    }

    /// Checks every endpoint's `eth_chainId` now (for a startup check before `run()`). Returns how
    /// many endpoints answered; throws `.chainIDMismatch` naming the endpoint and both ids.
    @discardableResult
    public func checkChainIDs() async throws(L1WatcherError) -> Int {
        guard let client else { return 0 }
        return try await client.verifyAllChainIDs()
    }
}

extension L1WatcherError {
    /// Errors that retrying cannot fix: the configuration or the database is wrong.
    var stopsTheWatcher: Bool {
        switch code {
        case .chainIDMismatch, .datadirMismatch, .invalidConfiguration: true
        case .storage: !isTransient
        default: false
        }
    }
}
