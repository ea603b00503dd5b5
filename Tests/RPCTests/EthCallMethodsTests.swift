import JSON
import Primitives
import Testing
@testable import RPC

@Suite struct EthCallMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }
    let alice = JSONValue.hex(InMemoryChain.alice.address)
    let carol = JSONValue.hex(InMemoryChain.carol)

    @Test func estimatesATransferAsItsIntrinsicGas() async throws {
        // web3.py's shape: "type" as a JSON integer, fees as quantities.
        let web3py: JSONValue = ["from": alice, "to": carol, "value": "0xde0b6b3a7640000", "type": 2,
                                 "maxFeePerGas": "0x3b9aca00", "maxPriorityFeePerGas": "0x1"]
        #expect(try await rpc.result("eth_estimateGas", [web3py, "latest"]) == "0x5208")
        // ethers' shape: everything hex, "type" included.
        #expect(try await rpc.result("eth_estimateGas", [["from": alice, "to": carol, "value": "0x1", "type": "0x2", "chainId": "0x82750"]]) == "0x5208")
        #expect(try await rpc.result("eth_estimateGas", [["to": carol], "pending"]) == "0x5208")
        // Calldata: 4 per zero byte, 16 per other byte; access list: 2400 per address, 1900 per key.
        let data: JSONValue = ["to": carol, "data": "0x00010200"]
        #expect(try await rpc.result("eth_estimateGas", [data]) == .hex(UInt64(21_000 + 2 * 4 + 2 * 16)))
        #expect(try await rpc.result("eth_estimateGas", [["to": carol, "input": "0x00010200", "data": "0x00010200"]])
            == .hex(UInt64(21_000 + 2 * 4 + 2 * 16)))
        let list: JSONValue = ["to": carol, "accessList": [["address": carol, "storageKeys": [.hex(Hash32.zero), .hex(Hash32(repeating: 1))]]]]
        #expect(try await rpc.result("eth_estimateGas", [list]) == .hex(UInt64(21_000 + 2400 + 2 * 1900)))
        #expect(try await rpc.result("eth_estimateGas", [["to": carol, "gas": "0x5208", "gasPrice": "0x3b9aca00", "from": alice]]) == "0x5208")
        #expect(try await rpc.result("eth_estimateGas", [["to": carol, "from": .null, "value": .null]]) == "0x5208")
    }

    @Test func callsATransferAndGetsNoData() async throws {
        #expect(try await rpc.result("eth_call", [["from": alice, "to": carol, "value": "0x1"], "latest"]) == "0x")
        #expect(try await rpc.result("eth_call", [["to": carol, "input": "0xabcdef"]]) == "0x")
        #expect(try await rpc.result("eth_call", [["to": carol], "latest", [:]]) == "0x", "empty state overrides are fine")
    }

    @Test func refusesMalformedOverridesWithGethsWords() async throws {
        let a = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
        let aj = JSONValue.string(a)
        #expect(await rpc.error("eth_call", [["to": carol], "latest", [a: ["state": [:], "stateDiff": ["0x1": "0x2"]]]])
            == .invalidParams("account 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 has both 'state' and 'stateDiff'"))
        #expect(await rpc.error("eth_call", [["to": carol], "latest", [a: ["balanse": "0x1"]]])?.message.contains("balanse: unknown field") == true)
        #expect(await rpc.error("eth_call", [["to": carol], "latest", [a: ["movePrecompileToAddress": aj]]])?.message.contains("not supported") == true)
        #expect(await rpc.error("eth_call", [["to": carol], "latest", ["0x12": [:]]])?.message.contains("not an address") == true)
        #expect(await rpc.error("eth_call", [["to": carol], "latest", [:], ["time": "soon"]])?.code == -32602)
        #expect(await rpc.error("eth_call", [["to": carol], "latest", [:], ["gasPrice": "0x1"]])?.message.contains("unknown field") == true)
        #expect(try await rpc.result("eth_call", [["to": carol], "latest", [a: ["balance": "0x10", "stateDiff": ["0x1": "0x2"]]], ["number": "0x10"]]) == "0x")
    }

    @Test func runsContractCallsAndReturnsTheirOutput() async throws {
        let contract = JSONValue.hex(InMemoryChain.contract)
        #expect(try await rpc.result("eth_call", [["from": alice, "to": contract, "data": "0x12345678"]]) == "0x12345678")
    }

    @Test func answersARevertAsGethDoes() async {
        let contract = JSONValue.hex(InMemoryChain.contract)
        for method in ["eth_call", "eth_estimateGas"] {
            let error = await rpc.error(method, [["from": alice, "to": contract, "data": "0xdead"]])
            #expect(error?.code == 3, "\(method)")
            #expect(error?.message == "execution reverted: nope", "\(method)")
            guard case .string(let data) = error?.data else { Issue.record("no revert data"); continue }
            #expect(data.hasPrefix("0x08c379a0"))
        }
        #expect(await rpc.error("eth_call", [["to": contract, "data": "0xbeef"]]) == .server("invalid opcode"))
        #expect(ChainMethods.revertReason([0x08, 0xc3, 0x79, 0xa0]) == nil, "short data has no reason")
    }

    @Test func estimatesByBinarySearchNotByTheGasUsed() async throws {
        // The contract uses 40,000 gas but needs 60,000 to succeed; geth stops within 1.5%.
        let contract = JSONValue.hex(InMemoryChain.contract)
        let estimate = try await rpc.result("eth_estimateGas", [["from": alice, "to": contract, "data": "0x01"]])
        guard case .string(let hex) = estimate, let gas = try? U256(quantity: hex).uint64 else { Issue.record("\(estimate)"); return }
        #expect(gas >= 60_000 && gas <= 60_900, "\(gas)")
        #expect(await rpc.error("eth_estimateGas", [["to": contract, "gas": "0xc350"]]) == .server("gas required exceeds allowance (50000)"))
    }

    @Test func namesTheMalformedField() async {
        let cases: [(JSONValue, String)] = [
            (["to": carol, "gas": "0x05208"], "gas: hex string has leading zero digits"),
            (["to": carol, "gas": 21000], "gas: expected a hex string, got number"),
            (["to": carol, "value": "1"], "value: hex string without 0x prefix"),
            (["to": "0x1234"], "to: hex string has 2 bytes, want 20"),
            (["to": carol, "from": "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"], "from: address has an invalid EIP-55 checksum"),
            (["to": carol, "data": "0x123"], "data: hex string of odd length"),
            (["to": carol, "type": "2"], "type: hex string without 0x prefix"),
            (["to": carol, "type": true], "type: expected a quantity or an integer, got boolean"),
            (["to": carol, "accessList": [["address": carol, "storageKeys": ["0x12"]]]],
             "accessList[0].storageKeys[0]: hex string has 1 bytes, want 32"),
            (["to": carol, "accessList": ["0x12"]], "accessList: entry 0 is a string, want an object"),
            (["to": carol, "accessList": [[:]]], "accessList[0].address: expected a hex string, got null"),
            (["to": carol, "data": "0x01", "input": "0x02"],
             #"both "data" and "input" are set and not equal. Please use "input" to pass transaction call data"#),
            (["to": carol, "gasPrice": "0x1", "maxFeePerGas": "0x1"], "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified"),
            (["to": carol, "maxFeePerGas": "0x1", "maxPriorityFeePerGas": "0x2"], "maxFeePerGas (1) < maxPriorityFeePerGas (2)"),
        ]
        for (request, message) in cases {
            #expect(await rpc.error("eth_estimateGas", [request]) == .invalidParams("invalid argument 0: \(message)"))
            #expect(await rpc.error("eth_call", [request, "latest"]) == .invalidParams("invalid argument 0: \(message)"))
        }
        #expect(await rpc.error("eth_call", ["0x1234"]) == .invalidParams("invalid argument 0: expected an object, got string"))
        #expect(await rpc.error("eth_call", []) == .invalidParams("missing value for required argument 0"))
        #expect(await rpc.error("eth_call", [["to": carol], "latest", [:], [:], 1]) == .invalidParams("too many arguments, want at most 4"))
    }
}
