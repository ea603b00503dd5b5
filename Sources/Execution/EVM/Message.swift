import Primitives

/// One call frame's inputs.
struct Message {
    enum Kind { case call, callCode, delegateCall, staticCall, create, create2 }
    var kind: Kind
    var caller: Address
    /// The account whose storage and balance the code acts on (ADDRESS).
    var target: Address
    /// Whose code runs.
    var codeAddress: Address
    /// CALLVALUE.
    var value: U256
    /// Whether `value` moves from caller to target.
    var transfersValue: Bool
    var input: [UInt8]
    var gas: Int
    var isStatic: Bool
    /// 0 for the transaction's own frame.
    var depth: Int
    /// The code runs through an EIP-7702 delegation: a delegate that is a precompile's address
    /// runs that address's (empty) code, not the precompile.
    var disablesPrecompiles = false
}
