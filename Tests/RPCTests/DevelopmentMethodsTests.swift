import JSON
import Primitives
import Synchronization
import Testing
@testable import RPC

/// evm_mine / anvil_mine / evm_snapshot / evm_revert: parameters as anvil takes them, passed on
/// to the backend; errors name what is wrong.
@Suite struct DevelopmentMethodsTests {
    final class Recorder: RPCDevelopmentBackend, Sendable {
        let calls = Mutex<[String]>([])
        func mine(count: Int, timestamp: UInt64?) async throws {
            calls.withLock { $0.append("mine \(count) \(timestamp.map(String.init) ?? "-")") }
        }
        func snapshot() async throws -> UInt64 { calls.withLock { $0.append("snapshot"); return UInt64($0.count - 1) } }
        func revert(to id: UInt64) async throws -> Bool { calls.withLock { $0.append("revert \(id)") }; return id == 0 }
        func increaseTime(by seconds: UInt64) async throws -> Int64 { calls.withLock { $0.append("increase \(seconds)") }; return 100 }
        func setNextBlockTimestamp(_ timestamp: UInt64) async throws { calls.withLock { $0.append("next \(timestamp)") } }
        func setAutomine(_ on: Bool) async throws { calls.withLock { $0.append("automine \(on)") } }
        func automine() async throws -> Bool { true }
        func edit(_ edit: RPCStateEdit) async throws {
            let parts = [edit.balance.map { "balance \($0)" }, edit.nonce.map { "nonce \($0)" }, edit.code.map { "code \($0.count)" }]
                + edit.storage.map { "slot \($0.key.hex.suffix(2))=\($0.value.hex.suffix(2))" }
            calls.withLock { $0.append("edit \(edit.address.hex.suffix(4)) " + parts.compactMap { $0 }.joined(separator: " ")) }
        }
    }

    @Test func passesAnvilsStateEditsOn() async throws {
        let backend = Recorder()
        var table = RPCMethodTable()
        table.registerDevelopmentMethods(backend: backend)
        let rpc = RPCDispatcher(methods: table, configuration: .init(enabledNamespaces: ["evm", "anvil"], requestTimeout: nil))
        let a: JSONValue = "0x000000000000000000000000000000000000bEEF"
        #expect(try await rpc.result("anvil_setBalance", [a, "0x10"]) == .null)
        #expect(try await rpc.result("anvil_setNonce", [a, "0x7"]) == .null)
        #expect(try await rpc.result("anvil_setCode", [a, "0x6000"]) == .null)
        #expect(try await rpc.result("anvil_setStorageAt", [a, "0x1", .string("0x" + String(repeating: "0", count: 62) + "2a")]) == true)
        #expect(backend.calls.withLock { $0 } == ["edit beef balance 16", "edit beef nonce 7", "edit beef code 2", "edit beef slot 01=2a"])
        #expect(await rpc.error("anvil_setBalance", [a]) == .invalidParams("missing value for required argument 1"))
        #expect(await rpc.error("anvil_setCode", [a, .string("0x" + String(repeating: "00", count: 24_577))])
            == .invalidParams("invalid argument 1: code of 24577 bytes; at most 24576 (EIP-170)"))
        #expect(await rpc.error("anvil_setStorageAt", ["0x12", "0x1", "0x2"])?.code == -32602)
    }

    @Test func passesAnvilsParameterFormsOn() async throws {
        let backend = Recorder()
        var table = RPCMethodTable()
        table.registerDevelopmentMethods(backend: backend)
        let rpc = RPCDispatcher(methods: table, configuration: .init(enabledNamespaces: ["evm", "anvil"], requestTimeout: nil))
        #expect(try await rpc.result("evm_mine") == "0x0")
        #expect(try await rpc.result("evm_mine", [1_800_000_000]) == "0x0")
        #expect(try await rpc.result("evm_mine", ["0x10"]) == "0x0")
        #expect(try await rpc.result("evm_mine", [["timestamp": 5, "blocks": 3]]) == "0x0")
        #expect(try await rpc.result("anvil_mine") == .null)
        #expect(try await rpc.result("anvil_mine", ["0x4", 0]) == .null)
        #expect(try await rpc.result("evm_snapshot") == "0x6")
        #expect(try await rpc.result("evm_revert", ["0x0"]) == true)
        #expect(try await rpc.result("evm_revert", ["0x9"]) == false)
        #expect(try await rpc.result("evm_increaseTime", [60]) == "0x64")
        #expect(try await rpc.result("evm_setNextBlockTimestamp", ["0x6553f100"]) == .null)
        #expect(backend.calls.withLock { $0 } == ["mine 1 -", "mine 1 1800000000", "mine 1 16", "mine 3 5", "mine 1 -", "mine 4 -",
                                                 "snapshot", "revert 0", "revert 9", "increase 60", "next 1700000000"])
        #expect(await rpc.error("anvil_mine", [1, 12])
            == .invalidParams("invalid argument 1: an interval between block timestamps is not supported here: omit it or give 0"))
        #expect(await rpc.error("anvil_mine", [20_000]) == .invalidParams("invalid argument 0: at most 10000 blocks per call, got 20000"))
        #expect(await rpc.error("evm_revert") == .invalidParams("missing value for required argument 0"))
    }
}
