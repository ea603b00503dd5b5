import Primitives
import Testing
@testable import Execution

@Suite struct RulesTests {
    let sender = Address([UInt8](repeating: 0xaa, count: 20))
    let target = Address([UInt8](repeating: 0xbb, count: 20))
    let block = BlockEnvironment(chainID: 1, number: 1, timestamp: 1, coinbase: .zero, gasLimit: 30_000_000, baseFee: .zero)

    func run(_ rules: EVMRules, code: [UInt8], data: [UInt8] = [], gasLimit: UInt64 = 100_000) throws -> TransactionResult {
        var state = InMemoryState()
        state.setAccount(sender, nonce: 0, balance: U256(1_000_000_000), code: [], storage: [:])
        state.setAccount(target, nonce: 1, balance: .zero, code: code, storage: [:])
        let tx = ExecutionTransaction(type: 0, sender: sender, to: target, nonce: 0, gasLimit: gasLimit, value: .zero,
                                      data: data, maxFeePerGas: .zero, maxPriorityFeePerGas: .zero, chainID: 1)
        return try TransactionProcessor(rules: rules).execute(tx, block: block, state: state)
    }

    @Test func calldataFloorAppliesOnlyWhenTheRulesSaySo() throws {
        let data = [UInt8](repeating: 0xff, count: 100)
        #expect(try run(.cancun, code: [], data: data).gasUsed == 21_000 + 1_600)
        var floored = EVMRules.cancun
        floored.calldataFloorGasPerToken = 10
        #expect(try run(floored, code: [], data: data).gasUsed == 21_000 + 4_000)
    }

    @Test func disabledSelfDestructIsAnInvalidInstruction() throws {
        let code: [UInt8] = [0x5f, 0xff]  // PUSH0 SELFDESTRUCT
        #expect(try run(.cancun, code: code).succeeded)
        var scrollLike = EVMRules.cancun
        scrollLike.selfDestruct = .disabled
        #expect(try run(scrollLike, code: code).failure == "invalidOpcode")
    }

    @Test func clzExistsOnlyWhenEnabled() throws {
        let code: [UInt8] = [0x60, 0x01, 0x1e, 0x00]  // PUSH1 1 CLZ STOP
        #expect(try run(.cancun, code: code).failure == "invalidOpcode")
        var withCLZ = EVMRules.cancun
        withCLZ.validOpcodes[0x1e] = true
        withCLZ.staticGas[0x1e] = 5
        let result = try run(withCLZ, code: code)
        #expect(result.succeeded)
        #expect(result.gasUsed == 21_000 + 3 + 5)
    }
}
