import Primitives

/// The sequencer's signed statement that it withdrew blocks: "every block I signed above height
/// `toNumber` on top of block `toHash`, up to height `fromNumber` (my head then, `fromHash`), is
/// withdrawn; the chain goes on from `toHash`". Followers take a new block at an already taken
/// height only under such a notice; a second signed block at a height with no notice covering it
/// is evidence of a double sign (docs/followers.md).
///
/// The signed digest is keccak256("rollup-node rollback notice v1" ‖ chain id ‖ toNumber ‖
/// toHash ‖ fromNumber ‖ fromHash), numbers as 8-byte big-endian. No block header hashes to it
/// (a header digest is keccak256 of an RLP list, whose first byte is 0xc0 or above; this preimage
/// starts with "r"), so a notice's signature can never pass for a block's.
public struct RollbackNotice: Sendable, Hashable {
    public var chainID: UInt64
    public var toNumber: UInt64
    public var toHash: Hash32
    public var fromNumber: UInt64
    public var fromHash: Hash32
    /// 65 bytes r ‖ s ‖ v by the authorized signer over `digest`.
    public var signature: [UInt8]

    public init(chainID: UInt64, toNumber: UInt64, toHash: Hash32, fromNumber: UInt64, fromHash: Hash32, signature: [UInt8] = []) {
        self.chainID = chainID; self.toNumber = toNumber; self.toHash = toHash
        self.fromNumber = fromNumber; self.fromHash = fromHash; self.signature = signature
    }

    static let domain = Array("rollup-node rollback notice v1".utf8)

    /// What the signer signs.
    public var digest: Hash32 {
        var bytes = Self.domain
        bytes += ChainDatabase.numberKey(chainID)
        bytes += ChainDatabase.numberKey(toNumber) + toHash.bytes
        bytes += ChainDatabase.numberKey(fromNumber) + fromHash.bytes
        return Keccak.hash256(bytes)
    }

    /// The address the signature recovers to over `digest`, when it is 65 bytes, low s and
    /// v in {0, 1}; nil otherwise.
    public var signer: Address? {
        guard signature.count == 65, let parsed = try? Signature(compact: signature), parsed.isLowS else { return nil }
        return try? Secp256k1.recoverAddress(digest: digest, signature: parsed)
    }

    /// Whether the notice withdraws a chain whose head is `number` and whose block at
    /// `toNumber` is `ancestor`: the head lies above the notice's target and not above the head
    /// it withdrew (and is that head when at its height).
    public func covers(headNumber number: UInt64, headHash: Hash32, ancestorAtTarget ancestor: Hash32?) -> Bool {
        guard number > toNumber, number <= fromNumber, ancestor == toHash else { return false }
        return number < fromNumber || headHash == fromHash
    }

    /// rlp([chainID, toNumber, toHash, fromNumber, fromHash, signature]).
    public var encoded: [UInt8] {
        var w = RLPWriter(capacity: 200)
        w.writeList { w in
            w.write(chainID); w.write(toNumber); w.write(toHash); w.write(fromNumber); w.write(fromHash); w.write(bytes: signature)
        }
        return w.bytes
    }

    public init(encoded bytes: [UInt8]) throws {
        var outer = RLPReader(bytes)
        var r = try outer.readList()
        try outer.finish()
        chainID = try r.readUInt64(); toNumber = try r.readUInt64(); toHash = try r.readHash()
        fromNumber = try r.readUInt64(); fromHash = try r.readHash(); signature = Array(try r.readBytes())
        try r.finish()
    }
}
