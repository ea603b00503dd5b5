import Testing
import Primitives
import Execution
@testable import Engine

/// A fixed account state for execution tests.
struct FixedState: ContractStateReader {
    var accounts: [Address: Account]
    var words: [Address: [U256: U256]] = [:]
    var codes: [Hash32: [UInt8]] = [:]
    func account(_ address: Address) throws(EngineError) -> Account? { accounts[address] }
    func storage(_ address: Address, slot: U256) throws(EngineError) -> U256 { words[address]?[slot] ?? .zero }
    func storageSlots(_ address: Address) throws(EngineError) -> [(slot: U256, value: U256)] {
        (words[address] ?? [:]).filter { !$0.value.isZero }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
    func code(hash: Hash32) throws(EngineError) -> [UInt8]? { codes[hash] }
}

struct ExecutionTests {
    static let alice = DevelopmentKeys.privateKey(0)
    static let bob = DevelopmentKeys.privateKey(1)
    static let vault = try! Address(hex: "0x5300000000000000000000000000000000000005")
    static let ether = U256(1_000_000_000_000_000_000)
    static let gwei = U256(1_000_000_000)

    static func environment(baseFee: U256 = gwei, burn: Bool = false) -> Engine.BlockEnvironment {
        Engine.BlockEnvironment(chainID: 1337, number: 1, timestamp: 10, gasLimit: 30_000_000, baseFee: baseFee,
                         feeRecipient: vault, burnBaseFee: burn)
    }

    /// Runs a user transaction the way the block builder does: the Execution module's rules
    /// over the overlay, then its changes applied. `gasRemaining` plays the block's gas left.
    @discardableResult
    static func execute(_ tx: SignedTransaction, sender: Address, in state: StateOverlay, environment env: Engine.BlockEnvironment,
                        gasRemaining: UInt64 = 30_000_000) throws -> TransactionResult {
        var rules = EVMRules.cancun
        rules.burnsBaseFee = env.burnBaseFee
        var limited = env
        limited.gasLimit = gasRemaining
        let result = try TransactionProcessor(rules: rules).execute(
            ExecutionTransaction(tx.transaction, sender: sender)!, block: limited.execution { _ in nil },
            state: OverlayStateReader(overlay: state))
        try state.apply(result.changes)
        return result
    }

    static func transfer(from key: PrivateKey, nonce: UInt64, to: Address, value: U256, tip: U256 = gwei,
                         feeCap: U256 = gwei * U256(3), gas: UInt64 = 21_000, data: [UInt8] = []) -> SignedTransaction {
        try! Transaction.dynamicFee(DynamicFeeTransaction(chainID: 1337, nonce: nonce, maxPriorityFeePerGas: tip,
                                                          maxFeePerGas: feeCap, gasLimit: gas, to: to, value: value,
                                                          data: data, accessList: [])).signed(with: key)
    }

    static func legacy(from key: PrivateKey, nonce: UInt64, to: Address, value: U256, price: U256) -> SignedTransaction {
        try! Transaction.legacy(LegacyTransaction(chainID: 1337, nonce: nonce, gasPrice: price, gasLimit: 21_000,
                                                  to: to, value: value, data: [])).signed(with: key)
    }

    @Test func accountsForEveryWeiOverAMixedBlock() throws {
        let start = Self.ether * U256(10)
        let state = StateOverlay(base: FixedState(accounts: [Self.alice.address: Account(nonce: 0, balance: start),
                                                             Self.bob.address: Account(nonce: 0, balance: start)]))
        let env = Self.environment()
        let carol = try Address(hex: "0x00000000000000000000000000000000000c0ffe")
        let txs: [(SignedTransaction, Address)] = [
            (Self.transfer(from: Self.alice, nonce: 0, to: carol, value: Self.ether), Self.alice.address),
            (Self.transfer(from: Self.alice, nonce: 1, to: Self.bob.address, value: U256(5), tip: U256(7), gas: 30_000, data: [0, 1, 2]), Self.alice.address),
            (Self.legacy(from: Self.bob, nonce: 0, to: Self.bob.address, value: U256(123), price: Self.gwei * U256(2)), Self.bob.address),
        ]
        var totalFees = U256.zero
        var gas: UInt64 = 0
        for (tx, sender) in txs {
            let outcome = try Self.execute(tx, sender: sender, in: state, environment: env, gasRemaining: env.gasLimit - gas)
            #expect(outcome.succeeded)
            #expect(outcome.gasUsed == tx.transaction.intrinsicGas)
            gas += outcome.gasUsed
            totalFees += U256(outcome.gasUsed) * outcome.effectiveGasPrice
        }
        // Data [0, 1, 2]: one zero byte (4) and two non-zero bytes (16 each).
        #expect(gas == 21_000 + 21_000 + 36 + 21_000)
        let aliceFees = U256(21_000) * (Self.gwei + Self.gwei) + U256(21_036) * (Self.gwei + U256(7))
        // The fee cap check uses the gas limit (30,000), the charge uses the gas used (21,036).
        #expect(try state.account(Self.alice.address) == Account(nonce: 2, balance: start - Self.ether - U256(5) - aliceFees))
        #expect(try state.account(Self.bob.address) == Account(nonce: 1, balance: start + U256(5) - U256(21_000) * Self.gwei * U256(2)))
        #expect(try state.account(carol).balance == Self.ether)
        // Scroll: tip and base fee both go to the fee recipient.
        #expect(try state.account(Self.vault).balance == totalFees)
        // Nothing was created or destroyed.
        let after = try [Self.alice.address, Self.bob.address, carol, Self.vault].map { try state.account($0).balance }.reduce(U256.zero, +)
        #expect(after == start + start)
    }

