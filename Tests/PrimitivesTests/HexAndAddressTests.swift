import Testing
@testable import Primitives

struct HexAndAddressTests {
    @Test func decodesStrictData() throws {
        #expect(try Hex.decode("0x") == [])
        #expect(try Hex.decode("0x00ff") == [0, 255])
        #expect(try Hex.decode("0XAbCd") == [0xab, 0xcd])
        #expect(throws: HexError.missingPrefix) { try Hex.decode("00ff") }
        #expect(throws: HexError.oddLength(3)) { try Hex.decode("0x0ff") }
        #expect(throws: HexError.invalidCharacter(position: 3)) { try Hex.decode("0x0g") }
        #expect(try Hex.decodeOptionalPrefix("ff") == [255])
    }

    @Test func encodesContiguousAndOtherCollectionsAlike() throws {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "0x00017f80abff")
        #expect(Hex.encode(bytes, prefix: false) == "00017f80abff")
        #expect(Hex.encode(bytes[2...]) == "0x7f80abff")
        #expect(Hex.encode(bytes.lazy.map { $0 }) == "0x00017f80abff")  // not contiguous
        #expect(Hex.encode([UInt8]()) == "0x")
        let all = (0...255).map(UInt8.init)
        #expect(try Hex.decode(Hex.encode(all)) == all)
    }

    @Test func decodesStrictQuantities() throws {
        #expect(try Hex.decodeQuantity("0x0") == 0)
        #expect(try Hex.decodeQuantity("0xffffffffffffffff") == .max)
        #expect(throws: HexError.valueTooLarge(bits: 64)) { try Hex.decodeQuantity("0x10000000000000000") }
        #expect(throws: HexError.leadingZeros) { try Hex.decodeQuantity("0x00") }
        #expect(Hex.encodeQuantity(0) == "0x0")
        #expect(Hex.encodeQuantity(255) == "0xff")
    }

    /// The examples of EIP-55 itself.
    @Test(arguments: [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0xde709f2102306220921060314715629080e2fb77",
    ])
    func printsEIP55Checksums(_ text: String) throws {
        let address = try Address(hex: text.lowercased())
        #expect(address.checksummed == text)
        #expect(try Address(hex: text) == address)
    }

    @Test func rejectsBadChecksumsAndLengths() {
        #expect(throws: AddressError.badChecksum) { try Address(hex: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
        #expect(throws: AddressError.invalidHex(.wrongLength(expected: 20, actual: 19))) {
            try Address(hex: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea")
        }
    }

    @Test func hashRoundTripsThroughBytes() throws {
        let h = try Hash32(hex: "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        #expect(Hash32(h.bytes) == h)
        #expect(h.hex == "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        #expect(throws: HexError.wrongLength(expected: 32, actual: 31)) { try Hash32(validating: [UInt8](repeating: 0, count: 31)) }
        let a = Address(lastBytesOf: h)
        #expect(a.bytes == Array(h.bytes[12...]))
    }
}
