import Primitives

/// geth's eth_call overrides: per-account state overrides (third parameter) and block
/// overrides (fourth), applied to the call only.
public struct CallOverrides: Sendable, Equatable {
    public var accounts: [Address: AccountOverride]
    public var block: BlockOverrides

    public init(accounts: [Address: AccountOverride] = [:], block: BlockOverrides = BlockOverrides()) {
        self.accounts = accounts
        self.block = block
    }
}

/// One account's override: each given field replaces the account's; `state` replaces its
/// whole storage (unlisted slots read zero), `stateDiff` only the listed slots.
public struct AccountOverride: Sendable, Equatable {
    public var balance: U256?
    public var nonce: UInt64?
    public var code: [UInt8]?
    public var state: [U256: U256]?
    public var stateDiff: [U256: U256]

    public init(balance: U256? = nil, nonce: UInt64? = nil, code: [UInt8]? = nil, state: [U256: U256]? = nil,
                stateDiff: [U256: U256] = [:]) {
        self.balance = balance; self.nonce = nonce; self.code = code; self.state = state; self.stateDiff = stateDiff
    }
}

/// geth's block overrides: the environment the call sees (NUMBER, TIMESTAMP, GASLIMIT,
/// COINBASE, BASEFEE, PREVRANDAO).
public struct BlockOverrides: Sendable, Equatable {
    public var number: UInt64?
    public var timestamp: UInt64?
    public var gasLimit: UInt64?
    public var coinbase: Address?
    public var baseFee: U256?
    public var prevRandao: Hash32?

    public init(number: UInt64? = nil, timestamp: UInt64? = nil, gasLimit: UInt64? = nil, coinbase: Address? = nil,
                baseFee: U256? = nil, prevRandao: Hash32? = nil) {
        self.number = number; self.timestamp = timestamp; self.gasLimit = gasLimit; self.coinbase = coinbase
        self.baseFee = baseFee; self.prevRandao = prevRandao
    }
}
