import JSON
import Primitives

/// What the development methods need from the node: blocks on demand.
public protocol RPCDevelopmentBackend: Sendable {
    /// Produces `count` blocks now (empty ones too), the first with `timestamp` when given;
    /// throws when a block could not be produced, with the reason.
    func mine(count: Int, timestamp: UInt64?) async throws

    /// Remembers the head and returns the snapshot's id.
    func snapshot() async throws -> UInt64

    /// Rolls the chain back to snapshot `id`'s head; false when there is no such snapshot.
    func revert(to id: UInt64) async throws -> Bool

    /// Moves the clock of block timestamps forward by `seconds`; returns the total offset.
    func increaseTime(by seconds: UInt64) async throws -> Int64

    /// The next block's timestamp, and the clock continues from it.
    func setNextBlockTimestamp(_ timestamp: UInt64) async throws

    /// Changes an account directly (anvil_setBalance/Nonce/Code/StorageAt): the given fields
    /// and slots take the given values in a block produced now.
    func edit(_ edit: RPCStateEdit) async throws

    /// Automatic block production on or off (anvil_setAutomine); remembered across restarts.
    func setAutomine(_ on: Bool) async throws

    /// Whether blocks are produced automatically (anvil_getAutomine).
    func automine() async throws -> Bool
}

/// One account's direct change on a development chain; nil fields stay as they are.
public struct RPCStateEdit: Sendable, Equatable {
    public var address: Address
    public var balance: U256?
    public var nonce: UInt64?
    public var code: [UInt8]?
    public var storage: [Hash32: Hash32] = [:]
    public init(address: Address) { self.address = address }
}

/// anvil's mining methods on a development chain (`--test`; namespaces `evm` and `anvil`):
///
/// - evm_mine [timestamp? | {timestamp?, blocks?}]: one block now (or `blocks`), answers "0x0"
///   as anvil does; `timestamp` is the first block's timestamp (as evm_setNextBlockTimestamp).
/// - anvil_mine [count?, interval?]: `count` blocks now (default 1); answers null. An interval
///   between the blocks' timestamps is not supported (it must be absent or 0).
///
/// - evm_increaseTime [seconds]: later blocks' timestamps are `seconds` further ahead; answers
///   the total offset in seconds (a quantity).
/// - evm_setNextBlockTimestamp [timestamp]: the next block has exactly this timestamp (not
///   below the head's), and the clock goes on from it; answers null.
/// - evm_snapshot: remembers the head block, answers the snapshot's id ("0x0", "0x1", …).
/// - evm_revert [id]: rolls the chain back to that snapshot's head (blocks above leave the
///   canonical chain; their transactions are dropped, not returned to the pool), forgets that
///   snapshot and every later one, and answers true; false for an unknown id, as anvil.
///
/// - anvil_setBalance [address, wei], anvil_setNonce [address, nonce], anvil_setCode [address,
///   code], anvil_setStorageAt [address, slot, value]: change the account directly; answer null
///   (setStorageAt: true), as anvil. Unlike anvil, each is applied in a block of its own
///   produced at once (with whatever the pool holds), so the chain records it.
///
/// - anvil_setAutomine [bool], anvil_getAutomine: automatic block production (the sequencer's
///   slots, every `--sequencer.block-time`) on or off; off, blocks come from evm_mine/anvil_mine
///   only. Unlike anvil's automine (a block per transaction), "on" means a block per slot that
///   has something to include. evm_setIntervalMining is refused with the flag to use.
/// - anvil_impersonateAccount [address], anvil_stopImpersonatingAccount [address],
///   anvil_autoImpersonateAccount [bool]: eth_sendTransaction may send from that account (or
///   any) without its key; the transaction carries a placeholder signature and the pool and
///   block record its sender. Kept in memory, as anvil does.
///
/// The blocks are ordinary blocks: built from the pool, signed and committed by the sequencer
/// between its own slots, so a restart keeps them.
struct DevelopmentMethods: Sendable {
    let backend: any RPCDevelopmentBackend
    static let maxBlocksPerCall: UInt64 = 10_000

    func evmMine(_ params: RPCParams) async throws -> JSONValue {
        var count: UInt64 = 1
        var timestamp: UInt64?
        if let argument = params.optional(0), !argument.value.isNull {
            if case .object(let object) = argument.value {
                if let t = object["timestamp"], !t.isNull { timestamp = try argument.member("timestamp", t).flexibleUInt64() }
                if let b = object["blocks"], !b.isNull { count = try argument.member("blocks", b).flexibleUInt64() }
            } else {
                timestamp = try argument.flexibleUInt64()
            }
        }
        try await mine(count, timestamp: timestamp, argumentIndex: 0)
        return "0x0"
    }

    func anvilMine(_ params: RPCParams) async throws -> JSONValue {
        let count = try params.optional(0).map { $0.value.isNull ? 1 : try $0.flexibleUInt64() } ?? 1
        if let interval = params.optional(1), !interval.value.isNull, try interval.flexibleUInt64() != 0 {
            throw interval.invalid("an interval between block timestamps is not supported here: omit it or give 0")
        }
        try await mine(count, timestamp: nil, argumentIndex: 0)
        return .null
    }

