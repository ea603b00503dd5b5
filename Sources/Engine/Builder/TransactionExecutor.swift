import Primitives

/// What executing one transaction did.
public struct ExecutionOutcome: Sendable, Equatable {
    public var succeeded: Bool
    public var gasUsed: UInt64
    /// Price per gas the sender paid (0 for L1 messages).
    public var effectiveGasPrice: U256
}

/// Applies transactions to a `StateOverlay` under Ethereum's rules for value transfers and
/// Scroll's rules for L1 messages.
///
/// The engine has no EVM yet: creating contracts and calling accounts with code are refused, so
/// every executed user transaction is a transfer whose gas use is exactly its intrinsic gas.
/// An EVM plugs in here later: `executeCall` becomes the place that runs code.
public enum TransactionExecutor {
    /// Executes a signed user transaction whose sender was recovered (and low-s checked) already.
    /// Throws when the transaction is not valid in this block; the state is then unchanged.
    public static func execute(_ tx: SignedTransaction, sender: Address, in state: StateOverlay,
                               environment env: BlockEnvironment, gasRemaining: UInt64) throws(ExecutionError) -> ExecutionOutcome {
        let t = tx.transaction
        guard case .l1Message = t else {
            return try executeUserTransaction(t, sender: sender, state: state, env: env, gasRemaining: gasRemaining)
        }
        throw .l1MessageThroughWrongPath
    }

    static func executeUserTransaction(_ t: Transaction, sender: Address, state: StateOverlay,
                                       env: BlockEnvironment, gasRemaining: UInt64) throws(ExecutionError) -> ExecutionOutcome {
        if let id = t.chainID, id != env.chainID { throw .invalidTransaction(.invalidChainID(expected: env.chainID, actual: id)) }
        guard t.gasLimit <= gasRemaining else { throw .gasLimitReached(remaining: gasRemaining, txGasLimit: t.gasLimit) }
        guard t.maxPriorityFeePerGas <= t.maxFeePerGas else {
            throw .invalidTransaction(.tipAboveFeeCap(maxPriorityFeePerGas: t.maxPriorityFeePerGas, maxFeePerGas: t.maxFeePerGas))
        }
        guard t.maxFeePerGas >= env.baseFee else {
            throw .feeCapBelowBaseFee(address: sender, maxFeePerGas: t.maxFeePerGas, baseFee: env.baseFee)
        }
        let intrinsic = t.intrinsicGas
        guard intrinsic <= t.gasLimit else { throw .invalidTransaction(.intrinsicGasTooLow(gasLimit: t.gasLimit, required: intrinsic)) }
        guard let to = t.to else { throw .contractCreationNotSupported }

        do {
            let overlay = ExecutionState(overlay: state)
            var from = try overlay.account(sender)
            let nonce = t.nonce ?? 0
            if nonce < from.nonce { throw ExecutionError.nonceTooLow(address: sender, txNonce: nonce, stateNonce: from.nonce) }
            if nonce > from.nonce { throw ExecutionError.nonceTooHigh(address: sender, txNonce: nonce, stateNonce: from.nonce) }
            if from.nonce == .max { throw ExecutionError.invalidTransaction(.nonceMax) }
            // The balance must cover the worst case: gas limit at the fee cap, plus the value.
            let (maxGasCost, o1) = U256(t.gasLimit).multipliedReportingOverflow(by: t.maxFeePerGas)
            let (required, o2) = maxGasCost.addingReportingOverflow(t.value)
            if o1 || o2 { throw ExecutionError.invalidTransaction(.gasFeeOverflow) }
            guard from.balance >= required else {
                throw ExecutionError.insufficientFunds(address: sender, have: from.balance, want: required)
            }
            if try overlay.account(to).hasCode { throw ExecutionError.contractCallNotSupported(to: to) }

            let gasUsed = intrinsic
            let price = t.effectiveGasPrice(baseFee: env.baseFee)
            let fee = U256(gasUsed) * price
            from.balance = from.balance - fee - t.value
            from.nonce += 1
            try overlay.set(sender, from)
            try overlay.addBalance(to, t.value)
            let tip = U256(gasUsed) * (price - env.baseFee)
            let baseFeePart = env.burnBaseFee ? U256.zero : U256(gasUsed) * env.baseFee
            try overlay.addBalance(env.feeRecipient, tip + baseFeePart)
            return ExecutionOutcome(succeeded: true, gasUsed: gasUsed, effectiveGasPrice: price)
        }
    }

    /// Executes an L1 message: `value` is minted to `to` (it was locked on L1); no signature,
    /// nonce or fee. Gas: the message uses its intrinsic gas (as a call to an account without
    /// code does), which counts towards the block's gas used and its receipt. A message that
    /// cannot be executed (gas limit below its intrinsic gas, or `to` has code while there is
    /// no EVM) fails: it still consumes its queue index and its whole gas limit, gets a failed
    /// receipt, and changes no balance. It never blocks the queue.
    public static func executeL1Message(_ message: L1MessageTransaction, in state: StateOverlay) throws(ExecutionError) -> ExecutionOutcome {
        let intrinsic = Transaction.l1Message(message).intrinsicGas
        do {
            let overlay = ExecutionState(overlay: state)
            let target = try overlay.account(message.to)
            if intrinsic > message.gasLimit || target.hasCode {
                return ExecutionOutcome(succeeded: false, gasUsed: message.gasLimit, effectiveGasPrice: .zero)
            }
            try overlay.addBalance(message.to, message.value)
        }
        return ExecutionOutcome(succeeded: true, gasUsed: intrinsic, effectiveGasPrice: .zero)
    }
}

/// The overlay as execution sees it: a failed state read or write is `ExecutionError.state`,
/// not a verdict on the transaction.
struct ExecutionState {
    let overlay: StateOverlay

    func account(_ address: Address) throws(ExecutionError) -> Account {
        do { return try overlay.account(address) } catch { throw .state(error) }
    }

    func set(_ address: Address, _ account: Account) throws(ExecutionError) {
        do { try overlay.set(address, account) } catch { throw .state(error) }
    }

    func addBalance(_ address: Address, _ amount: U256) throws(ExecutionError) {
        do { try overlay.addBalance(address, amount) } catch { throw .state(error) }
    }
}
