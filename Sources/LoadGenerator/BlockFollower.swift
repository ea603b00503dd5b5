import Foundation
import Primitives

/// Follows the chain: polls eth_blockNumber every 10 ms; for each new block reads its
/// transaction hashes (eth_getBlockByNumber, false), then fetches the receipt of every pending
/// transaction in it (batched eth_getTransactionReceipt), checks it names that block, and
/// counts it. When the node is lost and restarts are survived, waits for GET /health and
/// resumes submission from each sender's confirmed nonce.
struct BlockFollower {
    let controller: LoadController
    let endpoint: HTTPEndpoint
    let firstBlock: UInt64
    let receiptsLog: String?

    static let receiptBatch = 500

    func run() {
        let client = RPCClient(endpoint: endpoint)
        let log = receiptsLog.flatMap { fopen($0, "a") }
        defer { if let log { fclose(log) } }
        var next = firstBlock
        while !controller.isFinished {
            if controller.isPaused {
                recover(client)
                continue
            }
            let epoch = controller.epoch
            do throws(LoadGeneratorError) {
                guard let head = try client.result("eth_blockNumber", "[]").quantity else {
                    throw LoadGeneratorError(.protocolViolation, "eth_blockNumber is not a quantity")
                }
                if head < next {
                    sleepNanoseconds(10_000_000)
                    continue
                }
                while next <= head && !controller.isFinished {
                    try follow(block: next, client: client, log: log)
                    next += 1
                }
            } catch {
                client.connection.close()
                if error.isTransient {
                    if controller.connectionLost(epoch: epoch, error: error) { say("rollup-load: lost the node: \(error)") }
                } else {
                    controller.fail(error)
                }
            }
        }
    }

    private func follow(block number: UInt64, client: RPCClient, log: UnsafeMutablePointer<FILE>?) throws(LoadGeneratorError) {
        let block = try client.result("eth_getBlockByNumber", #"["\#(Hex.encodeQuantity(number))", false]"#)
        let seen = monotonicNanoseconds()
        guard let blockHash = block["hash"]?.hash, let list = block["transactions"]?.arrayValue else {
            throw LoadGeneratorError(.protocolViolation, "eth_getBlockByNumber(\(number)) returned \(block.typeName) without hash and transactions")
        }
        let hashes = list.compactMap(\.hash)
        controller.blockSeen(number: number, transactions: hashes.count, at: seen)
        let mine = controller.pendingAmong(hashes)
        var start = 0
        while start < mine.count {
            let chunk = Array(mine[start..<min(mine.count, start + Self.receiptBatch)])
            start += chunk.count
            let replies = try client.batch(chunk.map { ("eth_getTransactionReceipt", #"["\#($0)"]"#) })
            let arrived = monotonicNanoseconds()
            var lines = ""
            for (hash, reply) in zip(chunk, replies) {
                guard let receipt = reply.result, !receipt.isNull else {
                    throw LoadGeneratorError(.protocolViolation, "block \(number) holds \(hash) but eth_getTransactionReceipt returned \(reply)")
                }
                guard receipt["blockHash"]?.hash == blockHash, receipt["blockNumber"]?.quantity == number else {
                    throw LoadGeneratorError(.protocolViolation, "the receipt of \(hash) names block \(receipt["blockNumber"].map { "\($0)" } ?? "?") \(receipt["blockHash"].map { "\($0)" } ?? "?"), but block \(number) is \(blockHash)")
                }
                if controller.included(hash, succeeded: receipt["status"]?.quantity == 1, at: arrived), log != nil {
                    lines += "\(hash) \(blockHash) \(number)\n"
                }
            }
            if let log, !lines.isEmpty {
                fputs(lines, log)
                fflush(log)
            }
        }
    }

    /// Waits for the node to answer /health, then resumes from the confirmed nonces.
    private func recover(_ client: RPCClient) {
        let lost = monotonicNanoseconds()
        say("rollup-load: waiting for the node to come back")
        while !controller.isFinished {
            client.connection.close()
            if let r = try? client.connection.get("/health"), r.status == 200 { break }
            sleepNanoseconds(50_000_000)
        }
        let addresses = controller.plan.senders.map(\.address)
        var nonces: [UInt64] = []
        var start = 0
        while start < addresses.count && !controller.isFinished {
            let chunk = addresses[start..<min(addresses.count, start + 1000)]
            do throws(LoadGeneratorError) {
                let replies = try client.batch(chunk.map { ("eth_getTransactionCount", #"["\#($0)", "latest"]"#) })
                let values = replies.compactMap { $0.result?.quantity }
                guard values.count == chunk.count else { throw LoadGeneratorError(.protocolViolation, "eth_getTransactionCount failed") }
                nonces += values
                start += chunk.count
            } catch {
                client.connection.close()
                sleepNanoseconds(50_000_000)
            }
        }
        guard !controller.isFinished else { return }
        controller.resume(confirmedNonces: nonces)
        say("rollup-load: the node is back after \(String(format: "%.1f", Double(monotonicNanoseconds() - lost) / 1e9)) s; resending from each sender's confirmed nonce")
    }
}
