import JSON
import Primitives

/// One account's eth_call state override (geth's `OverrideAccount`).
public struct RPCAccountOverride: Sendable, Equatable {
    public var balance: U256?
    public var nonce: UInt64?
    public var code: [UInt8]?
    /// Replaces the whole storage.
    public var state: [Hash32: Hash32]?
    /// Replaces the listed slots.
    public var stateDiff: [Hash32: Hash32] = [:]
}

/// eth_call's block overrides (geth's `BlockOverrides`; older names accepted too).
public struct RPCBlockOverrides: Sendable, Equatable {
    public var number: UInt64?
    public var time: UInt64?
    public var gasLimit: UInt64?
    public var feeRecipient: Address?
    public var baseFeePerGas: U256?
    public var prevRandao: Hash32?
}

/// Both kinds of override of one call.
public struct RPCCallOverrides: Sendable, Equatable {
    public var accounts: [Address: RPCAccountOverride] = [:]
    public var block = RPCBlockOverrides()
    public init() {}

    /// Parses geth's state-override object (`{address: {balance, nonce, code, state, stateDiff}}`).
    mutating func parseState(_ argument: RPCParams.Argument) throws(JSONRPCError) {
        guard !argument.value.isNull else { return }
        let object = try argument.object()
        for member in object {
            let key = member.key, value = member.value
            let address: Address
            do { address = try Address(hex: key) } catch { throw argument.invalid("\(key): not an address (\(error))") }
            guard case .object(let fields) = value else { throw argument.invalid("\(key): expected an object, got \(value.typeName)") }
            var o = RPCAccountOverride()
            for f in fields where !f.value.isNull {
                let field = f.key, v = f.value
                let m = argument.member("\(key).\(field)", v)
                switch field {
                case "balance": o.balance = try m.quantity()
                case "nonce": o.nonce = try m.uint64()
                case "code": o.code = try m.data()
                case "state", "stateDiff":
                    guard case .object(let words) = v else { throw m.invalid("expected an object of slot: value") }
                    var map: [Hash32: Hash32] = [:]
                    for w in words {
                        let slot = try RPCParams.Argument(index: argument.index, value: .string(w.key)).storageSlot()
                        map[slot] = try RPCParams.Argument(index: argument.index, value: w.value).storageSlot()
                    }
                    if field == "state" { o.state = map } else { o.stateDiff = map }
                case "movePrecompileToAddress":
                    throw m.invalid("moving precompiles is not supported")
                default:
                    throw m.invalid("unknown field (known: balance, nonce, code, state, stateDiff)")
                }
            }
            if o.state != nil && !o.stateDiff.isEmpty {
                throw JSONRPCError.invalidParams("account \(address.checksummed) has both 'state' and 'stateDiff'")
            }
            accounts[address] = o
        }
    }

    /// Parses geth's block-override object.
    mutating func parseBlock(_ argument: RPCParams.Argument) throws(JSONRPCError) {
        guard !argument.value.isNull else { return }
        let object = try argument.object()
        for f in object where !f.value.isNull {
            let field = f.key, v = f.value
            let m = argument.member(field, v)
            switch field {
            case "number": block.number = try m.uint64()
            case "time": block.time = try m.uint64()
            case "gasLimit": block.gasLimit = try m.uint64()
            case "feeRecipient", "coinbase": block.feeRecipient = try m.address()
            case "baseFeePerGas", "baseFee": block.baseFeePerGas = try m.quantity()
            case "prevRandao", "random": block.prevRandao = try m.hash()
            case "difficulty", "blobBaseFee": break  // no meaning on this chain (PREVRANDAO is 0, no blobs)
            default: throw m.invalid("unknown field (known: number, time, gasLimit, feeRecipient, baseFeePerGas, prevRandao)")
            }
        }
    }
}
