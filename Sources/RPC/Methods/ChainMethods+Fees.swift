import JSON
import Primitives

/// eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory.
///
/// Tips are *effective* tips, what the fee recipient earns per gas above the base fee:
/// min(maxPriorityFeePerGas, maxFeePerGas - baseFee). L1 messages pay no fee and are left out
/// of every tip statistic (counting them would drag the figures to zero on a chain busy with
/// deposits).
extension ChainMethods {
    /// The suggested tip plus the higher of the head's base fee and the next block's: a legacy
    /// gas price that passes eth_call and eth_estimateGas on "latest" (checked against the
    /// head's base fee, as geth does) and on "pending" (the next block's), is admitted, and gets
    /// into the next block. geth adds the tip to the head's base fee alone; on a busy chain the
    /// next base fee is higher and that price would miss the next block. On an idle chain the
    /// two rules agree.
    func gasPrice(_: RPCParams) async throws -> JSONValue {
        ChainJSON.quantity(try await suggestedGasPrice())
    }

    /// What eth_gasPrice answers.
    func suggestedGasPrice() async throws -> U256 {
        let next = try await backend.nextBaseFee()
        let headBaseFee = try await backend.header(number: backend.headNumber())?.baseFeePerGas ?? .zero
        let baseFee = max(next, headBaseFee)
        let tip = try await suggestedTip()
        let (sum, overflow) = baseFee.addingReportingOverflow(tip)
        return overflow ? U256.max : sum
    }

    func maxPriorityFeePerGas(_: RPCParams) async throws -> JSONValue {
        ChainJSON.quantity(try await suggestedTip())
    }

    /// The suggested tip: the median effective tip of the user transactions in the last
    /// ``ChainMethodsConfiguration/tipSampleBlocks`` blocks (the lower middle one for an even
    /// count), clamped to [minimumSuggestedTip, maximumSuggestedTip]; the minimum when those
    /// blocks hold no user transactions. The median follows what senders actually pay while
    /// one generous or stingy sender cannot move it; the floor keeps the suggestion at or
    /// above what the pool accepts, so web3.py's default fee (tip + 2 * base fee) is always
    /// valid. Computed once per head block.
    func suggestedTip() async throws -> U256 {
        let head = try await backend.headNumber()
        guard let headHeader = try await backend.header(number: head) else { return configuration.minimumSuggestedTip }
        let headHash = headHeader.hash
        if let cached = tipCache.suggestion(forHead: headHash) { return cached }
        var window: [Hash32: [U256]] = [:]
        var tips: [U256] = []
        var number = head
        for _ in 0..<configuration.tipSampleBlocks {
            guard let header = number == head ? headHeader : try await backend.header(number: number) else { break }
            let hash = header.hash
            var blockTips: [U256] = []
            if let cached = tipCache.tips(of: hash) {
                blockTips = cached
            } else if header.gasUsed > 0, let block = try await backend.block(hash: hash) {  // gasUsed 0: no transactions
                blockTips = Self.userTips(of: block).map(\.tip)
            }
            window[hash] = blockTips
            tips += blockTips
            if number == 0 { break }
            number -= 1
        }
        var tip = configuration.minimumSuggestedTip
        if !tips.isEmpty {
            tips.sort()
            tip = tips[(tips.count - 1) / 2]
        }
        tip = max(configuration.minimumSuggestedTip, min(configuration.maximumSuggestedTip, tip))
        tipCache.store(tip, forHead: headHash, blockTips: window)
        return tip
    }

