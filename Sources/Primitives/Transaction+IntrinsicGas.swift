extension Transaction {
    /// Gas every transaction pays before execution.
    public static let baseGas: UInt64 = 21_000
    /// Base gas of a contract creation (Homestead).
    public static let creationGas: UInt64 = 53_000
    /// Per zero byte of data.
    public static let zeroDataByteGas: UInt64 = 4
    /// Per nonzero byte of data (EIP-2028).
    public static let nonzeroDataByteGas: UInt64 = 16
    /// Per access-list address (EIP-2930).
    public static let accessListAddressGas: UInt64 = 2_400
    /// Per access-list storage key (EIP-2930).
    public static let accessListStorageKeyGas: UInt64 = 1_900
    /// Per 32-byte word of initcode (EIP-3860).
    public static let initCodeWordGas: UInt64 = 2
    /// Per EIP-7702 authorization (PER_EMPTY_ACCOUNT_COST; 12,500 of it is refunded when the
    /// authority's account exists).
    public static let authorizationGas: UInt64 = 25_000
    /// Longest initcode a creation may carry (EIP-3860): twice the 24576-byte code limit.
    public static let maxInitCodeSize = 49_152

    /// Intrinsic gas under Cancun rules: 21000 (53000 for creation), 4 per zero and 16 per
    /// nonzero data byte, 2400 per access-list address and 1900 per storage key, and for
    /// creations 2 per 32-byte word of initcode; 25,000 per EIP-7702 authorization (Prague).
    ///
    /// Saturates at `UInt64.max` instead of overflowing, so an absurd transaction simply
    /// fails the gas-limit check.
    public var intrinsicGas: UInt64 {
        let data = self.data
        var gas = isContractCreation ? Self.creationGas : Self.baseGas
        var zeros = 0
        for byte in data where byte == 0 { zeros += 1 }
        gas = Self.adding(gas, UInt64(zeros), times: Self.zeroDataByteGas)
        gas = Self.adding(gas, UInt64(data.count - zeros), times: Self.nonzeroDataByteGas)
        let list = accessList
        gas = Self.adding(gas, UInt64(list.count), times: Self.accessListAddressGas)
        var keys = 0
        for entry in list { keys += entry.storageKeys.count }
        gas = Self.adding(gas, UInt64(keys), times: Self.accessListStorageKeyGas)
        gas = Self.adding(gas, UInt64(authorizationList.count), times: Self.authorizationGas)
        if isContractCreation {
            let words = (UInt64(data.count) + 31) / 32
            gas = Self.adding(gas, words, times: Self.initCodeWordGas)
        }
        return gas
    }

    /// gas + count * unit, saturating.
    private static func adding(_ gas: UInt64, _ count: UInt64, times unit: UInt64) -> UInt64 {
        let (product, o1) = count.multipliedReportingOverflow(by: unit)
        let (sum, o2) = gas.addingReportingOverflow(product)
        return o1 || o2 ? .max : sum
    }

    /// The price per gas actually paid in a block with `baseFee`:
    /// min(maxFeePerGas, baseFee + maxPriorityFeePerGas) (0 for L1 messages).
    public func effectiveGasPrice(baseFee: U256) -> U256 {
        if case .l1Message = self { return .zero }
        let (sum, overflow) = baseFee.addingReportingOverflow(maxPriorityFeePerGas)
        return overflow ? maxFeePerGas : U256.min(maxFeePerGas, sum)
    }
}
