import Foundation
import JSON
import Primitives
import Testing
import TestSupport
@testable import RPC

/// Real responses of every `eth_` method the node serves (and the `txpool_` and `net_` ones
/// the document covers), validated against the execution-apis result schemas
/// (Fixtures/openrpc-lite.json, see Fixtures/PROVENANCE.md).
@Suite struct ExecutionAPIsConformanceTests {
    /// Where a response is checked against something other than its method's result schema,
    /// and why. Everything else is checked against the method's own schema, unmodified.
    static let substitutions: [(check: String, reason: String)] = [
        ("eth_getTransactionByHash of a pool transaction",
         "checked against PendingTransactionInfo: the method's schema allows only mined transactions (TransactionInfo), "
             + "while geth and this node return pooled ones with null block fields, which PendingTransactionInfo describes"),
        ("transactions of type 0x7e (Scroll L1 messages)",
         "TransactionSigned gets one more alternative, a local schema of the L1 message shape (no signature fields, "
             + "queueIndex, sender): execution-apis has no schema for this Scroll-specific type; all other types use "
             + "the document's schemas unchanged"),
        ("eth_getLogs with no matching log",
         "checked against FilterResults with anyOf instead of oneOf: `[]` satisfies both of its array alternatives "
             + "(hashes or logs), so no empty result can pass the document's oneOf; geth answers `[]` too"),
        ("eth_sendRawTransactionSync",
         "not in the document at 033ca6e; its result is checked against eth_getTransactionReceipt's (EIP-7966 returns that receipt)"),
    ]

    /// Methods the node serves that the document has no schema for (not checked here; their
    /// shapes are pinned by the method tests).
    static let unchecked: [(method: String, reason: String)] = [
        ("txpool_inspect", "no schema in execution-apis"),
        ("rollupNode_*, rollupNodeAdmin_*", "Scroll-specific namespaces, no schema in execution-apis"),
        ("web3_clientVersion, web3_sha3, net_listening, net_peerCount", "no schema in execution-apis"),
    ]

    static let l1MessageSchema: JSONValue = [
        "type": "object",
        "required": ["type", "hash", "from", "queueIndex", "sender", "gas", "gasPrice", "nonce", "to", "value", "input"],
        "properties": [
            "type": ["type": "string", "pattern": "^0x7e$"],
            "queueIndex": ["$ref": "#/components/schemas/uint"],
            "sender": ["$ref": "#/components/schemas/address"],
            "gas": ["$ref": "#/components/schemas/uint"],
            "gasPrice": ["const": "0x0"],
            "nonce": ["const": "0x0"],
            "to": ["$ref": "#/components/schemas/address"],
            "value": ["$ref": "#/components/schemas/uint"],
            "input": ["$ref": "#/components/schemas/bytes"],
        ],
        "not": ["anyOf": [["required": ["v"]], ["required": ["r"]], ["required": ["s"]], ["required": ["yParity"]]]],
    ]

    /// The document, with the 0x7e alternative added to TransactionSigned.
    static func document() throws -> JSONValue {
        let bytes = try [UInt8](Data(contentsOf: FixtureLocation.url("openrpc-lite.json")))
        guard case .object(var root) = try JSONValue(parsing: bytes, maxDepth: 256),
              case .object(var components)? = root["components"], case .object(var schemas)? = components["schemas"],
              case .object(var signed)? = schemas["TransactionSigned"], case .array(var alternatives)? = signed["oneOf"]
        else { throw FixtureError.malformed("openrpc-lite.json") }
        schemas["TransactionL1MessageSigned"] = l1MessageSchema
        alternatives.append(["$ref": "#/components/schemas/TransactionL1MessageSigned"])
        signed["oneOf"] = .array(alternatives)
        schemas["TransactionSigned"] = .object(signed)
        components["schemas"] = .object(schemas)
        root["components"] = .object(components)
        return .object(root)
    }

