/// An event log emitted during execution: rlp([address, [topic, ...], data]).
public struct Log: Hashable, Sendable {
    public var address: Address
    public var topics: [Hash32]
    public var data: [UInt8]

    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }
}

extension Log {
    /// Appends rlp([address, [topics], data]).
    public func write(to w: inout RLPWriter) {
        w.writeList { w in
            w.write(address)
            w.writeList { w in for topic in topics { w.write(topic) } }
            w.write(bytes: data)
        }
    }

    /// Reads one log, strictly (20-byte address, 32-byte topics, no extra fields).
    public init(from reader: inout RLPReader) throws(RLPError) {
        var list = try reader.readList()
        let address = try list.readAddress()
        var topicList = try list.readList()
        var topics: [Hash32] = []
        while !topicList.isAtEnd { topics.append(try topicList.readHash()) }
        let data = Array(try list.readBytes())
        try list.finish()
        self.init(address: address, topics: topics, data: data)
    }
}