    func evmIncreaseTime(_ params: RPCParams) async throws -> JSONValue {
        let offset = try await backend.increaseTime(by: params.required(0).flexibleUInt64())
        return ChainJSON.quantity(UInt64(max(offset, 0)))
    }

    func evmSetNextBlockTimestamp(_ params: RPCParams) async throws -> JSONValue {
        try await backend.setNextBlockTimestamp(params.required(0).flexibleUInt64())
        return .null
    }

    func evmSnapshot(_: RPCParams) async throws -> JSONValue {
        ChainJSON.quantity(try await backend.snapshot())
    }

    func evmRevert(_ params: RPCParams) async throws -> JSONValue {
        .bool(try await backend.revert(to: params.required(0).flexibleUInt64()))
    }

    func setBalance(_ params: RPCParams) async throws -> JSONValue {
        try await edit(params) { (e) throws(JSONRPCError) in e.balance = try params.required(1).quantity() }
        return .null
    }

    func setNonce(_ params: RPCParams) async throws -> JSONValue {
        try await edit(params) { (e) throws(JSONRPCError) in e.nonce = try params.required(1).flexibleUInt64() }
        return .null
    }

    func setCode(_ params: RPCParams) async throws -> JSONValue {
        try await edit(params) { (e) throws(JSONRPCError) in
            let code = try params.required(1).data()
            guard code.count <= 24_576 else { throw try params.required(1).invalid("code of \(code.count) bytes; at most 24576 (EIP-170)") }
            e.code = code
        }
        return .null
    }

    func setStorageAt(_ params: RPCParams) async throws -> JSONValue {
        try await edit(params) { (e) throws(JSONRPCError) in e.storage[try params.required(1).storageSlot()] = try params.required(2).storageSlot() }
        return true
    }

    /// The edit of the account at argument 0 that `fill` describes, made by the backend.
    private func edit(_ params: RPCParams, _ fill: (inout RPCStateEdit) throws(JSONRPCError) -> Void) async throws {
        var edit = RPCStateEdit(address: try params.address(at: 0))
        try fill(&edit)
        try await backend.edit(edit)
    }

    func setAutomine(_ params: RPCParams) async throws -> JSONValue {
        try await backend.setAutomine(try params.bool(at: 0))
        return .null
    }

    func refuseIntervalMining(_: RPCParams) async throws -> JSONValue {
        throw JSONRPCError.server("interval mining is the sequencer's block time here: start the node with --sequencer.block-time <ms>; anvil_setAutomine turns production on and off")
    }

    private func mine(_ count: UInt64, timestamp: UInt64?, argumentIndex: Int) async throws {
        guard count <= Self.maxBlocksPerCall else {
            throw JSONRPCError.invalidParams("invalid argument \(argumentIndex): at most \(Self.maxBlocksPerCall) blocks per call, got \(count)")
        }
        try await backend.mine(count: Int(count), timestamp: timestamp)
    }
}

extension RPCMethodTable {
    /// Registers the development methods listed on ``DevelopmentMethods`` over `backend`
    /// (development chains only); the impersonation methods when `impersonation` is given.
    public mutating func registerDevelopmentMethods(backend: any RPCDevelopmentBackend, impersonation: Impersonation? = nil) {
        let m = DevelopmentMethods(backend: backend)
        register("evm_mine", parameters: 0...1, m.evmMine)
        register("anvil_mine", parameters: 0...2, m.anvilMine)
        register("evm_snapshot", m.evmSnapshot)
        register("evm_increaseTime", parameters: 1, m.evmIncreaseTime)
        register("evm_setNextBlockTimestamp", parameters: 1, m.evmSetNextBlockTimestamp)
        register("evm_revert", parameters: 1, m.evmRevert)
        register("anvil_setBalance", parameters: 2, m.setBalance)
        register("anvil_setNonce", parameters: 2, m.setNonce)
        register("anvil_setCode", parameters: 2, m.setCode)
        register("anvil_setStorageAt", parameters: 3, m.setStorageAt)
        for name in ["anvil_setAutomine", "evm_setAutomine"] { register(name, parameters: 1, m.setAutomine) }
        register("anvil_getAutomine") { _ in .bool(try await backend.automine()) }
        for name in ["anvil_setIntervalMining", "evm_setIntervalMining"] { register(name, parameters: 1, m.refuseIntervalMining) }
        if let impersonation {
            register("anvil_impersonateAccount", parameters: 1) { params in
                impersonation.start(try params.address(at: 0)); return .null
            }
            register("anvil_stopImpersonatingAccount", parameters: 1) { params in
                impersonation.stop(try params.address(at: 0)); return .null
            }
            register("anvil_autoImpersonateAccount", parameters: 1) { params in
                impersonation.setAutomatic(try params.bool(at: 0)); return .null
            }
        }
    }
}
