import JSON
import Primitives

/// The parts of an L1 block header the watcher uses: enough to follow the chain by parent hash.
public struct L1BlockHeader: Sendable, Hashable, CustomStringConvertible {
    public var number: UInt64
    public var hash: Hash32
    public var parentHash: Hash32
    public var timestamp: UInt64

    public init(number: UInt64, hash: Hash32, parentHash: Hash32, timestamp: UInt64 = 0) {
        self.number = number; self.hash = hash; self.parentHash = parentHash; self.timestamp = timestamp
    }

    public var description: String { "#\(number) \(hash.hex.prefix(10))…" }

    /// From an `eth_getBlockByNumber`/`eth_getBlockByHash` result object.
    init(json: JSONValue) throws(L1WatcherError) {
        guard case .object = json else { throw .malformed("block is not a JSON object") }
        number = try json.quantity("number", in: "block")
        hash = try json.hash("hash", in: "block")
        parentHash = try json.hash("parentHash", in: "block")
        timestamp = (try? json.quantity("timestamp", in: "block")) ?? 0
    }
}

extension JSONValue {
    func field(_ key: String, in what: String) throws(L1WatcherError) -> JSONValue {
        guard let v = self[key] else { throw .malformed("\(what) has no \"\(key)\"") }
        return v
    }

    func quantity(_ key: String, in what: String) throws(L1WatcherError) -> UInt64 {
        guard let s = try field(key, in: what).stringValue else { throw .malformed("\(what).\(key) is not a string") }
        do { return try Hex.decodeQuantity(s) } catch { throw .malformed("\(what).\(key) \"\(s)\": \(error)") }
    }

    func hash(_ key: String, in what: String) throws(L1WatcherError) -> Hash32 {
        guard let s = try field(key, in: what).stringValue else { throw .malformed("\(what).\(key) is not a string") }
        do {
            let bytes = try Hex.decode(s)
            guard bytes.count == 32 else { throw L1WatcherError.malformed("\(what).\(key) is not 32 bytes") }
            return Hash32(bytes)
        } catch let e as L1WatcherError {
            throw e
        } catch {
            throw .malformed("\(what).\(key) \"\(s)\": \(error)")
        }
    }

    func bytes(_ key: String, in what: String) throws(L1WatcherError) -> [UInt8] {
        guard let s = try field(key, in: what).stringValue else { throw .malformed("\(what).\(key) is not a string") }
        do { return try Hex.decode(s) } catch { throw .malformed("\(what).\(key): \(error)") }
    }
}
