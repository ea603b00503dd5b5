import Primitives
import Synchronization

/// An in-memory L1 chain for tests, benchmarks and `fake-l1`: blocks with hashes and parents,
/// `latest` and `finalized` (finalized lags latest by `finalizedDistance` blocks), and
/// QueueTransaction logs of one message-queue contract, with scripted reorgs of any depth.
///
/// Defaults match chains/dev.json's `l1` settings: chain id 31337, queue
/// 0x0000000000000000000000000000000000001000, messages from block 1 (block 0 is genesis).
public final class FakeL1Chain: Sendable {
    /// A message to put on L1: what `L1MessageQueue.appendCrossDomainMessage` would emit.
    public struct Message: Sendable, Hashable {
        public var sender: Address
        public var target: Address
        public var value: U256
        public var gasLimit: UInt64
        public var data: [UInt8]

        public init(sender: Address, target: Address, value: U256 = .zero, gasLimit: UInt64 = 100_000, data: [UInt8] = []) {
            self.sender = sender; self.target = target; self.value = value; self.gasLimit = gasLimit; self.data = data
        }
    }

    /// A QueueTransaction log in a mined block.
    public struct Log: Sendable {
        public var queueIndex: UInt64
        public var message: Message
        public var logIndex: UInt64
        public var transactionHash: Hash32
        /// The log as eth_getLogs returns it (built once, when the block is mined).
        public var json: String
    }

    public struct Block: Sendable {
        public var number: UInt64
        public var hash: Hash32
        public var parentHash: Hash32
        public var timestamp: UInt64
        public var logs: [Log]
    }

    /// What the new blocks of a reorg contain.
    public enum ReorgMessages: Sendable {
        /// The replaced blocks' messages again, block by block (extra ones go into the last new block).
        case keep
        /// No messages: the replaced blocks' messages are gone from L1.
        case drop
        /// These messages, one list per new block.
        case replace([[Message]])
    }

    public let chainID: UInt64
    public let messageQueue: Address
    public let blockInterval: UInt64

    private struct State {
        var blocks: [Block] = []
        var byHash: [Hash32: UInt64] = [:]
        var pending: [Message] = []
        var nextQueueIndex: UInt64 = 0
        var finalizedDistance: UInt64
        var nonce: UInt64 = 0
        var reorgs = 0
    }
    private let state: Mutex<State>

    /// keccak256("QueueTransaction(address,address,uint256,uint64,uint256,bytes)").
    public static let queueTransactionTopic = Keccak.hash256(Array("QueueTransaction(address,address,uint256,uint64,uint256,bytes)".utf8))

    public init(chainID: UInt64 = 31337,
                messageQueue: Address = try! Address(hex: "0x0000000000000000000000000000000000001000"),
                finalizedDistance: UInt64 = 2, genesisTimestamp: UInt64 = 1_700_000_000, blockInterval: UInt64 = 12) {
        self.chainID = chainID
        self.messageQueue = messageQueue
        self.blockInterval = blockInterval
        var s = State(finalizedDistance: finalizedDistance)
        let genesis = Self.makeBlock(number: 0, parent: .zero, timestamp: genesisTimestamp, messages: [], firstIndex: 0,
                                     nonce: 0, chainID: chainID, queue: messageQueue)
        s.blocks.append(genesis)
        s.byHash[genesis.hash] = 0
        s.nonce = 1
        state = Mutex(s)
    }

    // MARK: Reading

    public var latest: Block { state.withLock { $0.blocks.last! } }
    public var latestNumber: UInt64 { state.withLock { UInt64($0.blocks.count - 1) } }
    public var finalizedNumber: UInt64 {
        state.withLock { s in
            let head = UInt64(s.blocks.count - 1)
            return head >= s.finalizedDistance ? head - s.finalizedDistance : 0
        }
    }
    public var finalized: Block { block(finalizedNumber)! }

    public var finalizedDistance: UInt64 {
        get { state.withLock { $0.finalizedDistance } }
        set { state.withLock { $0.finalizedDistance = newValue } }
    }

    public func block(_ number: UInt64) -> Block? {
        state.withLock { s in number < UInt64(s.blocks.count) ? s.blocks[Int(number)] : nil }
    }

