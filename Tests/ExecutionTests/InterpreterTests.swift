import Primitives
import Testing
@testable import Execution

/// Runs `code` as the callee of a transaction and returns the result and the final state.
private func execute(_ code: [UInt8], gasLimit: UInt64 = 1_000_000, value: U256 = .zero,
                     storage: [U256: U256] = [:]) throws -> (TransactionResult, InMemoryState) {
    let sender = Address([UInt8](repeating: 0xaa, count: 20))
    let contract = Address([UInt8](repeating: 0xcc, count: 20))
    var state = InMemoryState()
    state.setAccount(sender, nonce: 0, balance: U256(10_000_000_000_000), code: [], storage: [:])
    state.setAccount(contract, nonce: 1, balance: .zero, code: code, storage: storage)
    let block = BlockEnvironment(chainID: 1, number: 1, timestamp: 1, coinbase: .zero, gasLimit: 30_000_000, baseFee: U256(7))
    let tx = ExecutionTransaction(type: 2, sender: sender, to: contract, nonce: 0, gasLimit: gasLimit, value: value,
                                  data: [], maxFeePerGas: U256(10), maxPriorityFeePerGas: U256(1), chainID: 1)
    let result = try TransactionProcessor(rules: .cancun).execute(tx, block: block, state: state)
    state.apply(result.changes)
    return (result, state)
}

private let contract = Address([UInt8](repeating: 0xcc, count: 20))

@Suite struct InterpreterTests {
    @Test func addsAndStores() throws {
        // PUSH1 2 PUSH1 3 ADD PUSH1 0 SSTORE STOP
        let (result, state) = try execute([0x60, 0x02, 0x60, 0x03, 0x01, 0x60, 0x00, 0x55, 0x00])
        #expect(result.succeeded)
        #expect(state.accounts[contract]?.storage[.zero] == U256(5))
        // 21000 + 3 * 3 (pushes) + 3 (add) + 22100 (cold SSTORE 0 -> nonzero)
        #expect(result.gasUsed == 21_000 + 9 + 3 + 22_100)
    }

    @Test func stackUnderflowConsumesAllGas() throws {
        let (result, _) = try execute([0x01], gasLimit: 50_000)
        #expect(!result.succeeded)
        #expect(result.failure == "stackUnderflow")
        #expect(result.gasUsed == 50_000)
    }

    @Test func stackOverflowAt1025Items() throws {
        // JUMPDEST PUSH0 PUSH1 0 JUMP: pushes one item per loop until the stack overflows.
        let (result, _) = try execute([0x5b, 0x5f, 0x60, 0x00, 0x56], gasLimit: 200_000)
        #expect(result.failure == "stackOverflow")
    }

    @Test func invalidOpcodeConsumesAllGas() throws {
        let (result, _) = try execute([0xfe], gasLimit: 40_000)
        #expect(result.failure == "invalidOpcode")
        #expect(result.gasUsed == 40_000)
    }

    @Test func revertKeepsRemainingGasAndUndoesStorage() throws {
        // PUSH1 1 PUSH1 0 SSTORE PUSH1 0 PUSH1 0 REVERT
        let (result, state) = try execute([0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0xfd], gasLimit: 100_000)
        #expect(result.failure == "reverted")
        #expect(result.gasUsed == 21_000 + 6 + 22_100 + 6)
        #expect(state.accounts[contract]?.storage.isEmpty == true)
    }

    @Test func memoryExpansionIsCharged() throws {
        // PUSH1 1 PUSH2 0x0400 MSTORE8 STOP: memory to 1025 bytes = 33 words: 3*33 + 33*33/512 = 101.
        let (result, _) = try execute([0x60, 0x01, 0x61, 0x04, 0x00, 0x53, 0x00])
        #expect(result.gasUsed == 21_000 + 3 + 3 + 3 + 101)
    }

    @Test func jumpIntoPushDataIsInvalid() throws {
        // PUSH1 3 JUMP PUSH1 0x5b: offset 3 is push data holding 0x5b.
        let (result, _) = try execute([0x60, 0x04, 0x56, 0x60, 0x5b, 0x00], gasLimit: 30_000)
        #expect(result.failure == "invalidJump")
    }

    @Test func sstoreClearRefunds4800() throws {
        // Clearing a nonzero slot: 2100 cold + 2900 reset, refund 4800 (EIP-3529).
        let (result, state) = try execute([0x60, 0x00, 0x60, 0x00, 0x55, 0x00], storage: [.zero: U256(1)])
        #expect(result.gasRefunded == 4_800)
        #expect(result.gasUsed == 21_000 + 6 + 5_000 - 4_800)
        #expect(state.accounts[contract]?.storage.isEmpty == true)
    }

    @Test func sstoreRefundIsCappedAtOneFifth() throws {
        // Clearing two slots: refund 9600 > gasUsed / 5.
        let code: [UInt8] = [0x60, 0x00, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x01, 0x55, 0x00]
        let (result, _) = try execute(code, storage: [.zero: U256(1), .one: U256(1)])
        let used = UInt64(21_000 + 12 + 10_000)
        #expect(result.gasRefunded == used / 5)
        #expect(result.gasUsed == used - used / 5)
    }

