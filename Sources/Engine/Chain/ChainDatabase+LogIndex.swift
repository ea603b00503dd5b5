import Primitives
import Storage

/// The log index: which blocks logged from an address, or with a topic at a position.
///
/// | column family | key | value |
/// |---|---|---|
/// | `logindex` | `0x00` ‖ address (20) ‖ number (8, big-endian) | empty |
/// | `logindex` | `0x01 + position` ‖ topic (32) ‖ number (8, big-endian) | empty |
///
/// One entry per block and distinct address (or topic at a position), written in the block's
/// commit batch and deleted by a rollback in its batch, so it always matches the canonical
/// chain. A selective eth_getLogs reads the entries of its addresses and topics in its range
/// (one seek and a short scan each) and loads only the blocks they name. The index covers the
/// blocks from `MetaKey.logIndexStart` on: a datadir created before the index existed starts
/// it at the head it was first opened at, and queries below that scan blooms.
extension ChainDatabase {
    static let logIndexAddressTag: UInt8 = 0x00

    /// The index keys of `receipts`' logs in block `number`, without repeats.
    static func logIndexKeys(receipts: [Receipt], number: UInt64) -> Set<[UInt8]> {
        var keys = Set<[UInt8]>()
        let suffix = numberKey(number)
        for receipt in receipts {
            for log in receipt.logs {
                keys.insert([logIndexAddressTag] + log.address.bytes + suffix)
                for (position, topic) in log.topics.prefix(4).enumerated() {
                    keys.insert([UInt8(1 + position)] + topic.bytes + suffix)
                }
            }
        }
        return keys
    }

    func putLogIndex(receipts: [Receipt], number: UInt64, into batch: inout WriteBatch) {
        for key in Self.logIndexKeys(receipts: receipts, number: number) { batch.put(key, [], in: logIndex) }
    }

    func deleteLogIndex(receipts: [Receipt], number: UInt64, into batch: inout WriteBatch) {
        for key in Self.logIndexKeys(receipts: receipts, number: number) { batch.delete(key, in: logIndex) }
    }

    /// The first block the index covers; nil in a datadir that has not recorded it yet.
    func logIndexStart() throws(EngineError) -> UInt64? {
        guard let bytes = try storage({ () throws(StorageError) in try metaValue(.logIndexStart) }) else { return nil }
        guard bytes.count == 8 else { throw .corruptDatabase(.logIndexStart, .wrongLength(bytes.count)) }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The block numbers in `from...to` whose entry `prefix` (tag ‖ address or topic) exists,
    /// ascending.
    func logIndexBlocks(prefix: [UInt8], from: UInt64, to: UInt64) throws(EngineError) -> [UInt64] {
        var out: [UInt64] = []
        let start = prefix + Self.numberKey(from)
        let end: [UInt8]? = to == .max ? Self.successor(of: prefix) : prefix + Self.numberKey(to + 1)
        try storage { () throws(StorageError) in
            try db.scan(in: logIndex, from: start, to: end, reverse: false) { key, _ in
                out.append(key.suffix(8).reduce(0) { $0 << 8 | UInt64($1) })
                return true
            }
        }
        return out
    }

    /// The smallest key greater than every key that starts with `prefix`.
    private static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF { bytes[bytes.count - 1] = last + 1; return bytes }
            bytes.removeLast()
        }
        return nil
    }
}

extension Chain {
    /// The canonical blocks in `from...to` that may hold a log from one of `addresses` (any
    /// when empty) whose topics match `topics` (per position: nil or any of the listed ones),
    /// ascending; every block that holds one is included. Nil when the index cannot narrow the
    /// query: no address and no topic given, or the range starts before the index does (then
    /// scan each block's bloom).
    public func logBlocks(addresses: [Address], topics: [[Hash32]?], from: UInt64, to: UInt64) throws(EngineError) -> [UInt64]? {
        guard from <= to else { return [] }
        var constraints: [[[UInt8]]] = []
        if !addresses.isEmpty { constraints.append(addresses.map { [ChainDatabase.logIndexAddressTag] + $0.bytes }) }
        for (position, alternatives) in topics.prefix(4).enumerated() {
            if let alternatives, !alternatives.isEmpty { constraints.append(alternatives.map { [UInt8(1 + position)] + $0.bytes }) }
        }
        guard !constraints.isEmpty, let start = try database.logIndexStart(), from >= start else { return nil }
        var result: Set<UInt64>?
        // The narrowest constraint first: later ones only need to confirm its blocks.
        for prefixes in constraints {
            var blocks = Set<UInt64>()
            for prefix in prefixes {
                blocks.formUnion(try database.logIndexBlocks(prefix: prefix, from: from, to: to))
            }
            result = result.map { $0.intersection(blocks) } ?? blocks
            if result?.isEmpty == true { return [] }
        }
        return (result ?? []).sorted()
    }
}
