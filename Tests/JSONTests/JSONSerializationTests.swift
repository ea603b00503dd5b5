import Testing
import TestSupport
@testable import JSON

@Suite struct JSONSerializationTests {
    @Test func escapesStrings() {
        let s = JSONValue.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}/é😀")
        #expect(s.serializedString() == #""a\"b\\c\n\r\t\b\f\u0001\u001f/é😀""#)
    }

    @Test func writesCompactJSON() {
        let v: JSONValue = ["b": [1, true, .null, "x"], "a": .object([:]), "c": .array([])]
        #expect(v.serializedString() == #"{"b":[1,true,null,"x"],"a":{},"c":[]}"#)
        #expect(JSONValue.quantity(255).serializedString() == #""0xff""#)
        #expect(JSONValue.quantity(0).serializedString() == #""0x0""#)
    }

    @Test func roundTripsEveryControlCharacterAndRandomText() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let scalars = (0..<Int(rng.next() % 20)).map { _ -> Character in
                let pick = rng.next() % 4
                let v: UInt32 = pick == 0 ? UInt32(rng.next() % 0x20) : pick == 1 ? UInt32(rng.next() % 0x80)
                    : pick == 2 ? 0x4E00 + UInt32(rng.next() % 100) : 0x1F600 + UInt32(rng.next() % 50)
                return Character(Unicode.Scalar(v)!)
            }
            let value: JSONValue = ["k": .string(String(scalars)), "n": [.null, .int(Int(truncatingIfNeeded: rng.next()))]]
            #expect(try JSONValue(parsing: value.serialized()) == value)
        }
    }
}
