import Primitives
import Testing
@testable import RPC

@Suite struct TxPoolMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }

    @Test func reportsStatusAndContentInGethsFormat() async throws {
        #expect(try await rpc.result("txpool_status") == ["pending": "0x1", "queued": "0x1"])
        let pending = chain.pool.pending[0], queued = chain.pool.queued[0]
        let content = try await rpc.result("txpool_content")
        let alice = InMemoryChain.alice.address.checksummed, bob = InMemoryChain.bob.address.checksummed
        #expect(content["pending"]?.objectValue?.keys == [alice])
        #expect(content["pending"]?[alice]?.objectValue?.keys == ["3"])
        #expect(content["pending"]?[alice]?["3"] == (try await rpc.result("eth_getTransactionByHash", [.hex(pending.transaction.hash)])))
        #expect(content["queued"]?[bob]?["5"]?["hash"] == .hex(queued.transaction.hash))

        #expect(try await rpc.result("txpool_contentFrom", [.hex(InMemoryChain.alice.address)])
            == ["pending": content["pending"]![alice]!, "queued": [:]])
        #expect(try await rpc.result("txpool_contentFrom", [.hex(InMemoryChain.carol)]) == ["pending": [:], "queued": [:]])
        #expect(await rpc.error("txpool_contentFrom", []) == .invalidParams("missing value for required argument 0"))

        #expect(try await rpc.result("txpool_inspect") == [
            "pending": [alice: ["3": "0x90F79bf6EB2c4f870365E785982E1f101E93b906: 10 wei + 21000 gas × 5000000000 wei"]],
            "queued": [bob: ["5": "contract creation: 0 wei + 21000 gas × 1000000000 wei"]],
        ])
    }

    @Test func inspectSaysWhyATransactionWaits() async throws {
        chain.state.withLock { $0.queued[0].waitingReason = "nonce gap: next executable nonce is 0" }
        let bob = InMemoryChain.bob.address.checksummed
        #expect(try await rpc.result("txpool_inspect")["queued"]?[bob]?["5"]
                == "contract creation: 0 wei + 21000 gas × 1000000000 wei (waiting: nonce gap: next executable nonce is 0)")
    }

    @Test func ordersSendersAndNonces() async throws {
        for nonce in [6, 4, 5] as [UInt64] {
            let tx = InMemoryChain.sign(.legacy(LegacyTransaction(chainID: InMemoryChain.chainID, nonce: nonce, gasPrice: InMemoryChain.gwei,
                                                                 gasLimit: 21_000, to: InMemoryChain.carol, value: 1)), InMemoryChain.alice)
            _ = try await rpc.result("eth_sendRawTransaction", [.hex(tx.encoded)])
        }
        let content = try await rpc.result("txpool_content")
        let alice = InMemoryChain.alice.address.checksummed
        #expect(content["pending"]?[alice]?.objectValue?.keys == ["3", "4", "5"])
        #expect(content["queued"]?[alice]?.objectValue?.keys == ["6"], "sent before 4 and 5, so behind a gap then")
        #expect(try await rpc.result("txpool_status") == ["pending": "0x3", "queued": "0x2"])
    }
}

@Suite struct RollupNodeMethodsTests {
    let chain = InMemoryChain()
    var rpc: RPCDispatcher { ChainFixture.dispatcher(chain) }

