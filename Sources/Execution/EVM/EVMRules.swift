import Primitives

/// A rule set (a fork) as a value: which opcodes exist, what they cost, which precompiles
/// exist and how fees are paid. The interpreter reads these fields; it has no fork conditionals.
///
/// `EVMRules.cancun` is Ethereum mainnet's Cancun. Scroll's forks are further values of this
/// type (SELFDESTRUCT disabled, PREVRANDAO zero, their own BLOCKHASH, CLZ, ...).
public struct EVMRules: Sendable {
    public var name: String

    /// Opcodes that exist; any other byte is an invalid instruction (consumes all gas).
    public var validOpcodes: [Bool]
    /// Static gas per opcode, charged before the instruction runs.
    public var staticGas: [UInt32]

    // Gas constants (EIP-2929, EIP-2200/3529, EIP-150, EIP-3860, ...).
    public var coldAccountAccessGas: Int = 2_600
    public var coldSloadGas: Int = 2_100
    public var warmStorageReadGas: Int = 100
    public var sstoreSetGas: Int = 20_000
    public var sstoreResetGas: Int = 2_900
    public var sstoreClearsRefund: Int = 4_800
    public var sstoreSentryGas: Int = 2_300
    public var callValueTransferGas: Int = 9_000
    public var callStipend: Int = 2_300
    public var newAccountGas: Int = 25_000
    public var selfDestructGas: Int = 5_000
    public var createGas: Int = 32_000
    public var codeDepositGasPerByte: Int = 200
    public var initCodeWordGas: Int = 2
    public var keccakWordGas: Int = 6
    public var copyWordGas: Int = 3
    public var expByteGas: Int = 50
    public var logGas: Int = 375
    public var logTopicGas: Int = 375
    public var logDataGas: Int = 8
    public var memoryWordGas: Int = 3
    public var memoryQuadraticDivisor: Int = 512
    /// The largest refund as a fraction of gas used: gasUsed / refundQuotient (EIP-3529).
    public var refundQuotient: UInt64 = 5

    public var maxCodeSize: Int = 24_576
    public var maxInitCodeSize: Int = 49_152
    public var maxCallDepth: Int = 1_024
    /// Deployed code may not start with 0xEF (EIP-3541).
    public var rejectsEFCodePrefix = true

    /// SELFDESTRUCT semantics.
    public enum SelfDestructRule: Sendable {
        /// EIP-6780: only accounts created in the same transaction are deleted; others just send their balance.
        case sameTransactionOnly
        /// The opcode is not activated (Scroll): it is an invalid instruction.
        case disabled
    }
    public var selfDestruct: SelfDestructRule = .sameTransactionOnly

    /// What PREVRANDAO (0x44) pushes.
    public enum PrevRandaoRule: Sendable { case blockRandom, zero }
    public var prevRandao: PrevRandaoRule = .blockRandom

    /// What BLOCKHASH (0x40) returns.
    public enum BlockHashRule: Sendable, Equatable {
        /// The block environment's hash for the last 256 blocks.
        case recentBlocks
        /// keccak256(chainID as 8 bytes BE ‖ number as 8 bytes BE) (Scroll before Feynman).
        case chainIDAndNumber
        /// EIP-2935's history contract: storage slot `number % window` of `contract`, written by
        /// the pre-block system update (Scroll from Feynman). The lookback stays 256 blocks, and
        /// the read warms the contract and the slot as an SLOAD would (scroll-revm
        /// `src/instructions.rs`: `load_account_delegated` then `sload`).
        case historyStorage(contract: Address, window: UInt64)
    }
    public var blockHash: BlockHashRule = .recentBlocks

    /// Precompiles by address (the addresses are also warm from the start, EIP-2929).
    public var precompiles: [Address: PrecompileFunction]
    /// Precompile addresses that exist under these rules, implemented or not.
    public var precompileAddresses: [Address]

