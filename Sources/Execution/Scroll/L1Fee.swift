import Primitives

/// Scroll's L1 data fee: what every L2 user transaction pays, on top of gas, for its data on L1.
///
/// Pure functions of the L1GasPriceOracle's storage (`L1GasPriceOracle` slots) and the signed
/// transaction's size, written from scroll-tech/scroll-revm `src/l1block.rs` (commit a1ac004):
/// multiplications and additions saturate at 2^256 - 1, divisions round down, and the result is
/// capped at 2^64 - 1. L1 messages pay no L1 fee (the caller does not ask).
public enum L1Fee {
    /// Scalars, the compression ratio and the Feynman penalty are scaled by 1e9.
    public static let precision = U256(1_000_000_000)
    /// Pre-Curie: the extra L1 gas of committing a transaction.
    public static let commitExtraGas = U256(64)

    /// The formula of a fork.
    public enum Formula: Sendable, Equatable {
        /// Before Curie (Bernoulli): L1 calldata gas of the RLP (4 per zero byte, 16 per other) plus
        /// overhead plus 64, times l1BaseFee times scalar, / 1e9.
        case bernoulli
        /// Curie and Darwin, Euclid: (commitScalar·l1BaseFee + len·l1BlobBaseFee·blobScalar) / 1e9.
        case curie
        /// Feynman: len·(execScalar·l1BaseFee + blobScalar·l1BlobBaseFee)·penalty / 1e9 / 1e9, with
        /// penalty 1e9 when the compression ratio reaches the threshold, else the penalty factor.
        case feynman
        /// Galileo: with fpb = execScalar·l1BaseFee + blobScalar·l1BlobBaseFee and c the
        /// compressed size: (fpb·c + fpb·c·c / penaltyFactor) / 1e9 (a penalty factor of 0 reads as 1).
        case galileo
    }

    /// The oracle's values (storage slots of 0x5300000000000000000000000000000000000002).
    public struct OracleValues: Sendable, Equatable {
        public var l1BaseFee: U256
        public var overhead: U256
        public var scalar: U256
        public var l1BlobBaseFee: U256
        /// Slot 6: the commit scalar (Curie) or exec scalar (from Feynman).
        public var commitScalar: U256
        /// Slot 7: the blob scalar (compressed blob scalar from Feynman).
        public var blobScalar: U256
        public var penaltyThreshold: U256
        public var penaltyFactor: U256

        public init(l1BaseFee: U256 = .zero, overhead: U256 = .zero, scalar: U256 = .zero,
                    l1BlobBaseFee: U256 = .zero, commitScalar: U256 = .zero, blobScalar: U256 = .zero,
                    penaltyThreshold: U256 = .zero, penaltyFactor: U256 = .zero) {
            self.l1BaseFee = l1BaseFee; self.overhead = overhead; self.scalar = scalar
            self.l1BlobBaseFee = l1BlobBaseFee; self.commitScalar = commitScalar; self.blobScalar = blobScalar
            self.penaltyThreshold = penaltyThreshold; self.penaltyFactor = penaltyFactor
        }

        /// Reads the slots through `storage(slot)` (the caller's state at the oracle's address).
        public init(reading storage: (U256) throws -> U256) rethrows {
            typealias S = L1GasPriceOracle
            self.init(l1BaseFee: try storage(S.l1BaseFeeSlot), overhead: try storage(S.overheadSlot),
                      scalar: try storage(S.scalarSlot), l1BlobBaseFee: try storage(S.l1BlobBaseFeeSlot),
                      commitScalar: try storage(S.commitScalarSlot), blobScalar: try storage(S.blobScalarSlot),
                      penaltyThreshold: try storage(S.penaltyThresholdSlot), penaltyFactor: try storage(S.penaltyFactorSlot))
        }
    }

