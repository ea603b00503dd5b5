import Primitives
import Testing
@testable import Execution

/// The L1 data fee as the processor charges it: from the oracle's storage in the state, on top
/// of gas, paid to the fee recipient, counted in the funds check; none under Ethereum's rules,
/// for L1 messages or for calls without fee fields.
@Suite struct L1FeeChargingTests {
    let key = try! PrivateKey(bytes: [UInt8](repeating: 0x11, count: 31) + [0x01])
    let recipient = Address([UInt8](repeating: 0xbb, count: 20))
    let coinbase = Address([UInt8](repeating: 0xcc, count: 20))
    let block = BlockEnvironment(chainID: 7, number: 5, timestamp: 5, coinbase: Address([UInt8](repeating: 0xcc, count: 20)),
                                 gasLimit: 30_000_000, baseFee: U256(1_000))
    /// Curie's formula: (commitScalar·l1BaseFee + len·l1BlobBaseFee·blobScalar) / 1e9.
    let oracle: [U256: U256] = [
        L1GasPriceOracle.l1BaseFeeSlot: U256(2_000_000_000), L1GasPriceOracle.l1BlobBaseFeeSlot: U256(3),
        L1GasPriceOracle.commitScalarSlot: U256(5_000_000_000), L1GasPriceOracle.blobScalarSlot: U256(400_000_000),
    ]

    func state(balance: U256) -> InMemoryState {
        var s = InMemoryState()
        s.setAccount(key.address, nonce: 0, balance: balance, code: [], storage: [:])
        s.setAccount(L1GasPriceOracle.address, nonce: 1, balance: .zero, code: [0x00], storage: oracle)
        return s
    }

    func transfer() throws -> SignedTransaction {
        try Transaction.dynamicFee(DynamicFeeTransaction(
            chainID: 7, nonce: 0, maxPriorityFeePerGas: U256(10), maxFeePerGas: U256(2_000), gasLimit: 30_000,
            to: recipient, value: U256(1_000_000), data: [1, 2, 3], accessList: [])).signed(with: key)
    }

    @Test func aTransferPaysGasPlusTheL1FeeToTheFeeRecipient() throws {
        let rules = EVMRules.scroll(.darwin)
        let tx = try transfer()
        let executable = try #require(ExecutionTransaction(tx, sender: key.address))
        let before = state(balance: U256(1_000_000_000_000))
        let result = try TransactionProcessor(rules: rules).execute(executable, block: block, state: before)
        let expected = (U256(5_000_000_000) * U256(2_000_000_000) + U256(UInt64(tx.encoded.count)) * U256(3) * U256(400_000_000))
            / U256(1_000_000_000)
        #expect(result.l1Fee == expected)
        #expect(!result.l1Fee.isZero)
        var after = before
        after.apply(result.changes)
        let price = U256(1_010)  // base fee + tip, under the cap
        #expect(try after.account(key.address)?.balance
                == U256(1_000_000_000_000) - U256(1_000_000) - U256(21_048) * price - expected)
        #expect(result.gasUsed == 21_048)
        // Scroll does not burn the base fee: the fee recipient gets all of gas × price and the L1 fee.
        #expect(try after.account(coinbase)?.balance == U256(21_048) * price + expected)
    }

    @Test func theFundsCheckCountsTheL1Fee() throws {
        let rules = EVMRules.scroll(.darwin)
        let tx = try transfer()
        let executable = try #require(ExecutionTransaction(tx, sender: key.address))
        let processor = TransactionProcessor(rules: rules)
        let l1Fee = try processor.l1Fee(executable, state: state(balance: .zero))
        let enoughForGasAndValue = U256(30_000) * U256(2_000) + U256(1_000_000)
        #expect(throws: ExecutionError.insufficientFunds) {
            try processor.execute(executable, block: block, state: state(balance: enoughForGasAndValue + l1Fee - U256(1)))
        }
        #expect(try processor.execute(executable, block: block, state: state(balance: enoughForGasAndValue + l1Fee)).succeeded)
    }

    @Test func noL1FeeUnderEthereumRulesOrForCallsWithoutFees() throws {
        let tx = try transfer()
        var executable = try #require(ExecutionTransaction(tx, sender: key.address))
        #expect(try TransactionProcessor(rules: .cancun).execute(executable, block: block, state: state(balance: U256(1_000_000_000_000))).l1Fee == .zero)
        executable.paysL1Fee = false
        let rules = EVMRules.scroll(.darwin)
        #expect(try TransactionProcessor(rules: rules).l1Fee(executable, state: state(balance: .zero)) == .zero)
    }

    @Test func anUnsignedCallIsMeasuredAsItsSignedSize() throws {
        let tx = try transfer()
        var executable = try #require(ExecutionTransaction(tx, sender: key.address))
        let signedSize = executable.encoded.count
        executable.encoded = []
        // Same fields, a signature of two 32-byte words: the size of the signed envelope, give
        // or take the bytes r and s lose to leading zeros.
        let measured = TransactionProcessor.l1FeeEnvelope(for: executable).count
        #expect(measured >= signedSize && measured <= signedSize + 2)
    }
}
