import Primitives
import Testing
@testable import Execution

/// L1 messages under Scroll's rules (scroll-revm's handler and `src/tests/l1_message.rs`): a
/// call from the sender with no fee, no refund and no nonce check; the nonce increments; an
/// unpayable value is an out-of-funds halt that spends only the intrinsic gas.
@Suite struct L1MessageExecutionTests {
    static let sender = Address([UInt8](repeating: 0xbb, count: 20))
    static let target = Address([UInt8](repeating: 0xcc, count: 20))
    static let coinbase = Address([UInt8](repeating: 0xfe, count: 20))
    static let block = BlockEnvironment(chainID: 1, number: 1, timestamp: 1, coinbase: coinbase, gasLimit: 30_000_000, baseFee: U256(7))

    /// Stores CALLER at slot 0, CALLVALUE at slot 1, CALLDATALOAD(0) at slot 2; sets slot 3 to 0
    /// (a clear that would earn a refund) and stops. Reverts instead when the calldata's first
    /// word is 0xdead.
    static let recorder: [UInt8] = [
        0x60, 0x00, 0x35, 0x61, 0xde, 0xad, 0x14, 0x60, 0x1e, 0x57,  // CALLDATALOAD(0) == 0xdead -> JUMPI 0x1e
        0x33, 0x60, 0x00, 0x55,  // CALLER -> slot 0
        0x34, 0x60, 0x01, 0x55,  // CALLVALUE -> slot 1
        0x60, 0x00, 0x35, 0x60, 0x02, 0x55,  // CALLDATALOAD(0) -> slot 2
        0x60, 0x00, 0x60, 0x03, 0x55,  // 0 -> slot 3 (was 1)
        0x00,  // STOP
        0x5b, 0x60, 0x00, 0x60, 0x00, 0xfd,  // 0x1e: JUMPDEST REVERT(0, 0)
    ]

    static func run(_ message: L1MessageTransaction, _ source: L1MessageValueSource = .sender,
                    senderBalance: U256 = U256(1_000), senderCode: [UInt8] = []) throws -> (TransactionResult, InMemoryState) {
        var state = InMemoryState()
        state.setAccount(sender, nonce: 5, balance: senderBalance, code: senderCode, storage: [:])
        state.setAccount(target, nonce: 1, balance: .zero, code: recorder, storage: [U256(3): U256(1)])
        let result = try TransactionProcessor(rules: .cancun).executeL1Message(message, valueSource: source, block: block, state: state)
        state.apply(result.changes)
        return (result, state)
    }

    static func message(to: Address = target, value: U256 = .zero, data: [UInt8] = [], gasLimit: UInt64 = 200_000) -> L1MessageTransaction {
        L1MessageTransaction(queueIndex: 0, gasLimit: gasLimit, to: to, value: value, data: data, sender: sender)
    }

    @Test func callsTheTargetAsTheSenderWithValueFromTheSendersBalance() throws {
        let word = [UInt8](repeating: 0, count: 31) + [0x42]
        let (result, state) = try Self.run(Self.message(value: U256(300), data: word))
        #expect(result.succeeded)
        let slots = state.accounts[Self.target]?.storage ?? [:]
        #expect(slots[.zero] == U256(hash: Hash32(Array(repeating: 0, count: 12) + Self.sender.bytes)))
        #expect(slots[U256(1)] == U256(300))
        #expect(slots[U256(2)] == U256(0x42))
        #expect(slots[U256(3)] == nil)
        #expect(state.accounts[Self.target]?.info.balance == U256(300))
        #expect(state.accounts[Self.sender]?.info.balance == U256(700))  // value only: no fee
        #expect(state.accounts[Self.sender]?.info.nonce == 6)  // no nonce check; it increments
        #expect(state.accounts[Self.coinbase] == nil)  // the fee recipient gets nothing
        #expect(result.gasRefunded == 0)
        #expect(result.effectiveGasPrice == .zero)
        // No refund for the cleared slot: 21000 + 512 calldata (32 bytes: 31 zero, 1 nonzero) +
        // the code's gas: 3+3+3+3+3+10 (the JUMPI test) + 2+3+22100 twice + 3+3+3+22100 + 3+3+(2900+2100 cold)
        let intrinsic: UInt64 = 21_000 + 31 * 4 + 16
        #expect(result.gasUsed == intrinsic + 25 + (2 + 3 + 22_100) * 2 + (9 + 22_100) + (6 + 5_000))
    }

    @Test func anUnpayableValueHaltsOutOfFundsSpendingOnlyTheIntrinsicGas() throws {
        let (result, state) = try Self.run(Self.message(value: U256(5_000)), senderBalance: U256(1_000))
        #expect(!result.succeeded)
        #expect(result.failure == "outOfFunds")
        #expect(result.gasUsed == 21_000)
        #expect(state.accounts[Self.sender]?.info.balance == U256(1_000))
        #expect(state.accounts[Self.sender]?.info.nonce == 6)
        #expect(state.accounts[Self.target]?.storage[.zero] == nil)
    }

    @Test func mintCreditsTheValueSoTheSenderPaysNothing() throws {
        let (result, state) = try Self.run(Self.message(value: U256(5_000)), .mint, senderBalance: U256(1_000))
        #expect(result.succeeded)
        #expect(state.accounts[Self.target]?.info.balance == U256(5_000))
        #expect(state.accounts[Self.sender]?.info.balance == U256(1_000))
        #expect(state.accounts[Self.target]?.storage[U256(1)] == U256(5_000))
    }

    @Test func aRevertingCallIsIncludedFailedWithItsGasAndNoLogs() throws {
        let word = [UInt8](repeating: 0, count: 30) + [0xde, 0xad]
        let (result, state) = try Self.run(Self.message(value: U256(10), data: word))
        #expect(!result.succeeded)
        #expect(result.failure == "reverted")
        #expect(result.gasUsed == 21_000 + 30 * 4 + 2 * 16 + 25 + 1 + 6)
        #expect(state.accounts[Self.sender]?.info.balance == U256(1_000))  // the value came back
        #expect(state.accounts[Self.sender]?.info.nonce == 6)
        #expect(state.accounts[Self.target]?.info.balance == .zero)
    }

    @Test func messagesThatCannotRunUseTheirGasLimitAndChangeNothing() throws {
        let (low, s1) = try Self.run(Self.message(value: U256(1), gasLimit: 20_000))
        #expect(!low.succeeded && low.gasUsed == 20_000 && low.changes == StateChanges())
        #expect(s1.accounts[Self.sender]?.info.nonce == 5)
        let (withCode, s2) = try Self.run(Self.message(value: U256(1)), senderCode: [0x00])
        #expect(!withCode.succeeded && withCode.gasUsed == 200_000 && withCode.changes == StateChanges())
        #expect(s2.accounts[Self.sender]?.info.nonce == 5)
    }

    @Test func aPlainTransferToAnAccountWithoutCode() throws {
        let other = Address([UInt8](repeating: 0x11, count: 20))
        let (result, state) = try Self.run(Self.message(to: other, value: U256(250)))
        #expect(result.succeeded && result.gasUsed == 21_000)
        #expect(state.accounts[other]?.info.balance == U256(250))
        #expect(state.accounts[Self.sender]?.info.balance == U256(750))
    }
}