    @Test func reportsStatus() async throws {
        #expect(try await rpc.result("rollupNode_status") == [
            "mode": "node",
            "automaticSequencing": true,
            "l2": ["head": ["number": "0x3", "hash": .hex(chain.blocks[3].hash)]],
            "l1": ["latest": "0x78", "finalized": "0x64", "processed": "0x76", "syncing": false],
            "l1Messages": ["nextQueueIndex": "0x2", "pending": "0x1"],
            "follower": .null,
        ])
    }

    @Test func reportsAFollowersSourceAndHowFarBehindItIs() async throws {
        chain.setFollowerStatus(RPCFollowerStatus(following: "http://10.0.0.5:8545", sourceHead: 10, importedBlocks: 3, refusedBlocks: 2,
                                                  doubleSignEvidence: 1, rollbacks: 0, lastError: "refused"))
        let status = try await rpc.result("rollupNode_status")
        #expect(status["mode"] == "follower")
        #expect(status["follower"] == [
            "following": "http://10.0.0.5:8545", "sourceHead": "0xa", "behind": "0x7", "importedBlocks": 3, "refusedBlocks": 2,
            "doubleSignEvidence": 1, "rollbacks": 0, "lastError": "refused",
        ])
    }

    @Test func servesBlockSignaturesWithTheRecoveredSigner() async throws {
        for block in chain.blocks.dropFirst() {
            let bySigner = try await rpc.result("rollupNode_getBlockSignature", [.hex(block.number)])
            #expect(bySigner["signer"] == .hex(InMemoryChain.sequencer.address))
            #expect(bySigner["digest"] == .hex(block.header.signatureDigest))
            #expect(bySigner["digest"] != .hex(block.hash), "the digest leaves extraData out: it is not the block hash")
            #expect(bySigner["signature"]?.stringValue?.count == 2 + 130)
            #expect(try await rpc.result("rollupNode_getBlockSignature", [.hex(block.hash)]) == bySigner)
        }
        #expect(try await rpc.result("rollupNode_getBlockSignature", ["latest"])["blockNumber"] == "0x3")
        let genesis = try await rpc.result("rollupNode_getBlockSignature", ["earliest"])
        #expect(genesis["signature"] == .null && genesis["signer"] == .null)
        #expect(genesis["blockHash"] == .hex(chain.blocks[0].hash))
        #expect(try await rpc.result("rollupNode_getBlockSignature", ["0x9"]) == .null)
        #expect(try await rpc.result("rollupNode_getBlockSignature", [.hex(Hash32(repeating: 8))]) == .null)
        #expect(await rpc.error("rollupNode_getBlockSignature", []) == .invalidParams("missing value for required argument 0"))
        #expect(await rpc.error("rollupNode_getBlockSignature", ["0x01"]) == .invalidParams("invalid argument 0: hex string has leading zero digits"))
    }

    @Test func servesL1MessagesByQueueIndex() async throws {
        let first = try await rpc.result("rollupNode_getL1MessageByIndex", [0])
        #expect(try await rpc.result("rollupNode_getL1MessageByIndex", ["0x0"]) == first, "JSON integers and quantities alike")
        let message = chain.blocks[1].transactions[0]
        #expect(first == [
            "transaction": ["type": "0x7e", "hash": .hex(message.hash), "queueIndex": "0x0", "gas": "0x186a0",
                            "to": .hex(InMemoryChain.bob.address), "value": "0xde0b6b3a7640000",
                            "sender": .hex(InMemoryChain.l1Sender), "input": "0x"],
            "l1BlockNumber": "0x64", "l2BlockNumber": "0x1", "queueHash": .hex(Keccak.hash256([0])),
        ])
        let waiting = try await rpc.result("rollupNode_getL1MessageByIndex", [2])
        #expect(waiting["l2BlockNumber"] == .null && waiting["queueHash"] == .null)
        #expect(try await rpc.result("rollupNode_getL1MessageByIndex", [3]) == .null)
        #expect(await rpc.error("rollupNode_getL1MessageByIndex", ["3"]) == .invalidParams("invalid argument 0: hex string without 0x prefix"))
    }

    @Test func controlsSequencingThroughTheAdminNamespace() async throws {
        #expect(try await rpc.result("rollupNodeAdmin_disableAutomaticSequencing") == true)
        #expect(try await rpc.result("rollupNode_status")["automaticSequencing"] == false)
        #expect(try await rpc.result("rollupNodeAdmin_enableAutomaticSequencing") == true)
        #expect(try await rpc.result("rollupNode_status")["automaticSequencing"] == true)
        #expect(await rpc.error("rollupNodeAdmin_enableAutomaticSequencing", [true]) == .invalidParams("too many arguments, want at most 0"))
        #expect(try await rpc.result("rollupNodeAdmin_revertToL1Block", [95]) == true)
        #expect(chain.state.withLock { $0.revertedTo } == 95)
        #expect(try await rpc.result("rollupNodeAdmin_revertToL1Block", ["0x5a"]) == true)
        #expect(chain.state.withLock { $0.revertedTo } == 90)
        #expect(await rpc.error("rollupNodeAdmin_revertToL1Block", []) == .invalidParams("missing value for required argument 0"))
    }

    @Test func hidesTheAdminNamespaceUnlessEnabled() async {
        var table = RPCMethodTable()
        table.registerChainMethods(backend: chain, rollup: chain)
        let rpc = RPCDispatcher(methods: table, configuration: .init(requestTimeout: nil))  // default namespaces: eth, net, web3, rollupNode
        #expect(await rpc.error("rollupNodeAdmin_disableAutomaticSequencing")
            == .methodNotFound("rollupNodeAdmin_disableAutomaticSequencing"))
        #expect(await rpc.error("txpool_status") == .methodNotFound("txpool_status"))
        #expect(await rpc.error("rollupNode_status") == nil)
        #expect(chain.state.withLock { $0.automaticSequencing })
    }
}
