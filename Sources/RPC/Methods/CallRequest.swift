import Primitives

/// The transaction object of eth_call and eth_estimateGas (geth's `TransactionArgs`).
///
/// Numeric fields are strict hex quantities, as geth requires, except `type` and `chainId`,
/// which may also be JSON integers (web3.py sends `"type": 2`). `type` is checked for form
/// only and otherwise ignored, as geth ignores it: the fee fields decide the pricing.
/// `data` and `input` are synonyms (equal when both are sent). Members set to `null` count as
/// absent; unknown members are ignored, as geth does.
struct CallRequest: Sendable, Equatable {
    var from: Address?
    var to: Address?
    var gas: UInt64?
    var gasPrice: U256?
    var maxFeePerGas: U256?
    var maxPriorityFeePerGas: U256?
    var value: U256 = .zero
    var data: [UInt8] = []
    var nonce: UInt64?
    var type: UInt64?
    var chainID: UInt64?
    var accessList: [AccessListEntry] = []
    /// EIP-7702's signed authorizations ({chainId, address, nonce, yParity, r, s}, geth's).
    var authorizationList: [Authorization] = []

    init(_ argument: RPCParams.Argument) throws(JSONRPCError) {
        let object = try argument.object()
        func member(_ key: String) -> RPCParams.Member? {
            guard let value = object[key], !value.isNull else { return nil }
            return argument.member(key, value)
        }
        from = try member("from")?.address()
        to = try member("to")?.address()
        gas = try member("gas")?.uint64()
        gasPrice = try member("gasPrice")?.quantity()
        maxFeePerGas = try member("maxFeePerGas")?.quantity()
        maxPriorityFeePerGas = try member("maxPriorityFeePerGas")?.quantity()
        value = try member("value")?.quantity() ?? .zero
        nonce = try member("nonce")?.uint64()
        type = try member("type")?.flexibleUInt64()
        chainID = try member("chainId")?.flexibleUInt64()
        let data = try member("data")?.data()
        let input = try member("input")?.data()
        if let data, let input, data != input {
            throw argument.invalid(#"both "data" and "input" are set and not equal. Please use "input" to pass transaction call data"#)
        }
        self.data = input ?? data ?? []
        if let list = member("accessList") { accessList = try Self.accessList(list) }
        if let list = member("authorizationList") { authorizationList = try Self.authorizationList(list) }

        if gasPrice != nil, maxFeePerGas != nil || maxPriorityFeePerGas != nil {
            throw argument.invalid("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")
        }
        if let cap = maxFeePerGas, let tip = maxPriorityFeePerGas, tip > cap {
            throw argument.invalid("maxFeePerGas (\(cap)) < maxPriorityFeePerGas (\(tip))")
        }
    }

    private static func accessList(_ member: RPCParams.Member) throws(JSONRPCError) -> [AccessListEntry] {
        var out: [AccessListEntry] = []
        for (i, item) in try member.array().enumerated() {
            guard case .object(let entry) = item else { throw member.invalid("entry \(i) is a \(item.typeName), want an object") }
            let address = try RPCParams.Member(argument: member.argument, key: "\(member.key)[\(i)].address",
                                               value: entry["address"] ?? .null).address()
            var keys: [Hash32] = []
            if let rawKeys = entry["storageKeys"], !rawKeys.isNull {
                let keysMember = RPCParams.Member(argument: member.argument, key: "\(member.key)[\(i)].storageKeys", value: rawKeys)
                for (j, key) in try keysMember.array().enumerated() {
                    keys.append(try RPCParams.Member(argument: member.argument, key: "\(member.key)[\(i)].storageKeys[\(j)]",
                                                     value: key).hash())
                }
            }
            out.append(AccessListEntry(address: address, storageKeys: keys))
        }
        return out
    }

    private static func authorizationList(_ member: RPCParams.Member) throws(JSONRPCError) -> [Authorization] {
        var out: [Authorization] = []
        for (i, item) in try member.array().enumerated() {
            guard case .object(let entry) = item else { throw member.invalid("entry \(i) is a \(item.typeName), want an object") }
            func field(_ name: String) -> RPCParams.Member {
                RPCParams.Member(argument: member.argument, key: "\(member.key)[\(i)].\(name)", value: entry[name] ?? .null)
            }
            let yParity = try field("yParity").flexibleUInt64()
            guard yParity <= 1 else { throw field("yParity").invalid("must be 0 or 1") }
            out.append(Authorization(chainID: try field("chainId").quantity(), address: try field("address").address(),
                                     nonce: try field("nonce").uint64(), yParity: UInt8(yParity),
                                     r: try field("r").quantity(), s: try field("s").quantity()))
        }
        return out
    }

    /// The fee cap the request names: `gasPrice` or `maxFeePerGas`; nil when neither is set.
    var feeCap: U256? { gasPrice ?? maxFeePerGas }

    /// The intrinsic gas of the transaction this request describes: 21,000, calldata, and the
    /// access list (53,000 and initcode words for a creation).
    var intrinsicGas: UInt64 {
        Transaction.dynamicFee(DynamicFeeTransaction(
            chainID: chainID ?? 0, nonce: nonce ?? 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
            gasLimit: gas ?? 0, to: to, value: value, data: data, accessList: accessList)).intrinsicGas
            + UInt64(authorizationList.count) * Transaction.authorizationGas
    }
}
