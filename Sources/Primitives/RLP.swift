/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B).
///
/// `RLPWriter` encodes without building an item tree; `RLPReader` decodes strictly: every
/// non-canonical form is a typed `RLPError`, never accepted silently and never a trap.
public enum RLPItem: Equatable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])
}

public enum RLP {
    /// Encodes one item.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var w = RLPWriter()
        w.write(item)
        return w.bytes
    }

    /// Decodes exactly one item that spans the whole input.
    public static func decode(_ bytes: [UInt8]) throws(RLPError) -> RLPItem {
        var r = RLPReader(bytes)
        let item = try r.readItem()
        try r.finish()
        return item
    }

    /// The header for a payload of `length` bytes: `offset` is 0x80 for strings, 0xc0 for lists.
    @inline(__always)
    static func appendHeader(length: Int, offset: UInt8, to out: inout [UInt8]) {
        if length < 56 {
            out.append(offset + UInt8(length))
        } else {
            let n = (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
            out.append(offset + 55 + UInt8(n))
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
        }
    }

    static func headerLength(payload length: Int) -> Int {
        length < 56 ? 1 : 1 + (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
    }
}

/// Why bytes are not canonical RLP or not the expected shape.
public enum RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    case unexpectedEnd
    case nonCanonicalSingleByte
    case nonCanonicalLength
    case lengthOverflow
    case trailingBytes(Int)
    case leadingZeroInInteger
    case integerTooLarge(bits: Int)
    case expectedList
    case expectedBytes
    case wrongLength(expected: Int, actual: Int)
    case wrongFieldCount(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .unexpectedEnd: "RLP: input ends inside an item"
        case .nonCanonicalSingleByte: "RLP: a single byte below 0x80 is wrapped in a string header"
        case .nonCanonicalLength: "RLP: length is not in its shortest form"
        case .lengthOverflow: "RLP: length does not fit in memory"
        case .trailingBytes(let n): "RLP: \(n) bytes after the end of the item"
        case .leadingZeroInInteger: "RLP: integer has leading zero bytes"
        case .integerTooLarge(let bits): "RLP: integer does not fit in \(bits) bits"
        case .expectedList: "RLP: expected a list, found a string"
        case .expectedBytes: "RLP: expected a string, found a list"
        case .wrongLength(let e, let a): "RLP: expected \(e) bytes, found \(a)"
        case .wrongFieldCount(let e, let a): "RLP: expected \(e) list elements, found \(a)"
        }
    }
}

/// Appends RLP encodings to a byte buffer.
public struct RLPWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write<C: Collection>(bytes value: C) where C.Element == UInt8 {
        if value.count == 1, let b = value.first, b < 0x80 {
            bytes.append(b)
        } else {
            RLP.appendHeader(length: value.count, offset: 0x80, to: &bytes)
            bytes.append(contentsOf: value)
        }
    }

    public mutating func write(_ value: UInt64) {
        if value == 0 { bytes.append(0x80); return }
        if value < 0x80 { bytes.append(UInt8(value)); return }
        let n = (64 - value.leadingZeroBitCount + 7) / 8
        bytes.append(0x80 + UInt8(n))
        for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    public mutating func write(_ value: U256) {
        if let small = value.uint64 { write(small) } else { write(bytes: value.minimalBytes) }
    }

    public mutating func write(_ value: Address) { write(bytes: value.bytes) }
    public mutating func write(_ value: Hash32) { write(bytes: value.bytes) }

    /// An optional address: empty string for nil (contract creation's `to`).
    public mutating func write(_ value: Address?) {
        if let value { write(value) } else { bytes.append(0x80) }
    }

    public mutating func write(_ item: RLPItem) {
        switch item {
        case .bytes(let b): write(bytes: b)
        case .list(let items): writeList { w in for i in items { w.write(i) } }
        }
    }

    /// Appends an already-encoded item verbatim.
    public mutating func write(encoded: some Collection<UInt8>) { bytes.append(contentsOf: encoded) }

    /// Writes a list whose items `body` writes.
    public mutating func writeList(_ body: (inout RLPWriter) throws -> Void) rethrows {
        let start = bytes.count
        try body(&self)
        let length = bytes.count - start
        if length < 56 {
            bytes.insert(0xc0 + UInt8(length), at: start)
        } else {
            var header: [UInt8] = []
            RLP.appendHeader(length: length, offset: 0xc0, to: &header)
            bytes.insert(contentsOf: header, at: start)
        }
    }
}

/// A strict cursor over RLP bytes. Reading a list returns a reader confined to its payload.
public struct RLPReader: Sendable {
    let data: [UInt8]
    public private(set) var position: Int
    let end: Int

    public init(_ data: [UInt8]) { self.init(data, from: 0, to: data.count) }