    public func block(hash: Hash32) -> Block? {
        state.withLock { s in s.byHash[hash].map { s.blocks[Int($0)] } }
    }

    /// Messages on the canonical chain so far (the next queue index).
    public var messageCount: UInt64 { state.withLock { $0.nextQueueIndex } }

    /// How many reorgs were scripted.
    public var reorgCount: Int { state.withLock { $0.reorgs } }

    /// The canonical logs of blocks `from...to`, in order.
    public func logs(from: UInt64, to: UInt64) -> [(block: Block, log: Log)] {
        state.withLock { s in
            guard from < UInt64(s.blocks.count), from <= to else { return [] }
            let end = min(to, UInt64(s.blocks.count - 1))
            var out: [(Block, Log)] = []
            for n in from...end {
                let b = s.blocks[Int(n)]
                for l in b.logs { out.append((b, l)) }
            }
            return out
        }
    }

    /// The block and log holding `queueIndex` on the canonical chain.
    public func log(queueIndex: UInt64) -> (block: Block, log: Log)? {
        state.withLock { s in
            // Binary search on the first queue index of each block would do; tests are small.
            for b in s.blocks.reversed() {
                if let l = b.logs.first(where: { $0.queueIndex == queueIndex }) { return (b, l) }
                if let first = b.logs.first, first.queueIndex < queueIndex { return nil }
            }
            return nil
        }
    }

    // MARK: Writing

    /// Queues a message for the next mined block; returns the queue index it will get.
    @discardableResult
    public func enqueue(_ message: Message) -> UInt64 {
        state.withLock { s in
            s.pending.append(message)
            return s.nextQueueIndex + UInt64(s.pending.count - 1)
        }
    }

    /// Mines `count` blocks (the first one takes the queued messages). Returns the new head number.
    @discardableResult
    public func mine(_ count: Int = 1) -> UInt64 {
        state.withLock { s in
            for _ in 0..<count {
                let messages = s.pending
                s.pending = []
                append(&s, messages)
            }
            return UInt64(s.blocks.count - 1)
        }
    }

    /// Mines one block holding `messages` (after any queued ones). Returns it.
    @discardableResult
    public func mine(messages: [Message]) -> Block {
        state.withLock { s in
            let all = s.pending + messages
            s.pending = []
            append(&s, all)
            return s.blocks.last!
        }
    }

    /// Mines `blocks` blocks with `perBlock` generated messages each (for benchmarks).
    public func mineGenerated(blocks: Int, perBlock: Int, dataBytes: Int = 0) {
        state.withLock { s in
            for _ in 0..<blocks {
                var messages: [Message] = []
                messages.reserveCapacity(perBlock)
                for _ in 0..<perBlock {
                    let i = s.nextQueueIndex + UInt64(messages.count)
                    messages.append(Message(sender: Self.address(i &* 2 &+ 1), target: Self.address(i &* 2 &+ 2),
                                            value: U256(i), gasLimit: 100_000 + i % 1000,
                                            data: [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: dataBytes)))
                }
                append(&s, messages)
            }
        }
    }

    static func address(_ n: UInt64) -> Address {
        Address([UInt8](repeating: 0x11, count: 12) + withUnsafeBytes(of: n.bigEndian) { Array($0) })
    }

    /// Replaces the last `depth` blocks with `newBlocks` (default `depth`) new ones: a fork
    /// with other hashes whose messages are given by `messages`. Returns the new head number.
    @discardableResult
    public func reorg(depth: Int, newBlocks: Int? = nil, messages: ReorgMessages = .keep) -> UInt64 {
        state.withLock { s in
            precondition(depth >= 1 && depth < s.blocks.count, "reorg depth \(depth) must be in 1..<\(s.blocks.count)")
            let removed = s.blocks.suffix(depth)
            s.blocks.removeLast(depth)
            for b in removed { s.byHash[b.hash] = nil }
            s.nextQueueIndex = removed.first!.logs.first?.queueIndex
                ?? s.blocks.reversed().first(where: { !$0.logs.isEmpty }).map { $0.logs.last!.queueIndex + 1 } ?? 0
            let count = newBlocks ?? depth
            var perBlock: [[Message]]
            switch messages {
            case .keep:
                perBlock = removed.map { $0.logs.map(\.message) }
                if perBlock.count > count {
                    let extra = perBlock[count...].flatMap { $0 }
                    perBlock = Array(perBlock.prefix(count))
                    if count > 0 { perBlock[count - 1] += extra }
                }
            case .drop: perBlock = []
            case .replace(let lists): perBlock = lists
            }
            for i in 0..<count { append(&s, i < perBlock.count ? perBlock[i] : []) }
            s.reorgs += 1
            return UInt64(s.blocks.count - 1)
        }
    }

