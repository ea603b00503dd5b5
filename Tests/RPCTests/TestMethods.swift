import Logging
import NIOCore
import NIOPosix
import Primitives
import Synchronization
@testable import RPC

/// Methods the dispatcher and server tests call.
enum TestMethods {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "secret database path /var/lib/node" }
    }

    struct PoolFull: JSONRPCErrorConvertible {
        var jsonRPCError: JSONRPCError { .server("txpool is full") }
    }

    static func table(chainID: UInt64 = 534_352) -> RPCMethodTable {
        var t = RPCMethodTable()
        t.registerNodeInfoMethods(chainID: chainID)
        t.register("test_echo", parameters: 0...3) { .array($0.values) }
        t.register("test_constant") { _ in .string("0x2a") }
        t.register("test_fail") { _ in throw Boom() }
        t.register("test_poolFull") { _ in throw PoolFull() }
        t.register("test_nonce") { _ in throw JSONRPCError.rejected(.nonceTooLow, detail: "address 0xabc, tx: 0 state: 3") }
        t.register("test_sleep", parameters: 1) { params in
            let ms = try params.uint64(at: 0)
            try await Task.sleep(for: .milliseconds(Int(ms)))
            return .bool(true)
        }
        // Runs until cancelled (by the request timeout): only the dispatcher's deadline ends it.
        t.register("test_hang") { _ in
            try await Task.sleep(for: .seconds(86_400))
            return .bool(false)
        }
        // Marks its tag as started, then sleeps: a test can wait until the call is in flight.
        t.register("test_sleepTagged", parameters: 2) { params in
            let ms = try params.uint64(at: 0)
            let tag = try params.string(at: 1)
            startedTags.withLock { _ = $0.insert(tag) }
            try await Task.sleep(for: .milliseconds(Int(ms)))
            return .bool(true)
        }
        // Marks its tag as started, then runs until the test releases the tag: a request that
        // stays in flight for exactly as long as the test needs, however slow the machine is.
        t.register("test_holdTagged", parameters: 1) { params in
            let tag = try params.string(at: 0)
            startedTags.withLock { _ = $0.insert(tag) }
            while !releasedTags.withLock({ $0.contains(tag) }) { try await Task.sleep(for: .milliseconds(2)) }
            return .bool(true)
        }
        t.register("test_balance", parameters: 1...2) { params in
            let address = try params.address(at: 0)
            let block = try params.optional(1)?.blockTag() ?? .latest
            return ["address": .string(address.hex), "block": .string(block.description)]
        }
        t.register("txpool_status") { _ in ["pending": "0x0", "queued": "0x0"] }
        t.register("rollupNodeAdmin_enableAutomaticSequencing") { _ in .bool(true) }
        return t
    }

    /// The tags of the `test_sleepTagged` calls that have started.
    static let startedTags = Mutex<Set<String>>([])

    /// The tags whose `test_holdTagged` calls may return.
    static let releasedTags = Mutex<Set<String>>([])

    static func release(_ tag: String) { releasedTags.withLock { _ = $0.insert(tag) } }

    /// Waits (without a time limit of its own) until a `test_sleepTagged` call with `tag` runs.
    static func waitUntilStarted(_ tag: String) async throws {
        while !startedTags.withLock({ $0.contains(tag) }) { try await Task.sleep(for: .milliseconds(1)) }
    }

    static let testNamespaces: Set<String> = RPCDispatcher.Configuration.defaultNamespaces.union(["test"])

    static func dispatcher(
        namespaces: Set<String> = testNamespaces, maxBatchSize: Int = 1000,
        timeout: Duration? = nil, logger: Logger = Logger(label: "rpc"),
        timerLoop: (any EventLoop)? = nil
    ) -> RPCDispatcher {
        RPCDispatcher(
            methods: table(),
            configuration: .init(enabledNamespaces: namespaces, maxBatchSize: maxBatchSize, requestTimeout: timeout),
            logger: logger, timerLoop: timerLoop ?? MultiThreadedEventLoopGroup.singleton.next())
    }
}

extension RPCDispatcher {
    /// The response text for a request text ("" when nothing is due).
    func respond(_ text: String) async -> String {
        guard let out = await respond(to: Array(text.utf8)) else { return "" }
        return String(decoding: out, as: UTF8.self)
    }
}