    init(_ data: [UInt8], from: Int, to: Int) { self.data = data; position = from; end = to }

    public var isAtEnd: Bool { position >= end }

    /// Throws when anything is left after the items read so far.
    public func finish() throws(RLPError) {
        if position != end { throw .trailingBytes(end - position) }
    }

    struct Header { var isList: Bool; var payloadStart: Int; var payloadLength: Int }

    func peekHeader() throws(RLPError) -> Header {
        guard position < end else { throw .unexpectedEnd }
        let b = data[position]
        switch b {
        case 0x00...0x7f:
            return Header(isList: false, payloadStart: position, payloadLength: 1)
        case 0x80...0xb7, 0xc0...0xf7:
            let isList = b >= 0xc0
            let length = Int(b - (isList ? 0xc0 : 0x80))
            let start = position + 1
            guard length <= end - start else { throw .unexpectedEnd }
            if !isList && length == 1 && data[start] < 0x80 { throw .nonCanonicalSingleByte }
            return Header(isList: isList, payloadStart: start, payloadLength: length)
        default:
            let isList = b >= 0xf8
            let lengthOfLength = Int(b - (isList ? 0xf7 : 0xb7))
            guard lengthOfLength <= end - position - 1 else { throw .unexpectedEnd }
            guard lengthOfLength <= 8 else { throw .lengthOverflow }
            if data[position + 1] == 0 { throw .nonCanonicalLength }
            var length: UInt64 = 0
            for i in 0..<lengthOfLength { length = length << 8 | UInt64(data[position + 1 + i]) }
            guard length >= 56 else { throw .nonCanonicalLength }
            let start = position + 1 + lengthOfLength
            guard length <= UInt64(end - start) else { throw .unexpectedEnd }
            return Header(isList: isList, payloadStart: start, payloadLength: Int(length))
        }
    }

    /// Whether the next item is a list.
    public func nextIsList() throws(RLPError) -> Bool { try peekHeader().isList }

    /// The next item's string payload.
    public mutating func readBytes() throws(RLPError) -> ArraySlice<UInt8> {
        let h = try peekHeader()
        guard !h.isList else { throw .expectedBytes }
        position = h.payloadStart + h.payloadLength
        return data[h.payloadStart..<position]
    }

    /// A reader over the next item's list payload.
    public mutating func readList() throws(RLPError) -> RLPReader {
        let h = try peekHeader()
        guard h.isList else { throw .expectedList }
        position = h.payloadStart + h.payloadLength
        return RLPReader(data, from: h.payloadStart, to: position)
    }

    /// The full encoding (header and payload) of the next item.
    public mutating func readEncoded() throws(RLPError) -> ArraySlice<UInt8> {
        let h = try peekHeader()
        let start = position
        position = h.payloadStart + h.payloadLength
        return data[start..<position]
    }

    public mutating func readUInt64() throws(RLPError) -> UInt64 {
        let b = try readBytes()
        if let first = b.first, first == 0 { throw .leadingZeroInInteger }
        guard b.count <= 8 else { throw .integerTooLarge(bits: 64) }
        var v: UInt64 = 0
        for x in b { v = v << 8 | UInt64(x) }
        return v
    }

    public mutating func readU256() throws(RLPError) -> U256 {
        let b = try readBytes()
        if let first = b.first, first == 0 { throw .leadingZeroInInteger }
        guard b.count <= 32, let v = U256(bigEndian: b) else { throw .integerTooLarge(bits: 256) }
        return v
    }

    public mutating func readAddress() throws(RLPError) -> Address {
        let b = try readBytes()
        guard b.count == 20 else { throw .wrongLength(expected: 20, actual: b.count) }
        return Address(b)
    }

    /// An address or the empty string (nil).
    public mutating func readOptionalAddress() throws(RLPError) -> Address? {
        let b = try readBytes()
        if b.isEmpty { return nil }
        guard b.count == 20 else { throw .wrongLength(expected: 20, actual: b.count) }
        return Address(b)
    }

    public mutating func readHash() throws(RLPError) -> Hash32 {
        let b = try readBytes()
        guard b.count == 32 else { throw .wrongLength(expected: 32, actual: b.count) }
        return Hash32(b)
    }

    public mutating func readItem() throws(RLPError) -> RLPItem {
        if try nextIsList() {
            var inner = try readList()
            var items: [RLPItem] = []
            while !inner.isAtEnd { items.append(try inner.readItem()) }
            return .list(items)
        }
        return .bytes(Array(try readBytes()))
    }

    /// Counts the items left in this reader without consuming them.
    public func remainingCount() throws(RLPError) -> Int {
        var copy = self
        var n = 0
        while !copy.isAtEnd { _ = try copy.readEncoded(); n += 1 }
        return n
    }
}
