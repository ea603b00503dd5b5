import JSON
import Primitives
import Testing
@testable import RPC

@Suite struct RPCParamsTests {
    /// (value, decoder, expected result or the -32602 message).
    typealias Case = (JSONValue, String, String)

    static let cases: [Case] = [
        // quantity (U256)
        ("0x0", "quantity", "0"),
        ("0x1", "quantity", "1"),
        ("0xabc", "quantity", "2748"),
        ("0xABC", "quantity", "2748"),
        ("0x01", "quantity", "invalid argument 0: hex string has leading zero digits"),
        ("0x00", "quantity", "invalid argument 0: hex string has leading zero digits"),
        ("0x", "quantity", "invalid argument 0: hex string \"0x\" has no digits"),
        ("", "quantity", "invalid argument 0: empty hex string"),
        ("12", "quantity", "invalid argument 0: hex string without 0x prefix"),
        ("0xg1", "quantity", "invalid argument 0: invalid hex character at position 2"),
        (.string("0x1" + String(repeating: "0", count: 64)), "quantity", "invalid argument 0: hex number > 256 bits"),
        (.string("0x" + String(repeating: "f", count: 64)), "quantity", U256.max.decimal),
        (12, "quantity", "invalid argument 0: expected a hex string, got number"),
        (true, "quantity", "invalid argument 0: expected a hex string, got boolean"),
        // uint64
        ("0xffffffffffffffff", "uint64", "18446744073709551615"),
        ("0x10000000000000000", "uint64", "invalid argument 0: hex number > 64 bits"),
        ("0x0a", "uint64", "invalid argument 0: hex string has leading zero digits"),
        ([], "uint64", "invalid argument 0: expected a hex string, got array"),
        // data
        ("0x", "data", ""),
        ("0x00ff", "data", "00ff"),
        ("0xABcd", "data", "abcd"),
        ("0x123", "data", "invalid argument 0: hex string of odd length"),
        ("00ff", "data", "invalid argument 0: hex string without 0x prefix"),
        ("0xzz", "data", "invalid argument 0: invalid hex character at position 2"),
        (.object([:]), "data", "invalid argument 0: expected a hex string, got object"),
        // address
        ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "address", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "address", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        ("0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266", "address", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267", "address", "invalid argument 0: address has an invalid EIP-55 checksum"),
        ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb922", "address", "invalid argument 0: hex string has 19 bytes, want 20"),
        ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226", "address", "invalid argument 0: hex string of odd length"),
        (.null, "address", "missing value for required argument 0"),
        // hash
        (.string("0x" + String(repeating: "11", count: 32)), "hash", "0x" + String(repeating: "11", count: 32)),
        (.string("0x" + String(repeating: "11", count: 31)), "hash", "invalid argument 0: hex string has 31 bytes, want 32"),
        // bool
        (true, "bool", "true"),
        (false, "bool", "false"),
        ("true", "bool", "invalid argument 0: expected a boolean, got string"),
        (1, "bool", "invalid argument 0: expected a boolean, got number"),
        // block tag
        ("latest", "blockTag", "latest"),
        ("earliest", "blockTag", "earliest"),
        ("pending", "blockTag", "pending"),
        ("safe", "blockTag", "safe"),
        ("finalized", "blockTag", "finalized"),
        ("0x0", "blockTag", "0x0"),
        ("0x1b4", "blockTag", "0x1b4"),
        ("0x01b4", "blockTag", "invalid argument 0: hex string has leading zero digits"),
        ("Latest", "blockTag", "invalid argument 0: hex string without 0x prefix"),
        ("0x8000000000000000", "blockTag", "invalid argument 0: block number larger than int64"),
        (436, "blockTag", "invalid argument 0: expected a block number or tag, got number"),
        // string / object
        ("x", "string", "x"),
        (1, "string", "invalid argument 0: expected a string, got number"),
        (["a": 1], "object", #"{"a":1}"#),
        ("x", "object", "invalid argument 0: expected an object, got string"),
    ]

    @Test(arguments: cases)
    func decodesStrictly(value: JSONValue, decoder: String, expected: String) {
        let params = RPCParams([value])
        let outcome: String
        do {
            switch decoder {
            case "quantity": outcome = try params.quantity(at: 0).decimal
            case "uint64": outcome = String(try params.uint64(at: 0))
            case "data": outcome = Hex.encode(try params.data(at: 0), prefix: false)
            case "address": outcome = try params.address(at: 0).checksummed
            case "hash": outcome = try params.hash(at: 0).hex
            case "bool": outcome = String(try params.bool(at: 0))
            case "blockTag": outcome = try params.blockTag(at: 0).description
            case "string": outcome = try params.string(at: 0)
            case "object": outcome = JSONValue.object(try params.object(at: 0)).serializedString()
            default: Issue.record("unknown decoder \(decoder)"); return
            }
        } catch {
            #expect(error.code == -32602)
            outcome = error.message
        }
        #expect(outcome == expected)
    }

    @Test func namesThePositionOfTheArgument() {
        let params = RPCParams(["0x1", "0x01"])
        #expect(throws: JSONRPCError.invalidParams("invalid argument 1: hex string has leading zero digits")) {
            try params.uint64(at: 1)
        }
        #expect(throws: JSONRPCError.invalidParams("missing value for required argument 2")) { try params.uint64(at: 2) }
    }

    @Test func treatsNullAndAbsentTrailingArgumentsAsMissing() {
        let params = RPCParams(["0x1", .null])
        #expect(params.optional(0) != nil)
        #expect(params.optional(1) == nil)
        #expect(params.optional(5) == nil)
        #expect(params.count == 2)
    }
}
