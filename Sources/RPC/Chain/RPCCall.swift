import Primitives

/// A message eth_call and eth_estimateGas execute: the request's fields with the gas decided.
public struct RPCCall: Sendable {
    public var from: Address
    public var to: Address?
    public var gas: UInt64
    /// Fee fields as given (nil: none given, so no fee is charged and the base fee is not
    /// checked, as geth's eth_call does).
    public var maxFeePerGas: U256?
    public var maxPriorityFeePerGas: U256?
    public var value: U256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]
    /// Execute in the next block's environment (the "pending" tag) rather than the head's.
    public var pending: Bool
    /// Execute on this stored block's state and in its environment; nil: the head.
    public var block: RPCStateBlock?
    /// eth_call's state and block overrides (third and fourth parameters).
    public var overrides = RPCCallOverrides()
    /// EIP-7702 authorizations (signed), as a type-4 transaction would carry them: applied before
    /// the call, and their gas counted, so eth_estimateGas prices the set-code transaction.
    public var authorizationList: [Authorization] = []

    public init(from: Address, to: Address?, gas: UInt64, maxFeePerGas: U256?, maxPriorityFeePerGas: U256?, value: U256,
                data: [UInt8], accessList: [AccessListEntry], pending: Bool, block: RPCStateBlock? = nil,
                overrides: RPCCallOverrides = RPCCallOverrides()) {
        self.block = block
        self.overrides = overrides
        self.from = from; self.to = to; self.gas = gas; self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas; self.value = value; self.data = data
        self.accessList = accessList; self.pending = pending
    }
}

/// What executing an `RPCCall` gave.
public enum RPCCallOutcome: Sendable, Equatable {
    /// It ran to the end: the return data and the gas used (after refunds).
    case success(output: [UInt8], gasUsed: UInt64)
    /// REVERT: the revert data.
    case reverted(output: [UInt8], gasUsed: UInt64)
    /// An exceptional halt (out of gas, invalid opcode, ...): all gas used.
    case halted(reason: String)
    /// Not executable at all (insufficient funds, fee cap below the base fee, intrinsic gas):
    /// geth's message for it.
    case invalid(String)
}