    // Transaction-level rules.
    /// The base fee is burnt (Ethereum); false: the fee recipient gets the full gas price.
    public var burnsBaseFee = true
    /// EIP-7702 set-code transactions (type 4) and delegation designators (Prague; Scroll from
    /// Euclid). Off: type-4 transactions are refused and 0xef0100 code is just code.
    public var supportsSetCodeTransactions = false
    /// Blob transactions (EIP-4844) are accepted.
    public var supportsBlobTransactions = true
    public var blobGasPerBlob: UInt64 = 131_072
    public var maxBlobGasPerBlock: UInt64 = 786_432
    public var blobBaseFeeUpdateFraction: UInt64 = 3_338_477
    public var minBlobBaseFee: UInt64 = 1
    /// Intrinsic gas.
    public var transactionGas: UInt64 = 21_000
    public var transactionCreateGas: UInt64 = 53_000
    public var txDataZeroGas: UInt64 = 4
    public var txDataNonZeroGas: UInt64 = 16
    public var accessListAddressGas: UInt64 = 2_400
    public var accessListStorageKeyGas: UInt64 = 1_900
    /// EIP-7623 calldata floor: when set, a transaction pays at least
    /// transactionGas + this × (zero bytes + 4 × nonzero bytes) (10 from Prague; Scroll from Feynman).
    public var calldataFloorGasPerToken: UInt64?
    /// Scroll's L1 data fee: when set, every user transaction also pays the fee of this formula
    /// over its signed envelope, read from the L1GasPriceOracle's storage (`L1Fee`), to the fee
    /// recipient. nil: no L1 fee (Ethereum's rules).
    public var l1FeeFormula: L1Fee.Formula?

    public init(name: String, validOpcodes: [Bool], staticGas: [UInt32], precompileAddresses: [Address],
                precompiles: [Address: PrecompileFunction]) {
        precondition(validOpcodes.count == 256 && staticGas.count == 256)
        self.name = name; self.validOpcodes = validOpcodes; self.staticGas = staticGas
        self.precompileAddresses = precompileAddresses; self.precompiles = precompiles
    }

    /// The address 0x00…0n.
    public static func precompileAddress(_ n: UInt8) -> Address {
        var bytes = [UInt8](repeating: 0, count: 20); bytes[19] = n; return Address(bytes)
    }

    public func isPrecompile(_ address: Address) -> Bool { precompiles[address] != nil || precompileAddresses.contains(address) }
}

extension EVMRules {
    /// Ethereum mainnet Cancun.
    public static let cancun: EVMRules = {
        var valid = [Bool](repeating: false, count: 256)
        var gas = [UInt32](repeating: 0, count: 256)
        func set(_ ops: ClosedRange<Int>, _ g: UInt32) { for op in ops { valid[op] = true; gas[op] = g } }
        set(0x00...0x00, 0)
        set(0x01...0x01, 3); set(0x02...0x02, 5); set(0x03...0x03, 3); set(0x04...0x07, 5)
        set(0x08...0x09, 8); set(0x0a...0x0a, 10); set(0x0b...0x0b, 5)
        set(0x10...0x1d, 3)
        set(0x20...0x20, 30)
        set(0x30...0x30, 2); set(0x31...0x31, 0); set(0x32...0x34, 2); set(0x35...0x35, 3); set(0x36...0x36, 2)
        set(0x37...0x37, 3); set(0x38...0x38, 2); set(0x39...0x39, 3); set(0x3a...0x3a, 2); set(0x3b...0x3c, 0)
        set(0x3d...0x3d, 2); set(0x3e...0x3e, 3); set(0x3f...0x3f, 0)
        set(0x40...0x40, 20); set(0x41...0x46, 2); set(0x47...0x47, 5); set(0x48...0x48, 2); set(0x49...0x49, 3)
        set(0x4a...0x4a, 2)
        set(0x50...0x50, 2); set(0x51...0x53, 3); set(0x54...0x55, 0); set(0x56...0x56, 8); set(0x57...0x57, 10)
        set(0x58...0x5a, 2); set(0x5b...0x5b, 1); set(0x5c...0x5d, 100); set(0x5e...0x5e, 3); set(0x5f...0x5f, 2)
        set(0x60...0x9f, 3)
        set(0xa0...0xa4, 375)
        set(0xf0...0xf0, 32_000); set(0xf1...0xf2, 0); set(0xf3...0xf3, 0); set(0xf4...0xf4, 0)
        set(0xf5...0xf5, 32_000); set(0xfa...0xfa, 0); set(0xfd...0xfd, 0); set(0xff...0xff, 5_000)
        gas[0xa1] = 750; gas[0xa2] = 1_125; gas[0xa3] = 1_500; gas[0xa4] = 1_875
        let addresses = (1...10).map { precompileAddress(UInt8($0)) }
        return EVMRules(name: "Cancun", validOpcodes: valid, staticGas: gas, precompileAddresses: addresses,
                        precompiles: PrecompileTable.available)
    }()
}
