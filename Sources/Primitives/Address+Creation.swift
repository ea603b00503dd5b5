/// Addresses of created contracts.
extension Address {
    /// CREATE's address, and a creation transaction's: keccak256(rlp([sender, nonce]))[12...].
    public static func created(by sender: Address, nonce: UInt64) -> Address {
        var w = RLPWriter(capacity: 32)
        w.writeList { w in w.write(sender); w.write(nonce) }
        return Address(Keccak.hash256(w.bytes).bytes[12...])
    }
}
