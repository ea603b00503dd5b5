import Logging
import Primitives

/// Wraps any `BlockSigner` so that it never signs two different digests at one height.
///
/// Before the wrapped signer is even asked, `(height, digest)` is appended to a durable
/// `SignatureRecordStore` (fsync'd): so no signature can exist that the journal does not know
/// about, even across a crash. The same digest at the same height is signed again (the crash
/// recovery case); a different one is refused with `.doubleSign(height:)` unless the node
/// recorded a rollback below that height first (`recordRollback(toHeight:)`). If the wrapped
/// signer fails, the record is withdrawn (durably) so that the next block turn can sign a new
/// digest at that height: no signature left this layer. Returned signatures are verified once
/// more against `address`. Calls are serialised (the sequencer signs one block at a time).
public actor GuardedSigner: BlockSigner {
    public nonisolated let address: Address
    public nonisolated let backendDescription: String
    private let inner: any BlockSigner
    private let store: any SignatureRecordStore
    private let logger: Logger
    private var state: DoubleSignGuard
    // A FIFO lock held across the store's `await`s, so that checks and records of concurrent
    // calls cannot interleave (actor methods are re-entrant at every `await`).
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Loads the store's records and wraps `signer`.
    ///
    /// - Parameter retainedHeights: how many of the most recent heights keep their digests in
    ///   memory and in the store; older heights are refused unless a rollback reopens them.
    public init(wrapping signer: any BlockSigner, store: any SignatureRecordStore, retainedHeights: Int = 16_384,
                logger: Logger = Logger(label: "signer")) async throws(SignerError) {
        precondition(retainedHeights >= 1, "retainedHeights must be at least 1")
        var state = DoubleSignGuard(retainedHeights: UInt64(retainedHeights))
        let records = try await store.load()
        for record in records { state.apply(record) }
        self.address = signer.address
        self.backendDescription = signer.backendDescription
        self.inner = signer
        self.store = store
        self.logger = logger
        self.state = state
        logger.info("double-sign guard loaded", metadata: [
            "records": "\(records.count)",
            "highest": "\(state.highestHeight.map(String.init) ?? "none")",
        ])
    }

    /// Wraps `signer` with a `SignatureJournal` at `journalPath` (in the node's datadir).
    public init(wrapping signer: any BlockSigner, journalPath: String, retainedHeights: Int = 16_384,
                logger: Logger = Logger(label: "signer")) async throws(SignerError) {
        try await self.init(wrapping: signer, store: SignatureJournal(path: journalPath, logger: logger),
                            retainedHeights: retainedHeights, logger: logger)
    }

    public func sign(digest: Hash32, height: UInt64) async throws(SignerError) -> BlockSignature {
        // One signing at a time, from the check to the returned signature: a failed signing
        // withdraws its record, which must not race with another call for the same digest.
        await lock()
        defer { unlock() }
        let newlyRecorded = try await recordIfAllowed(digest: digest, height: height)
        do {
            let signature = try await inner.sign(digest: digest, height: height)
            return try BlockSignature(verifying: signature.signature, digest: digest, signer: address)
        } catch {
            // No signature leaves this layer, so the height may take another digest; if the
            // withdrawal cannot be recorded, the record stays (the conservative outcome).
            if newlyRecorded {
                do {
                    try await store.append(.withdrawn(height: height, digest: digest))
                    state.apply(.withdrawn(height: height, digest: digest))
                } catch let withdrawal {
                    logger.warning("could not withdraw the record of a failed signing; the height stays taken",
                                   metadata: ["height": "\(height)", "error": "\(withdrawal)"])
                }
            }
            throw error
        }
    }

    /// Records that the node rolled its head back to `height`: each height above it may now be
    /// signed with one new digest. Durable before it returns.
    public func recordRollback(toHeight height: UInt64) async throws(SignerError) {
        await lock()
        defer { unlock() }
        try await store.append(.rollback(toHeight: height))
        state.apply(.rollback(toHeight: height))
        logger.warning("recorded a rollback: heights above it may be signed again once", metadata: ["toHeight": "\(height)"])
    }

    /// Records a rollback to `height` as `recordRollback(toHeight:)` does, then signs
    /// `noticeDigest`, the rollback's public statement for followers (not a block: it takes no
    /// height record). The notice's digest must not be a header digest (Engine's
    /// `RollbackNotice` has its own domain prefix).
    public func signRollbackNotice(_ noticeDigest: Hash32, toHeight height: UInt64) async throws(SignerError) -> BlockSignature {
        try await recordRollback(toHeight: height)
        await lock()
        defer { unlock() }
        let signature = try await inner.sign(digest: noticeDigest, height: height)
        return try BlockSignature(verifying: signature.signature, digest: noticeDigest, signer: address)
    }

    /// The digest recorded at `height`, if any (for status output and tests).
    public func recordedDigest(atHeight height: UInt64) -> Hash32? { state.digests[height] }

    /// The highest height with a recorded digest.
    public var highestRecordedHeight: UInt64? { state.highestHeight }

    /// Applies the double-sign rule; returns whether a new record was written.
    private func recordIfAllowed(digest: Hash32, height: UInt64) async throws(SignerError) -> Bool {
        switch state.decide(height: height, digest: digest) {
        case .alreadyRecorded:
            logger.debug("re-signing an already recorded digest", metadata: ["height": "\(height)"])
            return false
        case .refuse(let existing):
            let detail = existing.map { "digest \($0) is already signed at that height" }
                ?? "that height is below the guard's retained window, so its signed digest is no longer known"
            logger.error("refused to sign a second block at one height", metadata: ["height": "\(height)", "digest": "\(digest)"])
            throw SignerError(.doubleSign(height: height),
                              "refusing to sign digest \(digest) at height \(height): \(detail); only a recorded rollback below this height allows it")
        case .record:
            try await store.append(.signed(height: height, digest: digest))
            state.apply(.signed(height: height, digest: digest))
            if let snapshot = state.pruneIfNeeded() {
                do { try await store.replaceAll(with: snapshot) } catch {
                    // The in-memory state is pruned either way; the old file still holds a
                    // superset of it, so the next load is only larger, never weaker.
                    logger.warning("signature journal compaction failed; will retry at the next prune", metadata: ["error": "\(error)"])
                }
            }
            return true
        }
    }

    private func lock() async {
        if !locked { locked = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func unlock() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }
}
