import Primitives

extension ChainSpec.BaseFeeRules {
    /// EIP-1559: the base fee of the child of a block that used `parentGasUsed` of
    /// `parentGasLimit` at `parentBaseFee`, never below `minimum`.
    ///
    /// target = gas limit / elasticity; above target the fee rises by
    /// max(1, fee * (used - target) / target / denominator), below it falls by
    /// fee * (target - used) / target / denominator.
    public func nextBaseFee(parentBaseFee: U256, parentGasUsed: UInt64, parentGasLimit: UInt64) -> U256 {
        let target = parentGasLimit / elasticityMultiplier
        let next: U256
        if target == 0 || parentGasUsed == target {
            next = parentBaseFee
        } else if parentGasUsed > target {
            let delta = parentBaseFee * U256(parentGasUsed - target) / U256(target) / U256(changeDenominator)
            let (sum, overflow) = parentBaseFee.addingReportingOverflow(delta.isZero ? .one : delta)
            next = overflow ? .max : sum
        } else {
            let delta = parentBaseFee * U256(target - parentGasUsed) / U256(target) / U256(changeDenominator)
            next = parentBaseFee - delta
        }
        return next < minimum ? minimum : next
    }
}