    @Test func sstoreRestoringOriginalRefundsTheSet() throws {
        // 0 -> 1 -> 0 in one transaction: 22100 + 100, refund 19900.
        let code: [UInt8] = [0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0x55, 0x00]
        let (result, _) = try execute(code)
        let used = UInt64(21_000 + 12 + 22_100 + 100)
        #expect(result.gasRefunded == min(19_900, used / 5))
    }

    @Test func rejectsNonceMismatchWithoutChangingState() throws {
        let sender = Address([UInt8](repeating: 0xaa, count: 20))
        var state = InMemoryState()
        state.setAccount(sender, nonce: 3, balance: U256(1_000_000_000), code: [], storage: [:])
        let block = BlockEnvironment(chainID: 1, number: 1, timestamp: 1, coinbase: .zero, gasLimit: 30_000_000, baseFee: .zero)
        let tx = ExecutionTransaction(type: 0, sender: sender, to: .zero, nonce: 2, gasLimit: 21_000, value: .zero,
                                      data: [], maxFeePerGas: .zero, maxPriorityFeePerGas: .zero, chainID: 1)
        #expect(throws: ExecutionError.nonceMismatch(expected: 3, actual: 2)) {
            try TransactionProcessor(rules: .cancun).execute(tx, block: block, state: state)
        }
    }
}

@Suite struct CodeAnalysisTests {
    @Test func jumpdestsSkipPushData() {
        // JUMPDEST PUSH2 0x5b5b JUMPDEST
        let code = AnalysedCode([0x5b, 0x61, 0x5b, 0x5b, 0x5b])
        #expect(code.isJumpDestination(0))
        #expect(!code.isJumpDestination(2))
        #expect(!code.isJumpDestination(3))
        #expect(code.isJumpDestination(4))
        #expect(!code.isJumpDestination(5))
    }

    @Test func truncatedPushReadsZeros() {
        let code = AnalysedCode([0x62, 0x01])
        #expect(EVM<NoTracer>.readPush(code.bytes + 1, 3) == U256(0x010000))
    }
}

@Suite struct AddressRuleTests {
    @Test func create2AddressMatchesEIP1014Example() throws {
        // EIP-1014 example 2: deployer 0xdeadbeef…, salt 0, init code 0x00.
        let sender = try Address(hex: "0xdeadbeef00000000000000000000000000000000")
        let address = EVM<NoTracer>.create2Address(sender: sender, salt: .zero, initCodeHash: Keccak.hash256([0x00] as [UInt8]))
        #expect(address == (try Address(hex: "0xB928f69Bb1D91Cd65274e3c79d8986362984fDA3")))
    }

    @Test func createAddressFromSenderAndNonce() throws {
        // Well-known: 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0 nonce 0.
        let sender = try Address(hex: "0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0")
        #expect(EVM<NoTracer>.createAddress(sender: sender, nonce: 0) == (try Address(hex: "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d")))
    }
}

@Suite struct U256EVMTests {
    @Test func signedDivisionEdges() {
        let minusOne = U256.max
        let minInt = U256.one << 255
        #expect(minInt.signedDivide(by: minusOne) == minInt)
        #expect(U256(7).signedDivide(by: .zero) == .zero)
        #expect(minusOne.evmNegated == .one)
        #expect(U256(7).evmNegated.signedRemainder(dividingBy: U256(3)) == U256(1).evmNegated)
    }

    @Test func wrappingMultiplyMatchesReference() {
        let a = U256(l0: .max, l1: 3, l2: 0, l3: 1 << 60)
        let b = U256(l0: 12345, l1: .max, l2: 7, l3: 0)
        #expect(a.evmMul(b) == a.multipliedReportingOverflow(by: b).partialValue)
    }

    @Test func mulModUsesFullWidthProduct() {
        #expect(U256.max.mulMod(.max, U256(12)) == U256(9))
        #expect(U256.max.addMod(U256(2), U256(10)) == U256(7))
    }

    @Test func signExtendAndShifts() {
        #expect(U256(0xff).signExtend(fromByte: .zero) == .max)
        #expect(U256(0x7f).signExtend(fromByte: .zero) == U256(0x7f))
        #expect(U256.max.arithmeticShiftRight(by: U256(300)) == .max)
        #expect(U256.one.shiftedLeft(by: U256(256)) == .zero)
    }
}

@Suite struct PushDecodingTests {
    @Test(arguments: [1, 2, 7, 8, 9, 15, 16, 17, 31, 32])
    func readsEveryWidthBigEndian(width: Int) {
        let bytes = (0..<width).map { UInt8(0x10 + $0) }
        let code = AnalysedCode([UInt8(0x5f + width)] + bytes)
        #expect(EVM<NoTracer>.readPush(code.bytes + 1, width) == U256(bigEndian: bytes)!)
    }
}