    @Test func burnsTheBaseFeeWhenTheChainSaysSo() throws {
        let state = StateOverlay(base: FixedState(accounts: [Self.alice.address: Account(nonce: 0, balance: Self.ether)]))
        let tx = Self.transfer(from: Self.alice, nonce: 0, to: Self.bob.address, value: U256(1), tip: U256(2))
        let o = try Self.execute(tx, sender: Self.alice.address, in: state, environment: Self.environment(burn: true), gasRemaining: 30_000_000)
        #expect(o.effectiveGasPrice == Self.gwei + U256(2))
        #expect(try state.account(Self.vault).balance == U256(21_000 * 2))
        #expect(try state.account(Self.alice.address).balance == Self.ether - U256(1) - U256(21_000) * (Self.gwei + U256(2)))
    }

    @Test func capsTheEffectivePriceAtTheFeeCap() throws {
        let state = StateOverlay(base: FixedState(accounts: [Self.alice.address: Account(nonce: 0, balance: Self.ether)]))
        let tx = Self.transfer(from: Self.alice, nonce: 0, to: Self.bob.address, value: .zero, tip: Self.gwei * U256(5), feeCap: Self.gwei * U256(2))
        // tip > fee cap is invalid; use tip 5 gwei with cap 6 and base fee 2 gwei -> price 6 gwei.
        #expect(throws: Execution.ExecutionError.self) {
            try Self.execute(tx, sender: Self.alice.address, in: state, environment: Self.environment(), gasRemaining: 30_000_000)
        }
        let ok = Self.transfer(from: Self.alice, nonce: 0, to: Self.bob.address, value: .zero, tip: Self.gwei * U256(5), feeCap: Self.gwei * U256(6))
        let o = try Self.execute(ok, sender: Self.alice.address, in: state, environment: Self.environment(baseFee: Self.gwei * U256(2)), gasRemaining: 30_000_000)
        #expect(o.effectiveGasPrice == Self.gwei * U256(6))
    }

    @Test func refusesInvalidTransactionsWithoutTouchingState() throws {
        let base = FixedState(accounts: [Self.alice.address: Account(nonce: 3, balance: U256(21_000) * Self.gwei * U256(3) + U256(10))])
        let env = Self.environment()
        let cases: [(SignedTransaction, String)] = [
            (Self.transfer(from: Self.alice, nonce: 2, to: Self.bob.address, value: .zero), "nonce too low"),
            (Self.transfer(from: Self.alice, nonce: 4, to: Self.bob.address, value: .zero), "nonce too high"),
            (Self.transfer(from: Self.alice, nonce: 3, to: Self.bob.address, value: U256(11)), "insufficient funds for gas * price + value"),
            (Self.transfer(from: Self.alice, nonce: 3, to: Self.bob.address, value: .zero, tip: .zero, feeCap: Self.gwei - U256(1)), "max fee per gas less than block base fee"),
            (Self.transfer(from: Self.alice, nonce: 3, to: Self.bob.address, value: .zero, gas: 20_999), "intrinsic gas too low"),
            (Self.transfer(from: Self.alice, nonce: 3, to: Self.bob.address, value: .zero, gas: 40_000), "gas limit reached"),
        ]
        for (tx, expected) in cases {
            let state = StateOverlay(base: base)
            do {
                _ = try Self.execute(tx, sender: Self.alice.address, in: state, environment: env, gasRemaining: 30_000)
                Issue.record("accepted a transaction that should fail with \(expected)")
            } catch {
                #expect("\(error)".hasPrefix(expected), "\(error)")
            }
            #expect(state.changes.isEmpty)
        }
        // The exact balance is enough.
        let state = StateOverlay(base: base)
        _ = try Self.execute(Self.transfer(from: Self.alice, nonce: 3, to: Self.bob.address, value: U256(10)),
                                            sender: Self.alice.address, in: state, environment: env, gasRemaining: 30_000)
    }

