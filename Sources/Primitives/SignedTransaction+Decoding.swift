extension SignedTransaction {
    /// Decodes an EIP-2718 envelope strictly: a legacy RLP list, or a type byte (0x01, 0x02,
    /// 0x04, 0x7E) followed by exactly one RLP list. Rejects unknown types, trailing bytes, wrong
    /// field counts, non-canonical or over-wide integers (nonce and gas limit over 64 bits,
    /// amounts over 256), r or s outside [1, n-1], legacy v other than 27, 28 or >= 35, y parity
    /// other than 0 or 1, and L1 messages without a recipient.
    ///
    /// Decoding does not recover the sender or check gas; see `validate(chainID:)`. Because
    /// every accepted form is canonical, `encoded` is `bytes` unchanged.
    public init(encoded bytes: [UInt8]) throws(TransactionError) {
        guard let first = bytes.first else { throw .emptyInput }
        switch first {
        case 0xc0...:
            let (tx, signature) = try LegacyTransaction.decode(bytes)
            self.init(transaction: .legacy(tx), signature: signature, encoded: bytes)
        case 0x80..<0xc0:
            // An RLP string where a legacy list or a type byte belongs.
            throw .invalidRLP(.expectedList)
        case TransactionType.accessList.rawValue:
            let (tx, signature) = try AccessListTransaction.decode(payload: Array(bytes.dropFirst()))
            self.init(transaction: .accessList(tx), signature: signature, encoded: bytes)
        case TransactionType.dynamicFee.rawValue:
            let (tx, signature) = try DynamicFeeTransaction.decode(payload: Array(bytes.dropFirst()))
            self.init(transaction: .dynamicFee(tx), signature: signature, encoded: bytes)
        case TransactionType.setCode.rawValue:
            let (tx, signature) = try SetCodeTransaction.decode(payload: Array(bytes.dropFirst()))
            self.init(transaction: .setCode(tx), signature: signature, encoded: bytes)
        case TransactionType.l1Message.rawValue:
            let tx = try L1MessageTransaction.decode(payload: Array(bytes.dropFirst()))
            self.init(transaction: .l1Message(tx), signature: nil, encoded: bytes)
        default:
            throw .unsupportedType(first)
        }
    }

    /// Decodes `0x`-prefixed hex (as `eth_sendRawTransaction` receives it).
    public init(hex: some StringProtocol) throws(TransactionError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw .invalidHex(error) }
        try self.init(encoded: bytes)
    }
}
