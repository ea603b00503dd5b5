import JSON
import Primitives
import Testing
@testable import RPC

@Suite struct EthFeeMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }
    static let gwei = InMemoryChain.gwei

    /// Effective tips of the user transactions in blocks 1 and 2: 1.99, 0.99, 0.5 gwei (base
    /// fee 0.01 gwei), 2 and 0.9905 gwei (base fee 0.0095 gwei). Median: 0.9905 gwei.
    static let medianTip: U256 = 990_500_000

    @Test func suggestsTheMedianTipOfRecentBlocks() async throws {
        #expect(try await rpc.result("eth_maxPriorityFeePerGas") == .hex(Self.medianTip))
        #expect(try await rpc.result("eth_gasPrice") == .hex(U256(9_000_000) + Self.medianTip), "next base fee + tip")
    }

    @Test func clampsTheSuggestion() async throws {
        let floor = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(minimumSuggestedTip: Self.gwei * 3))
        #expect(try await floor.result("eth_maxPriorityFeePerGas") == .hex(Self.gwei * 3))
        let cap = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(minimumSuggestedTip: 1, maximumSuggestedTip: 7))
        #expect(try await cap.result("eth_maxPriorityFeePerGas") == "0x7")
        // Only the head block sampled: it is empty, so the minimum.
        let one = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(tipSampleBlocks: 1))
        #expect(try await one.result("eth_maxPriorityFeePerGas") == .hex(U256(1_000_000)))
        // Two blocks: the head and block 2 (tips 2 and 0.9905 gwei; the lower middle one).
        let two = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(tipSampleBlocks: 2))
        #expect(try await two.result("eth_maxPriorityFeePerGas") == .hex(Self.medianTip))
    }

    @Test func loadsOnlyNewBlocksForANewSuggestion() async throws {
        let rpc = self.rpc  // one method table, one cache
        let loads = { chain.state.withLock { $0.blockLoads } }
        _ = try await rpc.result("eth_maxPriorityFeePerGas")
        #expect(loads() == 2, "blocks 1 and 2; genesis and block 3 are empty")
        _ = try await rpc.result("eth_gasPrice")
        #expect(loads() == 2, "same head: cached")
        chain.mine()  // the pending pool transaction
        #expect(try await rpc.result("eth_maxPriorityFeePerGas") == .hex(Self.medianTip))
        #expect(loads() == 3, "only the new block")
    }

    @Test func ignoresL1MessagesInTipStatistics() async throws {
        let fresh = InMemoryChain()
        fresh.seal([(SignedTransaction(l1Message: L1MessageTransaction(queueIndex: 5, gasLimit: 21_000, to: InMemoryChain.carol,
                                                                      value: 1, sender: InMemoryChain.l1Sender)), [])],
                   baseFee: 9_000_000, timestamp: 1_700_000_010)
        let rpc = ChainFixture.dispatcher(fresh, configuration: ChainMethodsConfiguration(tipSampleBlocks: 1))
        #expect(try await rpc.result("eth_maxPriorityFeePerGas") == .hex(U256(1_000_000)))
        let history = try await rpc.result("eth_feeHistory", [1, "latest", [50]])
        #expect(history["reward"] == [["0x0"]])
    }

    @Test func reportsFeeHistory() async throws {
        let history = try await rpc.result("eth_feeHistory", ["0x3", "latest", [0, 50, 100]])
        #expect(history["oldestBlock"] == "0x1")
        #expect(history["baseFeePerGas"] == ["0x989680", "0x90f560", "0x895440", "0x895440"], "three blocks and the next one")
        let ratios = try #require(history["gasUsedRatio"]?.arrayValue)
        #expect(ratios.count == 3)
        #expect(ratios[2] == .number(JSONNumber(0.0)!))
        #expect(abs((ratios[0].numberValue?.double ?? 0) - Double(chain.blocks[1].header.gasUsed) / 30_000_000) < 1e-12)
        #expect(history["reward"] == [
            [.hex(Self.gwei / 2), .hex(U256(990_000_000)), .hex(U256(1_990_000_000))],
            [.hex(U256(990_500_000)), .hex(Self.gwei * 2), .hex(Self.gwei * 2)],
            ["0x0", "0x0", "0x0"],
        ])
        #expect(history["reward"] != nil)
        #expect(try await rpc.result("eth_feeHistory", [3, "0x3"]) == {
            var o = history.objectValue!
            o["reward"] = nil
            return .object(o)
        }(), "without percentiles there is no reward member")
    }

    @Test func shortensAndClipsTheRange() async throws {
        let all = try await rpc.result("eth_feeHistory", [100, "latest"])
        #expect(all["oldestBlock"] == "0x0")
        #expect(all["baseFeePerGas"]?.arrayValue?.count == 5)
        let older = try await rpc.result("eth_feeHistory", ["0x1", "0x1"])
        #expect(older["baseFeePerGas"] == ["0x989680", "0x90f560"], "the next base fee of an old block is its successor's")
        let limited = ChainFixture.dispatcher(chain, configuration: ChainMethodsConfiguration(maxFeeHistoryBlocks: 2))
        #expect(try await limited.result("eth_feeHistory", [4, "latest"])["oldestBlock"] == "0x2")
        #expect(try await rpc.result("eth_feeHistory", [0, "latest", [50]]) == ["oldestBlock": "0x0", "baseFeePerGas": [], "gasUsedRatio": []])
    }

    @Test func rejectsBadFeeHistoryArguments() async {
        #expect(await rpc.error("eth_feeHistory", [1, "0x9"]) == .server("request beyond head block: requested 9, head 3"))
        #expect(await rpc.error("eth_feeHistory", [1, "latest", [50, 10]])
            == .invalidParams("invalid argument 2: invalid reward percentile: #0:50 > #1:10"))
        #expect(await rpc.error("eth_feeHistory", [1, "latest", [101]]) == .invalidParams("invalid argument 2: invalid reward percentile: 101"))
        #expect(await rpc.error("eth_feeHistory", [1, "latest", [-1]]) == .invalidParams("invalid argument 2: invalid reward percentile: -1"))
        #expect(await rpc.error("eth_feeHistory", [1, "latest", ["50"]])
            == .invalidParams("invalid argument 2: reward percentile #0 is a string, want a number"))
        #expect(await rpc.error("eth_feeHistory", [1, "latest", 50]) == .invalidParams("invalid argument 2: expected an array of percentiles, got number"))
        #expect(await rpc.error("eth_feeHistory", ["0x01", "latest"]) == .invalidParams("invalid argument 0: hex string has leading zero digits"))
        #expect(await rpc.error("eth_feeHistory", [true, "latest"]) == .invalidParams("invalid argument 0: expected a quantity or an integer, got boolean"))
        #expect(await rpc.error("eth_feeHistory", [1]) == .invalidParams("missing value for required argument 1"))
    }

    @Test func takesFractionalPercentiles() async throws {
        let history = try await rpc.result("eth_feeHistory", [1, "0x1", [.number(JSONNumber(literal: "33.3")!), .number(JSONNumber(literal: "99.99")!)]])
        #expect(history["reward"] == [[.hex(U256(990_000_000)), .hex(U256(1_990_000_000))]])
    }
}
