import Primitives
import Testing
@testable import Execution

/// The L1 data fee against scroll-revm's published vectors (scroll-tech/scroll-revm, commit
/// a1ac004: `src/l1block.rs` test_rollup_fee_galileo, `src/tests/fees.rs` with the oracle
/// values of `src/test_utils.rs`).
struct L1FeeTests {
    /// src/l1block.rs, test_rollup_fee_galileo: 1 gwei fees, exec scalar 2.39, blob scalar 1.02,
    /// penalty factor 10,000; the transaction is longer than every compressed size.
    @Test(arguments: [
        (50, "171557471810"), (100, "344821983141"), (1_024, "3854009072433"),
        (10 * 1_024, "70759382824796"), (1_024 * 1_024, "378961881717079120"),
    ])
    func galileoTable(compressedSize: Int, expected: String) {
        let oracle = L1Fee.OracleValues(l1BaseFee: U256(1_000_000_000), l1BlobBaseFee: U256(1_000_000_000),
                                        commitScalar: U256(2_394_981_796), blobScalar: U256(1_019_097_245),
                                        penaltyFactor: U256(10_000))
        #expect(L1Fee.galileo(oracle: oracle, compressedSize: compressedSize) == U256(decimal: expected)!)
        // Through fee(formula:): min(compressed size, RLP length).
        let rlp = [UInt8](repeating: 1, count: compressedSize + 10)
        #expect(L1Fee.fee(formula: .galileo, oracle: oracle, rlp: rlp, compressedSize: compressedSize) == U256(decimal: expected)!)
        #expect(L1Fee.fee(formula: .galileo, oracle: oracle, rlp: Array(rlp.prefix(compressedSize)),
                          compressedSize: compressedSize + 5) == U256(decimal: expected)!)
    }

    /// src/test_utils.rs: slots 0-6 hold 10,000, slot 7 (blob scalar) 1e9; the RLP is 01010101.
    static let testUtilsOracle = L1Fee.OracleValues(l1BaseFee: U256(10_000), overhead: U256(10_000), scalar: U256(10_000),
                                                    l1BlobBaseFee: U256(10_000), commitScalar: U256(10_000),
                                                    blobScalar: U256(1_000_000_000))

    /// src/tests/fees.rs, test_should_deduct_correct_fees_bernoulli: "21k + 1012".
    @Test func bernoulliFee() {
        #expect(L1Fee.fee(formula: .bernoulli, oracle: Self.testUtilsOracle, rlp: [1, 1, 1, 1]) == U256(1_012))
    }

    /// src/tests/fees.rs, test_should_deduct_correct_fees_curie: "21k + 40k".
    @Test func curieFee() {
        #expect(L1Fee.fee(formula: .curie, oracle: Self.testUtilsOracle, rlp: [1, 1, 1, 1]) == U256(40_000))
    }

    /// src/tests/fees.rs, test_should_deduct_correct_fees_feynman: 100 zero bytes, ratio 5e9 under
    /// the threshold 6e9, so the 2x penalty applies: 6,000; at or above the threshold: 3,000.
    @Test func feynmanFee() {
        var oracle = Self.testUtilsOracle
        oracle.l1BaseFee = U256(1_000_000_000); oracle.l1BlobBaseFee = U256(1_000_000_000)
        oracle.commitScalar = U256(10); oracle.blobScalar = U256(20)
        oracle.penaltyThreshold = U256(6_000_000_000); oracle.penaltyFactor = U256(2_000_000_000)
        let rlp = [UInt8](repeating: 0, count: 100)
        #expect(L1Fee.fee(formula: .feynman, oracle: oracle, rlp: rlp, compressionRatio: U256(5_000_000_000)) == U256(6_000))
        #expect(L1Fee.fee(formula: .feynman, oracle: oracle, rlp: rlp, compressionRatio: U256(6_000_000_000)) == U256(3_000))
        #expect(L1Fee.compressionRatio(length: 100, compressedSize: 20) == U256(5_000_000_000))
    }

    @Test func galileoZeroPenaltyFactorReadsAsOneAndResultsCapAtUInt64() {
        let oracle = L1Fee.OracleValues(l1BaseFee: U256(1), commitScalar: U256(1_000_000_000))
        // fpb = 1e9, c = 10: (1e10 + 1e10·10 / 1) / 1e9 = 110.
        #expect(L1Fee.galileo(oracle: oracle, compressedSize: 10) == U256(110))
        let huge = L1Fee.OracleValues(l1BaseFee: U256(l0: .max, l1: .max, l2: .max, l3: .max), commitScalar: U256(2))
        #expect(L1Fee.galileo(oracle: huge, compressedSize: 10) == U256(UInt64.max))
    }

    @Test func oracleSlotsAreScrollsLayout() {
        #expect(L1GasPriceOracle.address.bytes == [0x53] + [UInt8](repeating: 0, count: 18) + [0x02])
        let values = L1Fee.OracleValues(reading: { $0 * U256(100) })
        #expect(values == L1Fee.OracleValues(l1BaseFee: U256(100), overhead: U256(200), scalar: U256(300),
                                             l1BlobBaseFee: U256(500), commitScalar: U256(600), blobScalar: U256(700),
                                             penaltyThreshold: U256(900), penaltyFactor: U256(1_000)))
    }
}
