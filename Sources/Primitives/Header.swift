/// A block header: the 15 pre-London fields, then baseFeePerGas (London) and the optional fields
/// later forks appended (withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconBlockRoot,
/// requestsHash).
///
/// Scroll-style blocks use the 16 London fields (see the protocol notes, "Blocks"); the later
/// fields are modelled so that Ethereum test blocks decode, re-encode byte for byte and hash
/// correctly. The optional fields are a prefix: a field may only be present if every field before
/// it is.
public struct Header: Hashable, Sendable {
    public var parentHash: Hash32
    /// Always `Hash32.emptyOmmersHash` on a rollup.
    public var ommersHash: Hash32
    /// The fee recipient.
    public var beneficiary: Address
    public var stateRoot: Hash32
    public var transactionsRoot: Hash32
    public var receiptsRoot: Hash32
    public var logsBloom: Bloom
    public var difficulty: U256
    public var number: UInt64
    public var gasLimit: UInt64
    public var gasUsed: UInt64
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64
    public var extraData: [UInt8]
    public var mixHash: Hash32
    /// Encoded as exactly 8 bytes, big-endian.
    public var nonce: UInt64
    /// London (EIP-1559); nil for older headers.
    public var baseFeePerGas: U256?
    /// Shanghai (EIP-4895).
    public var withdrawalsRoot: Hash32?
    /// Cancun (EIP-4844).
    public var blobGasUsed: UInt64?
    /// Cancun (EIP-4844).
    public var excessBlobGas: UInt64?
    /// Cancun (EIP-4788).
    public var parentBeaconBlockRoot: Hash32?
    /// Prague (EIP-7685).
    public var requestsHash: Hash32?

    public init(
        parentHash: Hash32,
        ommersHash: Hash32 = .emptyOmmersHash,
        beneficiary: Address,
        stateRoot: Hash32,
        transactionsRoot: Hash32 = .emptyTrieRoot,
        receiptsRoot: Hash32 = .emptyTrieRoot,
        logsBloom: Bloom = .empty,
        difficulty: U256 = .zero,
        number: UInt64,
        gasLimit: UInt64,
        gasUsed: UInt64 = 0,
        timestamp: UInt64,
        extraData: [UInt8] = [],
        mixHash: Hash32 = .zero,
        nonce: UInt64 = 0,
        baseFeePerGas: U256?,
        withdrawalsRoot: Hash32? = nil,
        blobGasUsed: UInt64? = nil,
        excessBlobGas: UInt64? = nil,
        parentBeaconBlockRoot: Hash32? = nil,
        requestsHash: Hash32? = nil
    ) {
        self.parentHash = parentHash
        self.ommersHash = ommersHash
        self.beneficiary = beneficiary
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.logsBloom = logsBloom
        self.difficulty = difficulty
        self.number = number
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.timestamp = timestamp
        self.extraData = extraData
        self.mixHash = mixHash
        self.nonce = nonce
        self.baseFeePerGas = baseFeePerGas
        self.withdrawalsRoot = withdrawalsRoot
        self.blobGasUsed = blobGasUsed
        self.excessBlobGas = excessBlobGas
        self.parentBeaconBlockRoot = parentBeaconBlockRoot
        self.requestsHash = requestsHash
    }
}
