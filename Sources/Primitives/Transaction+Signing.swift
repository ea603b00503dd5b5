extension Transaction {
    /// Signs the transaction's signing hash with `key`. L1 messages cannot be signed.
    public func signed(with key: PrivateKey) throws(TransactionError) -> SignedTransaction {
        guard let digest = signingHash else { throw .signatureNotAllowed }
        let signature: Signature
        do { signature = try key.sign(digest: digest) } catch { throw .signingFailed(error) }
        return try SignedTransaction(self, signature: signature)
    }
}
