/// Reads the fields of one transaction list, tagging every RLP error with the field it hit.
struct TransactionFieldReader {
    var reader: RLPReader

    /// Opens the single list that must span `bytes` and checks its field count.
    init(_ bytes: [UInt8], type: TransactionType, fieldCount: Int) throws(TransactionError) {
        var outer = RLPReader(bytes)
        do {
            reader = try outer.readList()
            try outer.finish()
        } catch { throw .invalidRLP(error) }
        let count: Int
        do { count = try reader.remainingCount() } catch { throw .invalidRLP(error) }
        guard count == fieldCount else { throw .wrongFieldCount(type: type, expected: fieldCount, actual: count) }
    }

    mutating func uint64(_ field: TransactionField) throws(TransactionError) -> UInt64 {
        do { return try reader.readUInt64() } catch { throw .invalidField(field, error) }
    }

    mutating func u256(_ field: TransactionField) throws(TransactionError) -> U256 {
        do { return try reader.readU256() } catch { throw .invalidField(field, error) }
    }

    mutating func address(_ field: TransactionField) throws(TransactionError) -> Address {
        do { return try reader.readAddress() } catch { throw .invalidField(field, error) }
    }

    mutating func optionalAddress(_ field: TransactionField) throws(TransactionError) -> Address? {
        do { return try reader.readOptionalAddress() } catch { throw .invalidField(field, error) }
    }

    mutating func bytes(_ field: TransactionField) throws(TransactionError) -> [UInt8] {
        do { return Array(try reader.readBytes()) } catch { throw .invalidField(field, error) }
    }

    mutating func accessList() throws(TransactionError) -> [AccessListEntry] {
        do { return try AccessListEntry.read(from: &reader) } catch { throw .invalidField(.accessList, error) }
    }

    mutating func authorizationList() throws(TransactionError) -> [Authorization] {
        do { return try Authorization.read(from: &reader) } catch { throw .invalidField(.authorizationList, error) }
    }

    /// y parity, r and s of a typed transaction.
    mutating func typedSignature() throws(TransactionError) -> Signature {
        let yParity = try uint64(.yParity)
        let r = try u256(.r), s = try u256(.s)
        guard yParity <= 1, Signature.isInRange(r), Signature.isInRange(s) else { throw .invalidSignatureValues }
        return Signature(uncheckedR: r, s: s, v: UInt8(yParity))
    }
}
