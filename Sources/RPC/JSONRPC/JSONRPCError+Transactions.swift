extension JSONRPCError {
    /// Why a transaction was refused, in geth's wording (clients match on these prefixes).
    public enum TransactionRejection: String, Sendable, CaseIterable {
        case nonceTooLow = "nonce too low"
        case nonceTooHigh = "nonce too high"
        case insufficientFunds = "insufficient funds for gas * price + value"
        case alreadyKnown = "already known"
        case replacementUnderpriced = "replacement transaction underpriced"
        case underpriced = "transaction underpriced"
        case intrinsicGasTooLow = "intrinsic gas too low"
        case exceedsBlockGasLimit = "exceeds block gas limit"
        case invalidChainID = "invalid chain id"
        case invalidSender = "invalid sender"
        case feeCapTooLow = "max fee per gas less than block base fee"
        case tipAboveFeeCap = "max priority fee per gas higher than max fee per gas"
        case oversizedData = "oversized data"
    }

    /// -32000 with geth's wording, optionally followed by `: detail`
    /// (e.g. `nonce too low: address 0x..., tx: 0 state: 3`).
    public static func rejected(_ reason: TransactionRejection, detail: String? = nil) -> JSONRPCError {
        server(detail.map { "\(reason.rawValue): \($0)" } ?? reason.rawValue)
    }
}
