extension SignedTransaction {
    /// The sender: recovered from the signature, which must be low-s (EIP-2); for an L1
    /// message, its `sender` field.
    public func recoverSender() throws(TransactionError) -> Address {
        guard let signature else {
            guard case .l1Message(let message) = transaction else { throw .invalidSender }
            return message.sender
        }
        guard signature.isLowS, let digest = transaction.signingHash else { throw .invalidSender }
        do { return try Secp256k1.recoverAddress(digest: digest, signature: signature) } catch { throw .invalidSender }
    }

    /// Stateless checks under Cancun rules for a chain: chain ID (typed and EIP-155
    /// transactions; unprotected legacy ones pass), nonce below 2^64-1 (EIP-2681), gas limit
    /// times fee cap within 256 bits, fee cap not below the tip (EIP-1559), initcode size
    /// (EIP-3860), gas limit covering the intrinsic gas, and a recoverable low-s signature
    /// (EIP-2). Returns the sender.
    ///
    /// For an L1 message only the gas check applies (its chain, fees and sender come from L1).
    @discardableResult
    public func validate(chainID: UInt64) throws(TransactionError) -> Address {
        let tx = transaction
        if let txChainID = tx.chainID, txChainID != chainID {
            throw .invalidChainID(expected: chainID, actual: txChainID)
        }
        if tx.nonce == .max { throw .nonceMax }
        if U256(tx.gasLimit).multipliedReportingOverflow(by: tx.maxFeePerGas).overflow { throw .gasFeeOverflow }
        if tx.maxPriorityFeePerGas > tx.maxFeePerGas {
            throw .tipAboveFeeCap(maxPriorityFeePerGas: tx.maxPriorityFeePerGas, maxFeePerGas: tx.maxFeePerGas)
        }
        if tx.isContractCreation, tx.data.count > Transaction.maxInitCodeSize {
            throw .initCodeTooLarge(size: tx.data.count, limit: Transaction.maxInitCodeSize)
        }
        let required = tx.intrinsicGas
        if tx.gasLimit < required { throw .intrinsicGasTooLow(gasLimit: tx.gasLimit, required: required) }
        return try recoverSender()
    }
}