    @Test func runsContractCodeAndDeploysContracts() throws {
        let contract = try Address(hex: "0x00000000000000000000000000000000000000cc")
        // The contract stores CALLVALUE + 1 at slot 0: PUSH1 1 CALLVALUE ADD PUSH1 0 SSTORE STOP.
        let code: [UInt8] = [0x60, 0x01, 0x34, 0x01, 0x60, 0x00, 0x55, 0x00]
        let state = StateOverlay(base: FixedState(accounts: [
            Self.alice.address: Account(nonce: 0, balance: Self.ether),
            contract: Account(nonce: 1, balance: .zero, codeHash: Keccak.hash256(code)),
        ], codes: [Keccak.hash256(code): code]))
        let call = Self.transfer(from: Self.alice, nonce: 0, to: contract, value: U256(41), gas: 100_000)
        let called = try Self.execute(call, sender: Self.alice.address, in: state, environment: Self.environment())
        #expect(called.succeeded)
        let expectedGas: UInt64 = 21_000 + 3 + 2 + 3 + 3 + 22_100  // PUSH1 CALLVALUE ADD PUSH1, cold SSTORE of a new value
        #expect(called.gasUsed == expectedGas)
        #expect(try state.storage(contract, slot: 0) == 42)

        // Creation: the init code returns `code` (CODECOPY it to memory, RETURN).
        let n = UInt8(code.count)
        let prefix: [UInt8] = [0x60, n, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, n, 0x60, 0x00, 0xf3]
        let initCode = prefix + code
        let create = try Transaction.dynamicFee(DynamicFeeTransaction(chainID: 1337, nonce: 1, maxPriorityFeePerGas: .zero, maxFeePerGas: Self.gwei * U256(2),
                                                                       gasLimit: 200_000, to: nil, value: .zero, data: initCode, accessList: [])).signed(with: Self.alice)
        let created = try Self.execute(create, sender: Self.alice.address, in: state, environment: Self.environment())
        let address = try #require(created.contractAddress)
        var w = RLPWriter(capacity: 32)
        w.writeList { w in w.write(Self.alice.address); w.write(UInt64(1)) }
        #expect(address.bytes == Array(Keccak.hash256(w.bytes).bytes[12...]))
        #expect(try state.account(address).nonce == 1)
        #expect(try state.code(hash: state.account(address).codeHash) == code)
    }

    @Test func evolvesTheBaseFeeOverFullAndEmptyBlocks() {
        let rules = ChainSpec.BaseFeeRules(elasticityMultiplier: 2, changeDenominator: 8, minimum: U256(7))
        let limit: UInt64 = 30_000_000
        // A full block raises the fee by 1/8, an empty one lowers it by 1/8, a block at target keeps it.
        #expect(rules.nextBaseFee(parentBaseFee: Self.gwei, parentGasUsed: limit, parentGasLimit: limit) == U256(1_125_000_000))
        #expect(rules.nextBaseFee(parentBaseFee: Self.gwei, parentGasUsed: 0, parentGasLimit: limit) == U256(875_000_000))
        #expect(rules.nextBaseFee(parentBaseFee: Self.gwei, parentGasUsed: limit / 2, parentGasLimit: limit) == Self.gwei)
        // Above target the fee rises by at least 1 wei, even when the fraction rounds to zero.
        #expect(rules.nextBaseFee(parentBaseFee: U256(8), parentGasUsed: limit / 2 + 1, parentGasLimit: limit) == U256(9))
        // Never below the minimum.
        var fee = Self.gwei
        for _ in 0..<400 { fee = rules.nextBaseFee(parentBaseFee: fee, parentGasUsed: 0, parentGasLimit: limit) }
        #expect(fee == U256(7))
        // Ten full blocks in a row: 1 gwei * (9/8)^10, rounded down at each step.
        fee = Self.gwei
        var expected = UInt64(1_000_000_000)
        for _ in 0..<10 {
            fee = rules.nextBaseFee(parentBaseFee: fee, parentGasUsed: limit, parentGasLimit: limit)
            expected += expected * (limit / 2) / (limit / 2) / 8
        }
        #expect(fee == U256(expected))
    }
}
