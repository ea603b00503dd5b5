import Primitives

/// What the EVM needs from the transaction while it runs (ORIGIN, GASPRICE, BLOBHASH).
struct TransactionContext {
    var origin: Address
    var gasPrice: U256
    var blobHashes: [Hash32]
    var blobBaseFee: U256
}
