import Execution
import Primitives

extension Chain {
    /// Re-executes the stored block `block` on its parent's state and traces the transactions
    /// at `indices` (all when nil), as geth's debug_traceTransaction / debug_traceBlock* do.
    /// The parent's state must be served (`state(at:hash:)`); every replayed transaction must
    /// use exactly the gas its stored receipt says, or the trace is refused rather than served
    /// wrong. `deadline` stops the struct logger's recording (geth's `timeout`).
    public func trace(block: SealedBlock, indices: Set<Int>?, request: TraceRequest,
                      deadline: ContinuousClock.Instant? = nil) throws(EngineError) -> [(index: Int, trace: TracedExecution)] {
        guard block.number > 0 else { return [] }
        guard let parent = try self.block(hash: block.header.parentHash) else {
            throw .corruptDatabase(.header(block.header.parentHash), .missing)
        }
        let state = StateOverlay(base: try self.state(at: parent.header, hash: parent.hash))
        let header = block.header
        let env = BlockEnvironment(chainID: spec.chainID, number: header.number, timestamp: header.timestamp,
                                   gasLimit: header.gasLimit, baseFee: header.baseFeePerGas ?? .zero,
                                   feeRecipient: header.beneficiary, burnBaseFee: spec.burnBaseFee)
        let execution = env.execution(blockHashes: canonicalHashes(upTo: parent.number))
        try updateBlockHashHistory(state, number: header.number, parentHash: parent.hash)
        let processor = TransactionProcessor(rules: spec.evmRules)
        let reader = OverlayStateReader(overlay: state)
        var out: [(index: Int, trace: TracedExecution)] = []
        let last = indices?.max() ?? block.transactions.count - 1
        var previousCumulative: UInt64 = 0
        for (i, tx) in block.transactions.enumerated() where i <= last {
            let traced = indices?.contains(i) ?? true
            let result: TransactionResult
            do {
                if case .l1Message(let message) = tx.transaction {
                    if traced {
                        let t = try processor.traceL1Message(message, valueSource: spec.l1.messageValue, block: execution, state: reader,
                                                             request: request, deadline: deadline)
                        out.append((i, t)); result = t.result
                    } else {
                        result = try processor.executeL1Message(message, valueSource: spec.l1.messageValue, block: execution, state: reader)
                    }
                } else {
                    guard let executable = ExecutionTransaction(tx, sender: block.senders[i]) else {
                        throw EngineError.replayDiverged(block: block.number, index: i, reason: "not an executable transaction")
                    }
                    if traced {
                        let t = try processor.trace(executable, block: execution, state: reader, request: request, deadline: deadline)
                        out.append((i, t)); result = t.result
                    } else {
                        result = try processor.execute(executable, block: execution, state: reader)
                    }
                }
            } catch let error as EngineError {
                throw error
            } catch {
                throw .replayDiverged(block: block.number, index: i, reason: "\(error)")
            }
            let stored = block.receipts[i].cumulativeGasUsed - previousCumulative
            previousCumulative = block.receipts[i].cumulativeGasUsed
            guard stored == result.gasUsed else {
                throw .replayDiverged(block: block.number, index: i, reason: "used \(result.gasUsed) gas, its receipt says \(stored)")
            }
            if i < block.l1Fees.count, block.l1Fees[i] != result.l1Fee {
                throw .replayDiverged(block: block.number, index: i, reason: "paid an L1 fee of \(result.l1Fee) wei, its receipt says \(block.l1Fees[i])")
            }
            do { try state.apply(result.changes) } catch { throw .trie(during: .readingHistoricalState(block: parent.number), underlying: error) }
        }
        return out
    }
}
