import Dispatch
import Engine
import Foundation
import HTTPClient
import JSON
import L1Watcher
import Logging
import Primitives
import ServiceLifecycle
import Synchronization

/// A follower (`--follow <url>[,<url>…]`): takes the signed blocks of the sequencer (or of
/// another follower) through `rollupNode_getSignedBlocks` long polls, verifies each (signature by
/// the authorized signer, parent equal to the head, L1 messages equal to this node's own L1 view
/// when it has one, re-execution giving the signed header) and commits it in one synced batch,
/// exactly as the sequencer committed it. A refused block is logged with its reason, counted, and
/// never written; the follower then moves to the next URL. docs/followers.md has the protocol,
/// the rollback rule and the double-sign evidence.
final class Follower: Sendable {
    struct Status: Sendable {
        var following: String
        var sourceHead: UInt64?
        var importedBlocks = 0
        var refusedBlocks = 0
        var doubleSignEvidence = 0
        var rollbacks = 0
        var lastError: String?
    }

    let chain: Chain
    let mempool: Mempool
    let urls: [String]
    let authorizedSigner: Address
    let batchSize: Int
    let watcher: L1Watcher?
    let logger: Logger
    /// Names this follower to its source (for the source's follower count).
    let id: String
    private let clients: [CurlHTTPClient]
    private let importQueue = DispatchQueue(label: "rollup-node.follower")
    private let state: Mutex<Status>

    /// How long one long poll may wait at the source for the next block.
    static let pollWait: Duration = .seconds(10)

    init(chain: Chain, mempool: Mempool, urls: [String], authorizedSigner: Address, batchSize: Int, watcher: L1Watcher?,
         logger: Logger) throws(HTTPClientError) {
        precondition(!urls.isEmpty)
        self.chain = chain; self.mempool = mempool; self.urls = urls; self.authorizedSigner = authorizedSigner
        self.batchSize = batchSize; self.watcher = watcher; self.logger = logger
        self.id = "follower-" + Hex.encode((0..<6).map { _ in UInt8.random(in: 0...255) }, prefix: false)
        var clients: [CurlHTTPClient] = []
        for (i, _) in urls.enumerated() {
            clients.append(try CurlHTTPClient(configuration: .init(connectTimeout: .seconds(3), requestTimeout: Self.pollWait + .seconds(20),
                                                                    maxResponseBytes: 256 << 20),
                                              label: "follow-\(i)"))
        }
        self.clients = clients
        self.state = Mutex(Status(following: urls[0]))
    }

    var status: Status { state.withLock { $0 } }

    /// The URL transactions are forwarded to: the source in use.
    var currentSource: String { state.withLock { $0.following } }

    /// Why following a source stopped.
    enum SourceFailure: Error, CustomStringConvertible {
        /// The source could not be reached or did not answer the protocol.
        case unreachable(String)
        /// The source served a block (or notice) this node refuses.
        case refused(String)
        /// Waiting for this node's L1 view to see an L1 message the block includes.
        case waitingForL1(String)
        var description: String {
            switch self {
            case .unreachable(let s), .refused(let s), .waitingForL1(let s): s
            }
        }
    }

