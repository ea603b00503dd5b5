import JSON
import Primitives

/// A `QueueTransaction` event of the L1 message queue, decoded from an `eth_getLogs` entry.
///
///     event QueueTransaction(address indexed sender, address indexed target, uint256 value,
///                            uint64 queueIndex, uint256 gasLimit, bytes data)
///
/// topics = [topic0, sender, target]; data = ABI words value, queueIndex, gasLimit, the offset of
/// `data` (0x80), then at that offset its length and its bytes padded to a multiple of 32.
struct QueueTransactionLog: Sendable, Equatable {
    /// keccak256("QueueTransaction(address,address,uint256,uint64,uint256,bytes)").
    static let topic0 = Hash32(hexLiteral: "69cfcb8e6d4192b8aba9902243912587f37e550d75c1fa801491fce26717f37e")

    var message: L1MessageTransaction
    var blockNumber: UInt64
    var blockHash: Hash32
    var logIndex: UInt64
    var transactionHash: Hash32

    /// Decodes one log object. `removed: true` logs come back as nil. A log that is not a
    /// QueueTransaction of `queue` (a provider that ignored the filter) throws.
    static func decode(_ json: JSONValue, queue: Address) throws(L1WatcherError) -> QueueTransactionLog? {
        guard case .object = json else { throw .malformed("log is not a JSON object") }
        if case .bool(true)? = json["removed"] { return nil }
        let addressBytes = try json.bytes("address", in: "log")
        guard addressBytes.count == 20, Address(addressBytes) == queue else {
            throw .malformed("log from \(Hex.encode(addressBytes)), not the message queue \(queue)")
        }
        guard let topicValues = try json.field("topics", in: "log").arrayValue else { throw .malformed("log.topics is not an array") }
        var topics: [Hash32] = []
        for t in topicValues {
            guard let s = t.stringValue, let bytes = try? Hex.decode(s), bytes.count == 32 else { throw .malformed("log topic is not 32 bytes of hex") }
            topics.append(Hash32(bytes))
        }
        guard topics.count == 3, topics[0] == topic0 else {
            throw .malformed("log is not a QueueTransaction event (topics \(topics.map(\.hex)))")
        }
        let blockNumber = try json.quantity("blockNumber", in: "log")
        let blockHash = try json.hash("blockHash", in: "log")
        let logIndex = try json.quantity("logIndex", in: "log")
        let transactionHash = (try? json.hash("transactionHash", in: "log")) ?? .zero
        let data = try json.bytes("data", in: "log")
        let where_ = "QueueTransaction log \(logIndex) of L1 block \(blockNumber)"
        let fields = try decodeData(data, context: where_)
        let sender = try addressTopic(topics[1], what: "sender", context: where_)
        let target = try addressTopic(topics[2], what: "target", context: where_)
        let message = L1MessageTransaction(queueIndex: fields.queueIndex, gasLimit: fields.gasLimit, to: target,
                                           value: fields.value, data: fields.data, sender: sender)
        return QueueTransactionLog(message: message, blockNumber: blockNumber, blockHash: blockHash, logIndex: logIndex,
                                   transactionHash: transactionHash)
    }

    static func addressTopic(_ topic: Hash32, what: String, context: String) throws(L1WatcherError) -> Address {
        let bytes = topic.bytes
        guard bytes[0..<12].allSatisfy({ $0 == 0 }) else { throw .malformed("\(context): \(what) topic is not an address") }
        return Address(bytes[12...])
    }

    /// The non-indexed fields from the ABI-encoded log data.
    static func decodeData(_ data: [UInt8], context: String) throws(L1WatcherError)
        -> (value: U256, queueIndex: UInt64, gasLimit: UInt64, data: [UInt8]) {
        guard data.count >= 5 * 32, data.count % 32 == 0 else {
            throw .malformed("\(context): data is \(data.count) bytes, not ABI words for (uint256, uint64, uint256, bytes)")
        }
        func word(_ i: Int) -> ArraySlice<UInt8> { data[(i * 32)..<(i * 32 + 32)] }
        func small(_ w: ArraySlice<UInt8>) -> UInt64? {
            guard w.prefix(24).allSatisfy({ $0 == 0 }) else { return nil }
            return w.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
        }
        let value = U256(bigEndian: word(0))!
        guard let queueIndex = small(word(1)) else { throw .malformed("\(context): queueIndex does not fit uint64") }
        guard let gasLimit = small(word(2)) else { throw .malformed("\(context): gasLimit does not fit 64 bits") }
        guard let offset = small(word(3)), offset % 32 == 0, offset >= 128, offset <= UInt64(data.count - 32) else {
            throw .malformed("\(context): bad offset of the data bytes")
        }
        let lengthStart = Int(offset)
        guard let length = small(data[lengthStart..<(lengthStart + 32)]),
              length <= UInt64(data.count - lengthStart - 32) else {
            throw .malformed("\(context): data length runs past the end of the log data")
        }
        let bytesStart = lengthStart + 32
        let payload = Array(data[bytesStart..<(bytesStart + Int(length))])
        return (value, queueIndex, gasLimit, payload)
    }
}

extension Hash32 {
    /// From 64 hex digits known at compile time.
    init(hexLiteral: StaticString) {
        self = try! Hash32(hex: "0x" + "\(hexLiteral)")
    }
}