    private func append(_ s: inout State, _ messages: [Message]) {
        let parent = s.blocks.last!
        let block = Self.makeBlock(number: parent.number + 1, parent: parent.hash, timestamp: parent.timestamp + blockInterval,
                                   messages: messages, firstIndex: s.nextQueueIndex, nonce: s.nonce, chainID: chainID, queue: messageQueue)
        s.nonce += 1
        s.nextQueueIndex += UInt64(messages.count)
        s.blocks.append(block)
        s.byHash[block.hash] = block.number
    }

    private static func makeBlock(number: UInt64, parent: Hash32, timestamp: UInt64, messages: [Message], firstIndex: UInt64,
                                  nonce: UInt64, chainID: UInt64, queue: Address) -> Block {
        var seed = Array("fake-l1 block".utf8)
        for v in [chainID, number, timestamp, nonce, UInt64(messages.count), firstIndex] {
            withUnsafeBytes(of: v.bigEndian) { seed.append(contentsOf: $0) }
        }
        seed += parent.bytes
        let hash = Keccak.hash256(seed)
        var logs: [Log] = []
        logs.reserveCapacity(messages.count)
        for (i, m) in messages.enumerated() {
            var txSeed = hash.bytes
            withUnsafeBytes(of: UInt64(i).bigEndian) { txSeed.append(contentsOf: $0) }
            let txHash = Keccak.hash256(txSeed)
            let queueIndex = firstIndex + UInt64(i)
            let json = logJSON(queue: queue, message: m, queueIndex: queueIndex, blockNumber: number, blockHash: hash,
                               logIndex: UInt64(i), transactionHash: txHash)
            logs.append(Log(queueIndex: queueIndex, message: m, logIndex: UInt64(i), transactionHash: txHash, json: json))
        }
        return Block(number: number, hash: hash, parentHash: parent, timestamp: timestamp, logs: logs)
    }

    // MARK: ABI

    /// The log data of a QueueTransaction event: value, queueIndex, gasLimit as 32-byte words,
    /// the offset of `data` (0x80), then its length and its bytes right-padded to 32.
    public static func encodeLogData(value: U256, queueIndex: UInt64, gasLimit: UInt64, data: [UInt8]) -> [UInt8] {
        func word(_ v: UInt64) -> [UInt8] { [UInt8](repeating: 0, count: 24) + withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        var out = value.bigEndianBytes
        out += word(queueIndex)
        out += word(gasLimit)
        out += word(0x80)
        out += word(UInt64(data.count))
        out += data
        let padding = (32 - data.count % 32) % 32
        out += [UInt8](repeating: 0, count: padding)
        return out
    }

    /// An address as a 32-byte topic (left-padded with zeros).
    public static func topic(_ address: Address) -> Hash32 {
        Hash32([UInt8](repeating: 0, count: 12) + address.bytes)
    }

    static func logJSON(queue: Address, message m: Message, queueIndex: UInt64, blockNumber: UInt64, blockHash: Hash32,
                        logIndex: UInt64, transactionHash: Hash32) -> String {
        let data = encodeLogData(value: m.value, queueIndex: queueIndex, gasLimit: m.gasLimit, data: m.data)
        var s = "{\"address\":\"\(queue.hex)\",\"topics\":[\"\(queueTransactionTopic.hex)\",\"\(topic(m.sender).hex)\",\"\(topic(m.target).hex)\"],"
        s += "\"data\":\"\(Hex.encode(data))\",\"blockNumber\":\"\(Hex.encodeQuantity(blockNumber))\",\"blockHash\":\"\(blockHash.hex)\","
        s += "\"logIndex\":\"\(Hex.encodeQuantity(logIndex))\",\"transactionHash\":\"\(transactionHash.hex)\","
        s += "\"transactionIndex\":\"\(Hex.encodeQuantity(logIndex))\",\"removed\":false}"
        return s
    }
}