    /// Follows the sources until cancelled: the first URL, and the next one whenever a source
    /// fails or serves something refused (after a full round of failures, a pause growing to 5 s).
    func run() async {
        var index = 0
        var failuresInARow = 0
        logger.info("Following", metadata: ["sources": "\(urls.joined(separator: ","))", "head": "\(chain.headBlock.number)",
                                            "authorized_signer": "\(authorizedSigner)"])
        while !Task.isCancelled {
            let url = urls[index]
            state.withLock { $0.following = url }
            do {
                try await follow(client: clients[index], url: url) {
                    failuresInARow = 0
                    state.withLock { $0.lastError = nil }
                }
            } catch let failure as SourceFailure {
                if Task.isCancelled { return }
                state.withLock { $0.lastError = failure.description }
                failuresInARow += 1
                switch failure {
                case .waitingForL1:
                    logger.info("Waiting for this node's L1 view: \(failure)")
                    try? await Task.sleep(for: .seconds(1))
                    continue
                case .unreachable:
                    // Once when it starts failing, then every 20th attempt (about every 100 s).
                    if failuresInARow == 1 || failuresInARow % 20 == 0 {
                        logger.warning("Source failed: \(failure)", metadata: ["source": "\(url)", "attempts": "\(failuresInARow)"])
                    }
                case .refused:
                    break  // logged where it was refused
                }
                if urls.count > 1 {
                    index = (index + 1) % urls.count
                    logger.info("Switching source", metadata: ["source": "\(urls[index])"])
                }
                if failuresInARow >= urls.count {
                    try? await Task.sleep(for: .milliseconds(min(5_000, 250 * failuresInARow)))
                }
            } catch {
                if Task.isCancelled { return }
                logger.error("Following stopped on an unexpected error (retrying): \(error)", metadata: ["source": "\(url)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Follows one source until it fails.
    private func follow(client: CurlHTTPClient, url: String, progressed: () -> Void) async throws {
        while !Task.isCancelled {
            let head = chain.headBlock
            let answer = try await poll(client: client, url: url, from: head.number + 1, parent: head.hash)
            if let number = answer["head"]?["number"]?.stringValue.flatMap({ try? Hex.decodeQuantity($0) }) {
                state.withLock { $0.sourceHead = number }
            }
            if let blocks = answer["blocks"]?.arrayValue, !blocks.isEmpty {
                for item in blocks {
                    let message: SignedBlockMessage
                    do { message = try SignedBlockMessage(json: item) } catch {
                        throw refuse(url: url, number: nil, hash: nil, reason: "malformed block: \(error)", kind: "malformed")
                    }
                    guard try await importBlock(message, url: url) else { break }
                    progressed()
                }
            } else if answer["rollbacks"] != nil || answer["conflict"] != nil {
                try await divergence(answer, url: url, head: head)
                progressed()
            }
            try Task.checkCancellation()
        }
    }

    private func poll(client: CurlHTTPClient, url: String, from: UInt64, parent: Hash32) async throws -> JSONValue {
        let request: JSONValue = [
            "jsonrpc": "2.0", "id": 1, "method": "rollupNode_getSignedBlocks",
            "params": [["from": .string(Hex.encodeQuantity(from)), "parentHash": .string(parent.hex),
                        "max": .int(batchSize), "waitMs": .int(Int(Self.pollWait.components.seconds) * 1000),
                        "follower": .string(id)]],
        ]
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, headers: [("Content-Type", "application/json")], body: request.serialized()))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw SourceFailure.unreachable("\(url): \(error)")
        }
        guard response.status == 200 else { throw SourceFailure.unreachable("\(url) answered HTTP \(response.status)") }
        let json: JSONValue
        do { json = try JSONValue(parsing: response.body) } catch {
            throw SourceFailure.unreachable("\(url) answered something that is not JSON: \(error)")
        }
        if let error = json["error"] {
            let message = error["message"]?.stringValue ?? "\(error)"
            let hint = error["code"]?.numberValue?.int == -32601
                ? " (the source must be a rollup-node serving the rollupNode namespace over HTTP)" : ""
            throw SourceFailure.unreachable("\(url) answered an error: \(message)\(hint)")
        }
        guard let result = json["result"], result.objectValue != nil else {
            throw SourceFailure.unreachable("\(url) answered without a result object")
        }
        return result
    }

    /// Verifies and commits one block; throws `SourceFailure` when it is refused. False: the
    /// head moved meanwhile (a rollback), so the rest of the batch is stale.
    private func importBlock(_ message: SignedBlockMessage, url: String) async throws -> Bool {
        let header = message.header
        let received = ContinuousClock.now
        // From the source's commit to this node's receipt of the block (one clock on loopback;
        // across machines it includes their clock difference).
        let propagationMs = message.committedAt.map { Int64(Date().timeIntervalSince1970 * 1000) - Int64($0) }
        // L1 messages must be the ones this node read from L1 itself (when it reads L1).
        var l1Messages: [L1MessageTransaction] = []
        for tx in message.transactions {
            if case .l1Message(let m) = tx.transaction { l1Messages.append(m) }
        }
        if let watcher, !l1Messages.isEmpty {
            for m in l1Messages {
                let stored: L1Message?
                do { stored = try watcher.message(queueIndex: m.queueIndex) } catch {
                    throw SourceFailure.waitingForL1("reading L1 message \(m.queueIndex): \(error)")
                }
                guard let stored else {
                    throw SourceFailure.waitingForL1("block \(header.number) includes L1 message \(m.queueIndex), which this node's L1 view has not seen yet")
                }
                guard stored.transaction == m else {
                    throw refuse(url: url, number: header.number, hash: header.hash,
                                 reason: "L1 message \(m.queueIndex) differs from this node's L1 view (L1 has \(stored.transactionHash), the block has \(SignedTransaction(l1Message: m).hash))",
                                 kind: "l1_message")
                }
            }
        }
        let chain = self.chain, signer = self.authorizedSigner, watcher = self.watcher, included = l1Messages
        let result = await onImportQueue {
            try chain.importBlock(header: header, transactions: message.transactions, signature: message.signature,
                                  stateEdits: message.stateEdits, authorizedSigner: signer) { batch in
                if let watcher, !included.isEmpty { try watcher.markIncluded(included, l2Block: header.number, in: &batch) }
            }
        }
        switch result {
        case .success(let block):
            mempool.blockCommitted(block, invalid: [], head: chain.mempoolHead)
            let behind = state.withLock { s -> UInt64 in
                s.importedBlocks += 1
                return (s.sourceHead ?? block.number) > block.number ? (s.sourceHead ?? 0) - block.number : 0
            }
            NodeMetrics.recordFollowerImport(duration: received.duration(to: .now), behind: behind, propagationMs: propagationMs)
            var metadata: Logger.Metadata = [
                "number": "\(block.number)", "hash": "\(block.hash)", "txs": "\(block.transactions.count)",
                "gas_used": "\(block.header.gasUsed)", "import_ms": "\(Self.milliseconds(received.duration(to: .now)))",
                "behind": "\(behind)",
            ]
            if let propagationMs { metadata["propagation_ms"] = "\(propagationMs)" }
            logger.info("Imported block", metadata: metadata)
            return true
        case .failure(let error as BlockImportRefusal):
            // The batch no longer extends the head (a rollback meanwhile): poll again.
            if case .notOnHead = error, header.number <= chain.headBlock.number { return false }
            throw refuse(url: url, number: header.number, hash: header.hash, reason: "\(error)", kind: Self.kind(error))
        case .failure(let error):
            // Storage failures (a full disk): nothing was written; retry the same block later.
            logger.error("Could not commit an imported block (it is retried): \(error)", metadata: ["number": "\(header.number)"])
            throw SourceFailure.unreachable("commit failed: \(error)")
        }
    }

    /// The source's chain does not contain this node's head: take a signed rollback notice that
    /// withdraws it, or report the source's block at this height as a double sign.
    private func divergence(_ answer: JSONValue, url: String, head: SealedBlock) async throws {
        var reasons: [String] = []
        for item in answer["rollbacks"]?.arrayValue ?? [] {
            let notice: RollbackNotice
            do { notice = try RollbackNotice(json: item) } catch {
                reasons.append("\(error)")
                continue
            }
            let chain = self.chain, signer = self.authorizedSigner
            let result = await onImportQueue { try chain.applyRollbackNotice(notice, authorizedSigner: signer) }
            switch result {
            case .success(let rollback):
                _ = try? watcher?.unmarkIncluded(aboveL2Block: notice.toNumber)
                do { _ = try mempool.headChanged(to: chain.mempoolHead, touchedAccounts: rollback.touchedAccounts) } catch {
                    logger.error("Could not move the mempool to the rolled-back head: \(error)")
                }
                state.withLock { $0.rollbacks += 1 }
                logger.warning("Rolled back with the sequencer's signed notice", metadata: [
                    "from": "\(head.number) \(head.hash)", "to": "\(notice.toNumber) \(notice.toHash)",
                    "withdrawn_up_to": "\(notice.fromNumber) \(notice.fromHash)", "source": "\(url)",
                ])
                return
            case .failure(let error):
                reasons.append("\(error)")
            }
        }
        // No notice withdraws our head. A block at our height signed by the authorized signer
        // with another hash is a second signature at one height.
        if let conflict = answer["conflict"], !conflict.isNull, let theirs = try? SignedBlockMessage(json: conflict),
           theirs.header.number == head.number, theirs.header.hash != head.hash,
           let parsed = try? Signature(compact: theirs.signature), parsed.isLowS,
           (try? Secp256k1.recoverAddress(digest: theirs.header.signatureDigest, signature: parsed)) == authorizedSigner {
            state.withLock { $0.doubleSignEvidence += 1; $0.refusedBlocks += 1 }
            NodeMetrics.recordFollowerRefusal(kind: "double_sign")
            logger.error("Double sign evidence: the authorized signer signed two blocks at one height with no rollback notice covering it; keeping this node's chain", metadata: [
                "height": "\(head.number)", "ours": "\(head.hash)", "theirs": "\(theirs.header.hash)",
                "signer": "\(authorizedSigner)", "source": "\(url)",
            ])
            throw SourceFailure.refused("double sign at height \(head.number): ours \(head.hash), \(url) serves \(theirs.header.hash)")
        }
        let why = reasons.isEmpty ? "no rollback notice withdraws it" : reasons.joined(separator: "; ")
        throw refuse(url: url, number: head.number, hash: nil,
                     reason: "the source's chain does not contain this node's head \(head.number) \(head.hash): \(why)", kind: "diverged")
    }

    /// Runs blocking chain work (re-execution, the synced commit, a rollback) on the follower's
    /// own serial queue, off Swift's cooperative pool: one import or rollback at a time.
    private func onImportQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            importQueue.async { continuation.resume(returning: Result { try body() }) }
        }
    }

    private func refuse(url: String, number: UInt64?, hash: Hash32?, reason: String, kind: String) -> SourceFailure {
        state.withLock { $0.refusedBlocks += 1 }
        NodeMetrics.recordFollowerRefusal(kind: kind)
        logger.error("Refused block", metadata: [
            "number": "\(number.map(String.init) ?? "?")", "hash": "\(hash.map { "\($0)" } ?? "?")", "source": "\(url)", "reason": "\(reason)",
        ])
        return .refused("\(url): \(reason)")
    }

    static func kind(_ refusal: BlockImportRefusal) -> String {
        switch refusal {
        case .malformedSignature: "signature"
        case .wrongSigner: "signer"
        case .notOnHead: "not_on_head"
        case .invalidBody: "body"
        case .reexecutionMismatch: "reexecution"
        case .invalidRollback: "rollback"
        }
    }

    static func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(format: "%.1f", ms)
    }
}

/// Runs the follower under the service group.
struct FollowerService: Service {
    let follower: Follower
    func run() async throws { await cancelWhenGracefulShutdown { await follower.run() } }
}
