import Primitives
import Testing
import TestSupport
@testable import Execution

/// Scroll's zstd settings against scroll-tech/reth's shared Go/Rust compression vectors
/// (crates/scroll/alloy/evm/src/tx/compression.rs, commit 7c14012, test_compression: calldata of
/// scrollscan.com transactions with their ratios and compressed sizes).
struct ScrollCompressionTests {
    static func hex(_ s: String) -> [UInt8] { try! Fixtures.bytes(s) }

    @Test func ratiosMatchScrollReth() {
        #expect(ScrollCompression.compressionRatio([]) == U256(l0: .max, l1: .max, l2: .max, l3: .max))
        // scr-transfer: 1.387755102x.
        let transfer = Self.hex("a9059cbb000000000000000000000000687b50a70d33d71f9a82dd330b8c091e4d77250800000000000000000000000000000000000000000000000ac96dda943e512bb9")
        #expect(ScrollCompression.compressionRatio(transfer) == U256(1_387_755_102))
        #expect(ScrollCompression.compressedSize(transfer) == 49)
        #expect(ScrollCompression.compressedSize([]) == 0)
        // uniswap-swap: 2.620689655x.
        let uniswap = Self.hex("5023b4df00000000000000000000000006efdbff2a14a7c8e15944d1f4a48f9f95f663a4000000000000000000000000530000000000000000000000000000000000000400000000000000000000000000000000000000000000000000000000000001f4000000000000000000000000485ca81b70255da2fe3fd0814b57d1b08fce784e000000000000000000000000000000000000000000000000006a94d74f43000000000000000000000000000000000000000000000000000000000000045af6750000000000000000000000000000000000000000000000000000000000000000")
        #expect(ScrollCompression.compressionRatio(uniswap) == U256(2_620_689_655))
        #expect(ScrollCompression.compressedSize(uniswap) == 87)
        // etherfi-deposit: 1.788944723x.
        let etherfi = Self.hex("63baa26000000000000000000000000077a7e3215a621a9935d32a046212ebfcffa3bff900000000000000000000000006efdbff2a14a7c8e15944d1f4a48f9f95f663a400000000000000000000000008c6f91e2b681faf5e17227f2a44c307b3c1364c0000000000000000000000000000000000000000000000000000000002d4cae000000000000000000000000000000000000000000000000000000000028f7f83000000000000000000000000249e3fa81d73244f956ecd529715323b6d02f24b00000000000000000000000000000000000000000000000000000000000000e00000000000000000000000000000000000000000000000000000000000000041a95314c3a11f86cc673f2afd60d27f559cb2edcc0da5af030adffc97f9a5edc3314efbadd32878e289017f644a4afa365da5367fefe583f7c4ff0c6047e2c1ff1b00000000000000000000000000000000000000000000000000000000000000")
        #expect(ScrollCompression.compressionRatio(etherfi) == U256(1_788_944_723))
        #expect(ScrollCompression.compressedSize(etherfi) == 199)
        // etherfi-stargate: incompressible, ratio 1x, size 36 (the input's own length).
        let stargate = Self.hex("5988e7a1000000000000000000000000388325dd7c76e37cfda1ed6d8a97849a46b5512a")
        #expect(ScrollCompression.compressionRatio(stargate) == U256(1_000_000_000))
        #expect(ScrollCompression.compressedSize(stargate) == 36)
        #expect(ScrollCompression.zstdSize(stargate) >= 36)
    }

    @Test func compressedSizeIsNeverAboveUsefulAndFeedsGalileo() {
        let random: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
        let size = ScrollCompression.compressedSize(random)
        #expect(size > 0)
        let oracle = L1Fee.OracleValues(l1BaseFee: U256(1_000_000_000), l1BlobBaseFee: U256(1_000_000_000),
                                        commitScalar: U256(2_394_981_796), blobScalar: U256(1_019_097_245),
                                        penaltyFactor: U256(10_000))
        #expect(L1Fee.fee(formula: .galileo, oracle: oracle, rlp: random, compressedSize: size)
                == L1Fee.galileo(oracle: oracle, compressedSize: min(size, random.count)))
        #expect(ScrollCompression.compressedSize([UInt8](repeating: 0, count: 10_000)) < 100)
    }
}
