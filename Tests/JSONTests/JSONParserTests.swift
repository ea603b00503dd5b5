import Testing
@testable import JSON

@Suite struct JSONParserTests {
    static let valid: [(String, JSONValue)] = [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("0", .int(0)),
        ("-12", .int(-12)),
        ("\"a\"", .string("a")),
        ("[]", .array([])),
        ("{}", .object([:])),
        ("[1,[2,[3]]]", [1, [2, [3]]]),
        ("{\"a\":{\"b\":[true,null]}}", ["a": ["b": [true, .null]]]),
        ("\t\r\n[ 1 , 2 ]\n", [1, 2]),
    ]

    @Test(arguments: valid)
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    static let invalid: [(String, Int)] = [
        ("", 0), ("   ", 3), ("[1,]", 3), ("{\"a\":1,}", 7), ("[1 2]", 3), ("01", 1), ("-", 1),
        ("1.", 2), ("1e", 2), (".5", 0), ("+1", 0), ("NaN", 0), ("tru", 3), ("nul", 3), ("'a'", 0),
        ("{a:1}", 1), ("[1] x", 4), ("\"abc", 4), ("\"a\u{01}\"", 2), ("\"\\x\"", 1), ("\"\\u12G4\"", 5),
        ("{\"a\" 1}", 5), ("[\"a\":1]", 4), ("// c\n1", 0), ("1 2", 2),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidDocumentsWithTheByteOffset(text: String, offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }

    @Test func errorMessagesNameTheProblemAndTheOffset() {
        #expect(throws: JSONParseError(.unexpectedByte(UInt8(ascii: "]")), at: 3)) { try JSONValue(parsing: "[1,]") }
        #expect(JSONParseError(.unexpectedByte(UInt8(ascii: "]")), at: 3).description == "invalid character ']' at byte 3")
        #expect(JSONParseError(.unexpectedEndOfInput, at: 0).description == "unexpected end of JSON input at byte 0")
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: JSONParseError(.tooDeep(limit: 128), at: 128)) { try JSONValue(parsing: deep) }
        let objects = String(repeating: "{\"a\":", count: 5) + "1" + String(repeating: "}", count: 5)
        #expect(throws: JSONParseError(.tooDeep(limit: 4), at: 20)) { try JSONValue(parsing: objects, maxDepth: 4) }
        // A hostile body does not overflow the stack.
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: hostile) }
    }

    @Test func decodesEscapesAndUnicode() throws {
        #expect(try JSONValue(parsing: #""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try JSONValue(parsing: #""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try JSONValue(parsing: #""\ud83d\ude00x""#) == .string("😀x"))
        #expect(try JSONValue(parsing: "\"héllo 😀\"") == .string("héllo 😀"))
        #expect(try JSONValue(parsing: #""\u0000""#) == .string("\u{0}"))
    }

    @Test(arguments: [#""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\ud83d\u0041""#])
    func rejectsUnpairedSurrogates(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]  // "\xC3(" : a truncated sequence
        #expect(throws: JSONParseError(.invalidUTF8, at: 0)) { try JSONValue(parsing: bytes) }
        let overlong: [UInt8] = [0x5B, 0x22, 0x5C, 0x6E, 0xC0, 0xAF, 0x22, 0x5D]  // ["\n<overlong />"]
        #expect(throws: JSONParseError(.invalidUTF8, at: 1)) { try JSONValue(parsing: overlong) }
    }

    @Test func keepsBigIntegersAndNumberLiteralsExact() throws {
        let big = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        let value = try JSONValue(parsing: "[\(big), 1.50, -0, 2E+3, 9007199254740993]")
        #expect(value[0]?.numberValue?.literal == big)
        #expect(value[0]?.numberValue?.u256 == .max)
        #expect(value[0]?.numberValue?.int == nil)
        #expect(value[1]?.numberValue?.literal == "1.50")
        #expect(value[1]?.numberValue?.double == 1.5)
        #expect(value[2]?.numberValue?.literal == "-0")
        #expect(value[3]?.numberValue?.isInteger == false)
        #expect(value[4]?.numberValue?.int == 9_007_199_254_740_993)
        #expect(value.serializedString() == "[\(big),1.50,-0,2E+3,9007199254740993]")
    }

    @Test func keepsObjectKeyOrderAndLastDuplicateWins() throws {
        let value = try JSONValue(parsing: #"{"z":1,"a":2,"m":3,"a":4}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m", "a"])
        #expect(value["a"] == 4)
        #expect(value.serializedString() == #"{"z":1,"a":2,"m":3,"a":4}"#)
    }

    @Test func validatesNumberLiterals() {
        #expect(JSONNumber(literal: "12.5e-3") != nil)
        #expect(JSONNumber(literal: "012") == nil)
        #expect(JSONNumber(literal: "1.") == nil)
        #expect(JSONNumber(literal: "") == nil)
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(0.25)?.literal == "0.25")
    }
}
