import Primitives

/// Where an L1 message's `value` comes from.
public enum L1MessageValueSource: String, Sendable, Equatable, CaseIterable {
    /// Scroll's rule: the value moves from the sender's L2 balance; a sender that cannot pay
    /// gets an out-of-funds halt (status 0) and the message is still included.
    case sender
    /// The value is created on L2 (credited to the sender just before the call), as an OP-stack
    /// deposit mints it: for development chains whose L1 bridge does not prefund a messenger.
    case mint
}

extension TransactionProcessor {
    /// Executes an L1 message under Scroll's rules (scroll-revm's handler and its
    /// `tests/l1_message.rs`): a call from `sender` to `to` with `data`, `value` and the
    /// message's gas limit; no signature, nonce check, fee, balance pre-check, L1 data fee,
    /// refund or EIP-7623 floor; the sender's nonce increments; the fee recipient gets nothing;
    /// gas used is the gas limit minus what the call left. It never throws for the message's
    /// own content: an L1 message is included whatever it does, consuming its queue index.
    ///
    /// Two cases that cannot run at all (the L1 queue contract refuses the first; the second
    /// needs an L1 sender with code on L2, which Scroll's address alias rules out) are included
    /// as failed, using their whole gas limit and changing nothing: a gas limit below the
    /// intrinsic gas, and a sender with code (EIP-3607, which scroll-revm keeps).
    ///
    /// Throws only `.stateReadFailed` (the state could not be read: nothing is decided).
    public func executeL1Message(_ message: L1MessageTransaction, valueSource: L1MessageValueSource,
                                 block: BlockEnvironment, state reader: any StateReader) throws(ExecutionError) -> TransactionResult {
        try executeL1Message(message, valueSource: valueSource, block: block, state: reader, tracer: NoTracer())
    }

    func executeL1Message<T: EVMTracer>(_ message: L1MessageTransaction, valueSource: L1MessageValueSource,
                                        block: BlockEnvironment, state reader: any StateReader,
                                        tracer: T) throws(ExecutionError) -> TransactionResult {
        let tx = ExecutionTransaction(type: TransactionType.l1Message.rawValue, sender: message.sender, to: message.to,
                                      nonce: 0, gasLimit: message.gasLimit, value: message.value, data: message.data,
                                      maxFeePerGas: .zero, maxPriorityFeePerGas: .zero, chainID: nil)
        let intrinsic = intrinsicGas(tx)
        let state = JournaledState(reader: reader)
        let sender = message.sender
        let senderCodeHash = state.codeHash(sender)
        if let error = state.readError { throw .stateReadFailed("\(error)") }
        func unexecutable(_ why: String) -> TransactionResult {
            TransactionResult(succeeded: false, failure: why, gasUsed: message.gasLimit, gasRefunded: 0,
                              effectiveGasPrice: .zero, logs: [], output: [], contractAddress: nil, changes: StateChanges())
        }
        if message.gasLimit < intrinsic { return unexecutable("intrinsic gas too low") }
        if senderCodeHash != .emptyCodeHash { return unexecutable("sender has code") }

        if valueSource == .mint && !message.value.isZero { state.addBalance(sender, message.value) }
        state.incrementNonce(sender)
        state.warm(sender)
        state.warm(block.coinbase)
        for p in rules.precompileAddresses { state.warm(p) }
        for p in rules.precompiles.keys { state.warm(p) }
        state.warm(message.to)

        let gas = Int(message.gasLimit - intrinsic)
        let result: FrameResult
        if state.balance(sender) < message.value {
            // revm's top-level OutOfFunds: the call does not start and its gas is not spent.
            result = FrameResult(status: .halt(.outOfFunds), gasLeft: gas, output: [])
        } else {
            let context = TransactionContext(origin: sender, gasPrice: .zero, blobHashes: [],
                                             blobBaseFee: blobBaseFee(excessBlobGas: block.excessBlobGas))
            let evm = EVM(rules: rules, block: block, context: context, state: state, tracer: tracer, codeCache: codeCache)
            result = evm.call(Message(kind: .call, caller: sender, target: message.to, codeAddress: message.to,
                                      value: message.value, transfersValue: true, input: message.data, gas: gas,
                                      isStatic: false, depth: 0))
        }
        let gasUsed = message.gasLimit - UInt64(result.gasLeft)
        let (logs, changes, failure) = try Self.settle(result, state)
        return TransactionResult(succeeded: result.isSuccess, failure: failure, gasUsed: gasUsed, gasRefunded: 0,
                                 effectiveGasPrice: .zero, logs: logs, output: result.output,
                                 contractAddress: nil, changes: changes)
    }
}
