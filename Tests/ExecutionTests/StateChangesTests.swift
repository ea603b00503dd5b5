import Primitives
import Testing
@testable import Execution

@Suite struct StateChangesTests {
    let sender = Address([UInt8](repeating: 0xaa, count: 20))
    let coinbase = Address([UInt8](repeating: 0xcb, count: 20))
    var block: BlockEnvironment {
        BlockEnvironment(chainID: 1, number: 1, timestamp: 1, coinbase: coinbase, gasLimit: 30_000_000, baseFee: U256(7))
    }

    func transaction(to: Address?, nonce: UInt64, data: [UInt8], value: U256 = .zero) -> ExecutionTransaction {
        ExecutionTransaction(type: 2, sender: sender, to: to, nonce: nonce, gasLimit: 200_000, value: value, data: data,
                             maxFeePerGas: U256(10), maxPriorityFeePerGas: U256(2), chainID: 1)
    }

    @Test func deploysThenCallsAcrossTwoTransactions() throws {
        var state = InMemoryState()
        state.setAccount(sender, nonce: 0, balance: U256(1_000_000_000_000), code: [], storage: [:])
        let processor = TransactionProcessor(rules: .cancun)
        // Runtime: PUSH1 42 PUSH1 0 SSTORE STOP (6 bytes); initcode copies it to memory and returns it.
        let runtime: [UInt8] = [0x60, 0x2a, 0x60, 0x00, 0x55, 0x00]
        let initCode: [UInt8] = [0x60, 0x06, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x06, 0x60, 0x00, 0xf3] + runtime
        let deploy = try processor.execute(transaction(to: nil, nonce: 0, data: initCode), block: block, state: state)
        #expect(deploy.succeeded)
        let address = try #require(deploy.contractAddress)
        #expect(address == EVM<NoTracer>.createAddress(sender: sender, nonce: 0))
        guard case .updated(let created)? = deploy.changes.accounts[address] else { Issue.record("no change"); return }
        #expect(created.code == runtime)
        #expect(created.info.nonce == 1)
        state.apply(deploy.changes)
        #expect(state.accounts[sender]?.info.nonce == 1)

        let call = try processor.execute(transaction(to: address, nonce: 1, data: []), block: block, state: state)
        #expect(call.succeeded)
        state.apply(call.changes)
        #expect(state.accounts[address]?.storage[.zero] == U256(42))
        // The sender paid gasUsed * 9 (base fee 7 + tip 2), the coinbase got gasUsed * 2.
        let paid = U256(deploy.gasUsed + call.gasUsed) * U256(9)
        #expect(state.accounts[sender]?.info.balance == U256(1_000_000_000_000) - paid)
        #expect(state.accounts[coinbase]?.info.balance == U256(deploy.gasUsed + call.gasUsed) * U256(2))
    }

    @Test func touchedEmptyAccountIsDeleted() throws {
        let empty = Address([UInt8](repeating: 0xee, count: 20))
        var state = InMemoryState()
        state.setAccount(sender, nonce: 0, balance: U256(1_000_000_000_000), code: [], storage: [:])
        state.setAccount(empty, nonce: 0, balance: .zero, code: [], storage: [:])
        let result = try TransactionProcessor(rules: .cancun).execute(transaction(to: empty, nonce: 0, data: []),
                                                                      block: block, state: state)
        #expect(result.changes.accounts[empty] == .deleted)
    }

    @Test func revertedCallLeavesOnlyTheFeeAndNonce() throws {
        let contract = Address([UInt8](repeating: 0xcc, count: 20))
        var state = InMemoryState()
        state.setAccount(sender, nonce: 0, balance: U256(1_000_000_000_000), code: [], storage: [:])
        // PUSH1 1 PUSH1 0 SSTORE PUSH1 0 PUSH1 0 REVERT
        state.setAccount(contract, nonce: 1, balance: .zero, code: [0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0xfd],
                         storage: [:])
        let result = try TransactionProcessor(rules: .cancun).execute(transaction(to: contract, nonce: 0, data: [], value: U256(5)),
                                                                      block: block, state: state)
        #expect(!result.succeeded)
        #expect(result.changes.accounts[contract] == nil)
        guard case .updated(let s)? = result.changes.accounts[sender] else { Issue.record("sender unchanged"); return }
        #expect(s.info.nonce == 1)
        #expect(s.info.balance == U256(1_000_000_000_000) - U256(result.gasUsed) * U256(9))
    }
}
