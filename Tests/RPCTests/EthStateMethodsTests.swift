import JSON
import Primitives
import Testing
@testable import RPC

@Suite struct EthStateMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }
    var alice: JSONValue { .hex(InMemoryChain.alice.address) }

    @Test func readsBalancesAndNonces() async throws {
        let account = try #require(try await chain.account(InMemoryChain.alice.address))
        #expect(try await rpc.result("eth_getBalance", [alice, "latest"]) == .hex(account.balance))
        #expect(try await rpc.result("eth_getBalance", [alice]) == .hex(account.balance), "the block defaults to latest")
        #expect(try await rpc.result("eth_getBalance", ["0x000000000000000000000000000000000000dead", "latest"]) == "0x0")
        #expect(try await rpc.result("eth_getTransactionCount", [alice, "latest"]) == "0x3")
        #expect(try await rpc.result("eth_getTransactionCount", [alice, "pending"]) == "0x4", "counts the pending pool transaction")
        #expect(try await rpc.result("eth_getTransactionCount", [.hex(InMemoryChain.bob.address), "pending"]) == "0x2",
                "a queued transaction behind a gap does not count")
        #expect(try await rpc.result("eth_getTransactionCount", ["0x000000000000000000000000000000000000dead", "pending"]) == "0x0")
    }

    @Test func readsCodeAndStorage() async throws {
        let contract = JSONValue.hex(InMemoryChain.contract)
        #expect(try await rpc.result("eth_getCode", [contract, "latest"]) == .hex(InMemoryChain.contractCode))
        #expect(try await rpc.result("eth_getCode", [alice, "latest"]) == "0x")
        let slot0 = JSONValue.hex(Hash32(U256(42).bigEndianBytes))
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x0", "latest"]) == slot0)
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x", "latest"]) == slot0)
        #expect(try await rpc.result("eth_getStorageAt", [contract, .hex(Hash32.zero)]) == slot0)
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x00", "latest"]) == slot0, "geth accepts padded keys")
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x1", "latest"]) == .hex(Hash32.zero))
        #expect(await rpc.error("eth_getStorageAt", [contract, .string("0x" + String(repeating: "0", count: 65))])
            == .invalidParams("invalid argument 1: hex string of 65 digits, want at most 64"))
        #expect(await rpc.error("eth_getStorageAt", [contract, "0xg"]) == .invalidParams("invalid argument 1: invalid hex character at position 2"))
        #expect(await rpc.error("eth_getStorageAt", [contract, "1"]) == .invalidParams("invalid argument 1: hex string without 0x prefix"))
        #expect(await rpc.error("eth_getStorageAt", [contract]) == .invalidParams("missing value for required argument 1"))
    }

    @Test func acceptsEveryNameOfTheHead() async throws {
        let head = chain.blocks.last!
        let balance = try await rpc.result("eth_getBalance", [alice, "latest"])
        let names: [JSONValue] = ["pending", "safe", "finalized", "0x3", .hex(head.hash), ["blockNumber": "0x3"],
                                  ["blockHash": .hex(head.hash)], ["blockHash": .hex(head.hash), "requireCanonical": true]]
        for name in names {
            #expect(try await rpc.result("eth_getBalance", [alice, name]) == balance, "\(name)")
        }
    }

    @Test func passesOlderBlocksToTheBackendAndRefusesUnknownOnesWithClearErrors() async throws {
        func notKept(_ n: UInt64) -> JSONRPCError { .server(InMemoryChain.stateNotKept(n)) }
        let historical = notKept(1)
        for method in ["eth_getBalance", "eth_getTransactionCount", "eth_getCode"] {
            #expect(await rpc.error(method, [alice, "0x2"]) == notKept(2))
            #expect(await rpc.error(method, [alice, "earliest"]) == notKept(0))
            #expect(await rpc.error(method, [alice, .hex(chain.blocks[1].hash)]) == historical)
            #expect(await rpc.error(method, [alice, "0x4"]) == .server("header not found"))
            #expect(await rpc.error(method, [alice, .hex(Hash32(repeating: 5))]) == .server("header for hash not found"))
        }
        #expect(await rpc.error("eth_getStorageAt", [alice, "0x0", "0x1"]) == historical)
        #expect(await rpc.error("eth_call", [["to": .hex(InMemoryChain.carol)], "0x1"]) == historical)
        #expect(await rpc.error("eth_estimateGas", [["to": .hex(InMemoryChain.carol)], "0x1"]) == historical)
    }

    @Test func rejectsMalformedStateArguments() async {
        #expect(await rpc.error("eth_getBalance", ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267", "latest"])
            == .invalidParams("invalid argument 0: address has an invalid EIP-55 checksum"))
        #expect(await rpc.error("eth_getBalance", ["0x1234", "latest"]) == .invalidParams("invalid argument 0: hex string has 2 bytes, want 20"))
        #expect(await rpc.error("eth_getBalance", [alice, "0x03"]) == .invalidParams("invalid argument 1: hex string has leading zero digits"))
        #expect(await rpc.error("eth_getBalance", [alice, 3]) == .invalidParams("invalid argument 1: expected a block number, tag or hash, got number"))
        #expect(await rpc.error("eth_getBalance", [alice, ["blockNumber": "0x3", "blockHash": .hex(Hash32.zero)]])
            == .invalidParams("invalid argument 1: cannot specify both blockHash and blockNumber, choose one or the other"))
        #expect(await rpc.error("eth_getBalance", [alice, ["blockHash": "0x12"]])
            == .invalidParams("invalid argument 1: blockHash: hex string has 1 bytes, want 32"))
        #expect(await rpc.error("eth_getBalance", [alice, "latest", true]) == .invalidParams("too many arguments, want at most 2"))
        #expect(await rpc.error("eth_getBalance", []) == .invalidParams("missing value for required argument 0"))
    }
}