    /// The L1 fee in wei of a transaction whose signed RLP (EIP-2718 envelope) is `rlp`.
    /// `compressedSize` (Galileo) is the zstd-compressed size of the RLP as Scroll compresses it;
    /// the formula uses min(compressedSize, rlp.count). `compressionRatio` (Feynman) is
    /// size / compressed size scaled by 1e9 (at least 1e9) of the transaction's calldata, not
    /// its RLP (scroll-tech/reth computes Feynman's ratio over the payload and Galileo's size over
    /// the RLP); `ScrollCompression` computes both.
    public static func fee(formula: Formula, oracle: OracleValues, rlp: [UInt8],
                           compressedSize: Int? = nil, compressionRatio: U256? = nil) -> U256 {
        switch formula {
        case .bernoulli:
            var gas: UInt64 = 0
            for byte in rlp { gas += byte == 0 ? 4 : 16 }
            return bernoulli(oracle: oracle, calldataGas: gas)
        case .curie:
            return curie(oracle: oracle, length: rlp.count)
        case .feynman:
            return feynman(oracle: oracle, length: rlp.count, compressionRatio: compressionRatio ?? precision)
        case .galileo:
            return galileo(oracle: oracle, compressedSize: Swift.min(compressedSize ?? rlp.count, rlp.count))
        }
    }

    /// Before Curie, over the RLP's calldata gas (4 per zero byte, 16 per other byte).
    public static func bernoulli(oracle o: OracleValues, calldataGas: UInt64) -> U256 {
        let gas = sadd(sadd(U256(calldataGas), o.overhead), commitExtraGas)
        return cap(smul(smul(gas, o.l1BaseFee), o.scalar) / precision)
    }

    public static func curie(oracle o: OracleValues, length: Int) -> U256 {
        let calldataGas = smul(o.commitScalar, o.l1BaseFee)
        let blobGas = smul(smul(U256(UInt64(length)), o.l1BlobBaseFee), o.blobScalar)
        return cap(sadd(calldataGas, blobGas) / precision)
    }

    public static func feynman(oracle o: OracleValues, length: Int, compressionRatio: U256) -> U256 {
        let feePerByte = sadd(smul(o.commitScalar, o.l1BaseFee), smul(o.blobScalar, o.l1BlobBaseFee))
        let penalty = compressionRatio >= o.penaltyThreshold ? precision : o.penaltyFactor
        return cap(smul(smul(U256(UInt64(length)), feePerByte), penalty) / precision / precision)
    }

    /// `compressedSize` is already min(zstd size, RLP length).
    public static func galileo(oracle o: OracleValues, compressedSize: Int) -> U256 {
        let c = U256(UInt64(compressedSize))
        let penaltyFactor = o.penaltyFactor.isZero ? U256(1) : o.penaltyFactor
        let feePerByte = sadd(smul(o.commitScalar, o.l1BaseFee), smul(o.blobScalar, o.l1BlobBaseFee))
        let base = smul(feePerByte, c)
        let penalty = smul(base, c) / penaltyFactor
        return cap(sadd(base, penalty) / precision)
    }

    /// Feynman's compression ratio: length·1e9 / compressedSize (compressedSize 0 counts as 1).
    public static func compressionRatio(length: Int, compressedSize: Int) -> U256 {
        smul(U256(UInt64(length)), precision) / U256(UInt64(Swift.max(compressedSize, 1)))
    }

    static func smul(_ a: U256, _ b: U256) -> U256 {
        let (v, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? U256(l0: .max, l1: .max, l2: .max, l3: .max) : v
    }

    static func sadd(_ a: U256, _ b: U256) -> U256 {
        let (v, overflow) = a.addingReportingOverflow(b)
        return overflow ? U256(l0: .max, l1: .max, l2: .max, l3: .max) : v
    }

    static func cap(_ v: U256) -> U256 { Swift.min(v, U256(UInt64.max)) }
}

/// Scroll's L1GasPriceOracle predeploy and its storage layout (scroll-revm `src/l1block.rs`).
public enum L1GasPriceOracle {
    public static let address = Address([0x53] + [UInt8](repeating: 0, count: 18) + [0x02])
    public static let l1BaseFeeSlot = U256(1)
    public static let overheadSlot = U256(2)
    public static let scalarSlot = U256(3)
    public static let l1BlobBaseFeeSlot = U256(5)
    /// The commit scalar (Curie), reused as the exec scalar from Feynman.
    public static let commitScalarSlot = U256(6)
    /// The blob scalar, reused as the compressed blob scalar from Feynman.
    public static let blobScalarSlot = U256(7)
    public static let penaltyThresholdSlot = U256(9)
    public static let penaltyFactorSlot = U256(10)
}