    /// The result schema of each method in the document.
    static func resultSchemas(_ document: JSONValue) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for method in document["methods"]?.arrayValue ?? [] {
            if let name = method["name"]?.stringValue, let schema = method["result"]?["schema"] { out[name] = schema }
        }
        return out
    }

    struct Case {
        var method: String
        var params: [JSONValue]
        /// The schema to use instead of the method's (see `substitutions`).
        var schema: JSONValue?
        var schemaOf: String?
    }

    @Test func responsesMatchTheResultSchemas() async throws {
        let document = try Self.document()
        let schemas = Self.resultSchemas(document)
        var validator = JSONSchemaValidator(root: document)
        let chain = InMemoryChain()
        let rpc = ChainFixture.dispatcher(chain, accountKeys: [InMemoryChain.alice])
        let blocks = chain.blocks
        let pooled = chain.pool.pending[0].transaction.hash
        let unknownHash = JSONValue.string(Hash32(repeating: 0x99).hex)
        let alice = JSONValue.string(InMemoryChain.alice.address.hex), carol = JSONValue.string(InMemoryChain.carol.hex)
        let emptyLogs: JSONValue = ["anyOf": schemas["eth_getLogs"]?["oneOf"] ?? .null]
        let pending: JSONValue = ["oneOf": [["$ref": "#/components/schemas/notFound"], ["$ref": "#/components/schemas/PendingTransactionInfo"]]]

        var cases: [Case] = [
            Case(method: "eth_chainId", params: []),
            Case(method: "eth_blockNumber", params: []),
            Case(method: "eth_syncing", params: []),
            Case(method: "eth_gasPrice", params: []),
            Case(method: "eth_maxPriorityFeePerGas", params: []),
            Case(method: "eth_accounts", params: []),
            Case(method: "net_version", params: []),
            Case(method: "eth_feeHistory", params: [4, "latest", [10, 50, 90]]),
            Case(method: "eth_feeHistory", params: ["0x2", "0x1", []]),
            Case(method: "eth_feeHistory", params: ["0x1", "earliest", [0, 100]]),
            Case(method: "eth_feeHistory", params: ["0x0", "latest"]),
            Case(method: "eth_getBlockByNumber", params: ["0x63", false]),
            Case(method: "eth_getBlockByHash", params: [unknownHash, true]),
            Case(method: "eth_getBlockTransactionCountByHash", params: [unknownHash]),
            Case(method: "eth_getBlockTransactionCountByNumber", params: ["0x63"]),
            Case(method: "eth_getTransactionByHash", params: [.string(pooled.hex)], schema: pending),
            Case(method: "eth_getTransactionByHash", params: [unknownHash]),
            Case(method: "eth_getTransactionByBlockHashAndIndex", params: [.string(blocks[1].hash.hex), "0x9"]),
            Case(method: "eth_getTransactionByBlockNumberAndIndex", params: ["latest", "0x0"]),
            Case(method: "eth_getTransactionReceipt", params: [.string(pooled.hex)]),
            Case(method: "eth_getTransactionReceipt", params: [unknownHash]),
            Case(method: "eth_getBlockReceipts", params: ["0x3"]),
            Case(method: "eth_getBlockReceipts", params: ["0x63"]),
            Case(method: "eth_getBalance", params: [alice, "latest"]),
            Case(method: "eth_getBalance", params: ["0x000000000000000000000000000000000000dead", "latest"]),
            Case(method: "eth_getTransactionCount", params: [alice, "latest"]),
            Case(method: "eth_getTransactionCount", params: [alice, "pending"]),
            Case(method: "eth_getCode", params: [.string(InMemoryChain.contract.hex), "latest"]),
            Case(method: "eth_getCode", params: [alice, "latest"]),
            Case(method: "eth_getStorageAt", params: [.string(InMemoryChain.contract.hex), "0x0", "latest"]),
            Case(method: "eth_getStorageAt", params: [alice, "0x1", "latest"]),
            Case(method: "eth_getProof", params: [.string(InMemoryChain.contract.hex), ["0x0", "0x1"], "latest"]),
            Case(method: "eth_createAccessList", params: [["from": alice, "to": .string(InMemoryChain.carol.hex), "value": "0x1"], "latest"]),
            Case(method: "eth_getProof", params: [.string(Address(lastBytesOf: Hash32(repeating: 9)).hex), [], "latest"]),
            Case(method: "eth_call", params: [["from": alice, "to": carol, "value": "0x1"], "latest"]),
            Case(method: "eth_estimateGas", params: [["from": alice, "to": carol, "value": "0x1", "type": 2], "latest"]),
            Case(method: "eth_estimateGas", params: [["to": carol, "input": "0x0102", "accessList": [["address": carol, "storageKeys": []]]]]),
            Case(method: "eth_getLogs", params: [["fromBlock": "0x0", "toBlock": "latest"]]),
            Case(method: "eth_getLogs", params: [["blockHash": .string(blocks[1].hash.hex)]]),
            Case(method: "eth_getLogs", params: [["fromBlock": "0x1", "address": [.string(InMemoryChain.logEmitter.hex)],
                                                  "topics": [.string(InMemoryChain.transferTopic.hex)]]]),
            Case(method: "eth_getLogs", params: [["topics": [.string(Hash32(repeating: 7).hex)]]], schema: emptyLogs),
            Case(method: "txpool_status", params: []),
            Case(method: "txpool_content", params: []),
            Case(method: "txpool_contentFrom", params: [alice]),
            Case(method: "txpool_contentFrom", params: [carol]),
            Case(method: "eth_sign", params: [alice, "0x68656c6c6f"]),
            // Not in execution-apis: held to eth_sign's result schema (65 bytes).
            Case(method: "eth_signTypedData_v4", params: [alice, [
                "types": ["EIP712Domain": [["name": "name", "type": "string"]], "M": [["name": "x", "type": "uint256"]]],
                "primaryType": "M", "domain": ["name": "t"], "message": ["x": 1]]],
                 schema: ["$ref": "#/components/schemas/bytes65"]),
            Case(method: "eth_signTransaction", params: [["from": alice, "to": carol, "value": "0x1", "gas": "0x5208"]]),
            Case(method: "eth_signTransaction", params: [["from": alice, "to": carol, "value": "0x1", "gasPrice": "0x3b9aca00"]]),
        ]
        for block in blocks {
            let number = JSONValue.string(Hex.encodeQuantity(block.number)), hash = JSONValue.string(block.hash.hex)
            for full in [false, true] {
                cases.append(Case(method: "eth_getBlockByNumber", params: [number, .bool(full)]))
                cases.append(Case(method: "eth_getBlockByHash", params: [hash, .bool(full)]))
            }
            cases.append(Case(method: "eth_getBlockTransactionCountByHash", params: [hash]))
            cases.append(Case(method: "eth_getBlockTransactionCountByNumber", params: [number]))
            cases.append(Case(method: "eth_getBlockReceipts", params: [number]))
            for (i, tx) in block.transactions.enumerated() {
                let index = JSONValue.string(Hex.encodeQuantity(UInt64(i)))
                cases.append(Case(method: "eth_getTransactionByHash", params: [.string(tx.hash.hex)]))
                cases.append(Case(method: "eth_getTransactionReceipt", params: [.string(tx.hash.hex)]))
                cases.append(Case(method: "eth_getTransactionByBlockHashAndIndex", params: [hash, index]))
                cases.append(Case(method: "eth_getTransactionByBlockNumberAndIndex", params: [number, index]))
            }
        }
        for block in [JSONValue.string("0x1"), .string(blocks[2].hash.hex), "latest"] {
            cases.append(Case(method: "debug_getRawHeader", params: [block]))
            cases.append(Case(method: "debug_getRawBlock", params: [block]))
            cases.append(Case(method: "debug_getRawReceipts", params: [block]))
        }
        cases.append(Case(method: "debug_getRawTransaction", params: [.string(blocks[1].transactions[0].hash.hex)]))
        cases.append(Case(method: "debug_getRawTransaction", params: [.string(pooled.hex)]))
        for tag in ["latest", "earliest", "pending", "safe", "finalized"] {
            cases.append(Case(method: "eth_getBlockByNumber", params: [.string(tag), true]))
        }
        let fresh = InMemoryChain.sign(.dynamicFee(DynamicFeeTransaction(
            chainID: InMemoryChain.chainID, nonce: 4, maxPriorityFeePerGas: InMemoryChain.gwei, maxFeePerGas: InMemoryChain.gwei * 5,
            gasLimit: 21_000, to: InMemoryChain.carol, value: 1)), InMemoryChain.alice)
        cases.append(Case(method: "eth_sendRawTransaction", params: [.string(Hex.encode(fresh.encoded))]))

        var validated = 0
        var methods: Set<String> = []
        var failures: [String] = []
        for c in cases {
            let response = await rpc.call(c.method, c.params)
            guard case .success(let result) = response else {
                failures.append("\(c.method)\(c.params): \(response)")
                continue
            }
            guard let schema = c.schema ?? schemas[c.schemaOf ?? c.method] else {
                failures.append("\(c.method): no schema in the document")
                continue
            }
            let errors = validator.errors(result, against: schema)
            if !errors.isEmpty { failures.append("\(c.method)\(c.params): \(errors.prefix(5))") }
            validated += 1
            methods.insert(c.method)
        }

        // eth_sendRawTransactionSync: the transaction is mined while the call waits.
        let next = InMemoryChain.sign(.legacy(LegacyTransaction(
            chainID: InMemoryChain.chainID, nonce: 5, gasPrice: InMemoryChain.gwei, gasLimit: 21_000, to: InMemoryChain.carol, value: 2)),
            InMemoryChain.alice)
        async let sync = rpc.call("eth_sendRawTransactionSync", [.string(Hex.encode(next.encoded)), 5000])
        while try await chain.poolTransaction(hash: next.hash) == nil { try await Task.sleep(for: .milliseconds(2)) }
        chain.mine()
        /// Validates a response that could not run in the loop above (it waits, or it must come last).
        func check(_ method: String, _ response: Result<JSONValue, JSONRPCError>, schemaOf: String) {
            if case .success(let result) = response, let schema = schemas[schemaOf] {
                let errors = validator.errors(result, against: schema)
                if !errors.isEmpty { failures.append("\(method): \(errors)") }
                validated += 1
                methods.insert(method)
            } else {
                failures.append("\(method): \(response)")
            }
        }
        check("eth_sendRawTransactionSync", await sync, schemaOf: "eth_getTransactionReceipt")
        // eth_sendTransaction: filled (nonce 6, after the raw ones above), signed and pooled.
        check("eth_sendTransaction", await rpc.call("eth_sendTransaction", [["from": alice, "to": carol, "value": "0x3"]]),
              schemaOf: "eth_sendTransaction")
        // Full blocks again, now with the mined block holding the transactions just sent.
        for full in [false, true] {
            let result = try await rpc.call("eth_getBlockByNumber", ["latest", .bool(full)]).get()
            #expect(validator.errors(result, against: schemas["eth_getBlockByNumber"]!) == [])
            validated += 1
        }

        #expect(failures == [])
        let served = Set(ChainFixture.table(chain).names.filter { $0.hasPrefix("eth_") || $0.hasPrefix("debug_") })
        #expect(served.subtracting(methods) == [], "eth_ methods without a schema check")
        print("conformance: execution-apis result schemas: \(validated) responses validated, \(methods.count) methods")
        for s in Self.substitutions { print("conformance: substituted: \(s.check): \(s.reason)") }
    }

    /// The validator itself rejects what it should (so a pass above means something).
    @Test func validatorRejectsWrongShapes() throws {
        let document = try Self.document()
        let schemas = Self.resultSchemas(document)
        var validator = JSONSchemaValidator(root: document)
        #expect(validator.errors("0x01", against: schemas["eth_blockNumber"]!) != [])
        #expect(validator.errors("0x1", against: schemas["eth_blockNumber"]!) == [])
        #expect(validator.errors(1, against: schemas["eth_blockNumber"]!) != [])
        #expect(validator.errors(.null, against: schemas["eth_getBlockByNumber"]!) == [])
        #expect(validator.errors(["hash": "0x1"], against: schemas["eth_getBlockByNumber"]!) != [])
        let log: JSONValue = ["transactionHash": .string(Hash32.zero.hex), "extra": 1]
        #expect(validator.errors([log], against: schemas["eth_getLogs"]!) != [], "additionalProperties: false")
        #expect(validator.errors(["x": 1], against: ["unknownKeyword": true]) != [], "unknown keywords are errors")
    }
}

extension Hash32 {
    init(repeating byte: UInt8) { self.init([UInt8](repeating: byte, count: 32)) }
}

extension ChainFixture {
    static func table(_ chain: InMemoryChain) -> RPCMethodTable {
        var table = RPCMethodTable()
        table.registerChainMethods(backend: chain, rollup: chain)
        return table
    }
}
