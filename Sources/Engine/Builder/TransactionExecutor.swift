import Primitives

/// What executing one transaction did.
public struct ExecutionOutcome: Sendable, Equatable {
    public var succeeded: Bool
    public var gasUsed: UInt64
    /// Price per gas the sender paid (0 for L1 messages).
    public var effectiveGasPrice: U256
}

/// Applies L1 messages to a `StateOverlay`. User transactions run through the Execution
/// module's `TransactionProcessor` (see `Chain.build`); L1 messages follow Scroll's rules here
/// until they run through the EVM as well.
public enum TransactionExecutor {
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