    /// `[blockCount, newestBlock, rewardPercentiles?]` -> base fees (one more than blocks: the
    /// last is the next block's), gas used ratios, the oldest block and, when percentiles are
    /// given, each block's effective tip at each percentile of its user transactions' gas.
    ///
    /// `blockCount` may be a quantity or a JSON integer; above
    /// ``ChainMethodsConfiguration/maxFeeHistoryBlocks`` it is shortened, and the range stops
    /// at block 0. Percentiles must be numbers in [0, 100] in increasing order.
    func feeHistory(_ params: RPCParams) async throws -> JSONValue {
        var count = try params.required(0).flexibleUInt64()
        let newestTag = try params.blockTag(at: 1)
        let percentiles = try Self.percentiles(params.optional(2))
        if count == 0 {
            return ["oldestBlock": "0x0", "baseFeePerGas": [], "gasUsedRatio": []]
        }
        count = min(count, configuration.maxFeeHistoryBlocks)
        let head = try await backend.headNumber()
        let newest = try await number(of: newestTag)
        guard newest <= head else { throw JSONRPCError.requestBeyondHead(requested: newest, head: head) }
        let oldest = newest + 1 >= count ? newest + 1 - count : 0

        var baseFees: [JSONValue] = []
        var ratios: [JSONValue] = []
        var rewards: [JSONValue] = []
        for n in oldest...newest {
            guard let block = try await backend.block(number: n) else {
                throw JSONRPCError.requestBeyondHead(requested: n, head: try await backend.headNumber())
            }
            let h = block.header
            baseFees.append(ChainJSON.quantity(h.baseFeePerGas ?? .zero))
            let ratio = h.gasLimit == 0 ? 0 : Double(h.gasUsed) / Double(h.gasLimit)
            ratios.append(.number(JSONNumber(ratio) ?? JSONNumber(0)))
            if !percentiles.isEmpty {
                rewards.append(.array(Self.rewards(of: block, percentiles: percentiles).map(ChainJSON.quantity)))
            }
        }
        if let next = try await backend.block(number: newest + 1) {
            baseFees.append(ChainJSON.quantity(next.header.baseFeePerGas ?? .zero))
        } else {
            baseFees.append(ChainJSON.quantity(try await backend.nextBaseFee()))
        }
        var o: JSONObject = ["oldestBlock": ChainJSON.quantity(oldest), "baseFeePerGas": .array(baseFees), "gasUsedRatio": .array(ratios)]
        if !percentiles.isEmpty { o.append("reward", .array(rewards)) }
        return .object(o)
    }

    /// The effective tips of `block`'s user transactions with the gas each used.
    static func userTips(of block: RPCBlock) -> [(tip: U256, gasUsed: UInt64)] {
        let baseFee = block.header.baseFeePerGas ?? .zero
        return block.transactions.indices.compactMap { i in
            let tx = block.transactions[i].transaction
            if case .l1Message = tx { return nil }
            let (tip, under) = tx.effectiveGasPrice(baseFee: baseFee).subtractingReportingOverflow(baseFee)
            return (under ? .zero : tip, block.gasUsed(at: i))
        }
    }

    /// geth's reward rule over the user transactions: sort by tip, then for percentile p take
    /// the tip of the first transaction at which the running gas total reaches p% of the
    /// total. Zeros for a block without user transactions.
    static func rewards(of block: RPCBlock, percentiles: [Double]) -> [U256] {
        let sorted = userTips(of: block).sorted { $0.tip < $1.tip }
        guard !sorted.isEmpty else { return percentiles.map { _ in .zero } }
        let total = sorted.reduce(UInt64(0)) { $0 + $1.gasUsed }
        var index = 0
        var sum = sorted[0].gasUsed
        return percentiles.map { p in
            let threshold = UInt64(Double(total) * p / 100)
            while sum < threshold && index < sorted.count - 1 {
                index += 1
                sum += sorted[index].gasUsed
            }
            return sorted[index].tip
        }
    }

    /// The reward percentiles argument: numbers in [0, 100], non-decreasing.
    static func percentiles(_ argument: RPCParams.Argument?) throws(JSONRPCError) -> [Double] {
        guard let argument else { return [] }
        guard case .array(let values) = argument.value else {
            throw argument.invalid("expected an array of percentiles, got \(argument.value.typeName)")
        }
        var out: [Double] = []
        for (i, value) in values.enumerated() {
            guard case .number(let n) = value else { throw argument.invalid("reward percentile #\(i) is a \(value.typeName), want a number") }
            let p = n.double
            guard p >= 0, p <= 100 else { throw argument.invalid("invalid reward percentile: \(n.literal)") }
            if let last = out.last, p < last {
                throw argument.invalid("invalid reward percentile: #\(i - 1):\(values[i - 1]) > #\(i):\(n.literal)")
            }
            out.append(p)
        }
        return out
    }
}
