import JSON
import Primitives
import Testing
@testable import RPC

/// eth_accounts, eth_sign and personal_sign over development keys, and the refusals of a node
/// without keys. (Filling and sending transactions runs against the real node: e2e/test_dev_accounts.py.)
@Suite struct AccountMethodsTests {
    static func dispatcher(keys: [PrivateKey]) -> RPCDispatcher {
        var table = RPCMethodTable()
        table.registerChainMethods(backend: InMemoryChain(), rollup: InMemoryChain(), accountKeys: keys)
        return RPCDispatcher(methods: table, configuration: .init(enabledNamespaces: ["eth", "personal"], requestTimeout: nil))
    }

    @Test func listsTheKeysInOrderAndSignsMessagesAsEIP191() async throws {
        let rpc = Self.dispatcher(keys: DevelopmentKeys.all)
        let accounts = try await rpc.result("eth_accounts")
        #expect(accounts == .array(DevelopmentKeys.all.map { .string($0.address.hex) }))
        #expect(DevelopmentKeys.all.count == 10)
        #expect(DevelopmentKeys.all[9].address == (try Address(hex: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720")))
        // eth-account's Account.sign_message(encode_defunct(text="hello"), key 0).
        let expected: JSONValue = "0xf16ea9a3478698f695fd1401bfe27e9e4a7e8e3da94aa72b021125e31fa899cc573c48ea3fe1d4ab61a9db10c19032026e3ed2dbccba5a178235ac27f94504311c"
        let a0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
        #expect(try await rpc.result("eth_sign", [.string(a0), "0x68656c6c6f"]) == expected)
        #expect(try await rpc.result("personal_sign", ["0x68656c6c6f", .string(a0)]) == expected)
        let stranger = "0x000000000000000000000000000000000000dead"
        #expect(await rpc.error("eth_sign", [.string(stranger), "0x00"]) == .server("unknown account \(stranger)"))
        #expect(await rpc.error("eth_sendTransaction", [["to": .string(a0)]])
            == .invalidParams("invalid argument 0: missing \"from\": the account to send from"))
    }

    /// EIP-712's own example (the "Mail" message): its digest is the one in the EIP, and the
    /// signature is eth-account's for dev key 0; as an object and as JSON text.
    @Test func signsTypedDataAsEIP712() async throws {
        let rpc = Self.dispatcher(keys: DevelopmentKeys.all)
        let text = #"{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],"Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},"primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},"message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}"#
        let object = try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
        let typed = try TypedData(object)
        #expect(typed.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(try typed.signingDigest().hex == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let expected: JSONValue = "0x6ea8bb309a3401225701f3565e32519f94a0ea91a5910ce9229fe488e773584c0390416a2190d9560219dab757ecca2029e63fa9d1c2aebf676cc25b9f03126a1b"
        let a0: JSONValue = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
        #expect(try await rpc.result("eth_signTypedData_v4", [a0, object]) == expected)
        #expect(try await rpc.result("eth_signTypedData_v4", [a0, .string(text)]) == expected)
        // Errors name the field.
        let missing = text.replacingOccurrences(of: #""contents":"Hello, Bob!""#, with: #""x":1"#)
        #expect(await rpc.error("eth_signTypedData_v4", [a0, .string(missing)])
            == .invalidParams("invalid argument 1: Mail.contents (string) is missing"))
        let badAddress = text.replacingOccurrences(of: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", with: "0x12")
        #expect(await rpc.error("eth_signTypedData_v4", [a0, .string(badAddress)])
            == .invalidParams("invalid argument 1: Person.wallet (address) must be 20 bytes"))
        #expect(await rpc.error("eth_signTypedData_v4", [a0, "{"])
            == .invalidParams("invalid argument 1: typed data is a string that is not JSON"))
    }

    @Test func aNodeWithoutKeysHasNoAccountsAndSaysWhy() async throws {
        let rpc = Self.dispatcher(keys: [])
        #expect(try await rpc.result("eth_accounts") == [])
        let a0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
        let message = "unknown account \(a0): this node holds no account keys (the development accounts are served only with --test); "
            + "sign locally and send with eth_sendRawTransaction"
        #expect(await rpc.error("eth_sendTransaction", [["from": .string(a0), "to": .string(a0)]]) == .server(message))
        #expect(await rpc.error("eth_signTransaction", [["from": .string(a0)]]) == .server(message))
        #expect(await rpc.error("personal_sign", ["0x00", .string(a0)]) == .server(message))
    }
}
