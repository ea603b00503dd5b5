import Primitives

/// Scroll's forks in activation order (scroll-tech/scroll-revm `src/spec.rs`, commit a1ac004).
/// Every one runs Ethereum's Shanghai rules with the features of `ScrollForkRules` switched on.
public enum ScrollFork: Int, CaseIterable, Comparable, Sendable {
    case bernoulli, curie, darwin, euclid, feynman, galileo

    public static func < (a: ScrollFork, b: ScrollFork) -> Bool { a.rawValue < b.rawValue }

    /// The chain-spec name: "scroll-bernoulli" ... "scroll-galileo".
    public var name: String { "scroll-\(self)" }

    /// The fork for a chain-spec name ("scroll-curie" or "curie"), nil for anything else.
    public init?(name: String) {
        let short = name.hasPrefix("scroll-") ? String(name.dropFirst("scroll-".count)) : name
        guard let fork = Self.allCases.first(where: { "\($0)" == short }) else { return nil }
        self = fork
    }

    /// The latest fork (what a dev chain runs).
    public static let latest = ScrollFork.galileo

    public var rules: ScrollForkRules { ScrollForkRules(self) }
}

/// One precompile of a rule set: its address, a name for logs, and the function with this
/// fork's gas and limits.
public struct ScrollPrecompile: Sendable {
    public let address: Address
    public let name: String
    public let function: PrecompileFunction
}

/// What a Scroll fork switches on, as data (no fork conditionals elsewhere). Shaped to map onto
/// the interpreter's rule-set value: opcode flags, SELFDESTRUCT/PREVRANDAO/BLOCKHASH rules,
/// precompiles by address, transaction-level rules, and the L1 fee formula.
public struct ScrollForkRules: Sendable {
    public let fork: ScrollFork

    // Opcodes beyond Shanghai.
    /// BASEFEE (0x48), from Curie.
    public var baseFeeOpcode: Bool
    /// TLOAD/TSTORE (0x5c/0x5d, EIP-1153), from Curie.
    public var transientStorage: Bool
    /// MCOPY (0x5e, EIP-5656), from Curie.
    public var mcopy: Bool
    /// CLZ (0x1e, EIP-7939), from Galileo.
    public var clz: Bool
    /// BLOBHASH (0x49) and BLOBBASEFEE (0x4a): never on Scroll.
    public var blobOpcodes = false
    /// SELFDESTRUCT (0xff) is not activated on Scroll: executing it halts as an invalid opcode.
    public var selfDestructEnabled = false
    /// DIFFICULTY/PREVRANDAO (0x44) pushes 0.
    public var prevRandaoIsZero = true

    /// What BLOCKHASH (0x40) returns: keccak256(chain id ‖ number) before Feynman, EIP-2935's
    /// history contract from Feynman (the interpreter's own rule values).
    public var blockHash: EVMRules.BlockHashRule

    // Transactions.
    /// EIP-7702 set-code transactions (type 4), from Euclid.
    public var setCodeTransactions: Bool
    /// EIP-7623 calldata floor, from Feynman (L1 messages exempt).
    public var calldataFloor: Bool
    /// EIP-7623's floor price per calldata token when the floor applies (the interpreter's
    /// `calldataFloorGasPerToken`), nil before Feynman.
    public var calldataFloorGasPerToken: UInt64? { calldataFloor ? 10 : nil }
    /// Type-3 (blob) transactions: refused on Scroll.
    public var blobTransactions = false
    /// The base fee is not burnt: the fee recipient gets effectiveGasPrice × gasUsed plus the L1 fee.
    public var burnsBaseFee = false
    /// The default fee recipient, Scroll's fee vault.
    public var defaultFeeRecipient = ScrollForkRules.feeVault
    /// The L1 data fee formula (`L1Fee`), over the oracle at `L1GasPriceOracle.address`.
    public var l1FeeFormula: L1Fee.Formula

    /// The precompiles, by address order (0x01-0x09, then 0x100 from Euclid; no 0x0a).
    public var precompiles: [ScrollPrecompile]

    public static let feeVault = Address([0x53] + [UInt8](repeating: 0, count: 18) + [0x05])
    /// EIP-2935's history storage contract.
    public static let historyStorageAddress = Address(
        [0x00, 0x00, 0xF9, 0x08, 0x27, 0xF1, 0xC5, 0x3a, 0x10, 0xcb, 0x7A, 0x02, 0x33, 0x5B, 0x17, 0x53, 0x20, 0x00, 0x29, 0x35])
    public static let historyWindow: UInt64 = 8_191
    public static let p256VerifyAddress = Address([UInt8](repeating: 0, count: 18) + [0x01, 0x00])

    public init(_ fork: ScrollFork) {
        self.fork = fork
        baseFeeOpcode = fork >= .curie
        transientStorage = fork >= .curie
        mcopy = fork >= .curie
        clz = fork >= .galileo
        blockHash = fork >= .feynman
            ? .historyStorage(contract: Self.historyStorageAddress, window: Self.historyWindow) : .chainIDAndNumber
        setCodeTransactions = fork >= .euclid
        calldataFloor = fork >= .feynman
        switch fork {
        case .bernoulli: l1FeeFormula = .bernoulli
        case .curie, .darwin, .euclid: l1FeeFormula = .curie
        case .feynman: l1FeeFormula = .feynman
        case .galileo: l1FeeFormula = .galileo
        }
        precompiles = Self.precompiles(for: fork)
    }

    /// scroll-revm `src/precompile/mod.rs`: Bernoulli's set, P256VERIFY from Euclid, the pairing
    /// without its 4-pair limit from Feynman, Osaka modexp and EIP-7951 gas from Galileo.
    static func precompiles(for fork: ScrollFork) -> [ScrollPrecompile] {
        let a = Precompiles.address
        var list = [
            ScrollPrecompile(address: a(0x01), name: "ecrecover", function: Precompiles.ecrecover),
            ScrollPrecompile(address: a(0x02), name: "sha256", function: Precompiles.sha256),
            ScrollPrecompile(address: a(0x03), name: "ripemd160 (disabled)", function: Precompiles.ripemd160Disabled),
            ScrollPrecompile(address: a(0x04), name: "identity", function: Precompiles.identity),
            fork >= .galileo
                ? ScrollPrecompile(address: a(0x05), name: "modexp (EIP-7823/7883)", function: Precompiles.modexpGalileo)
                : ScrollPrecompile(address: a(0x05), name: "modexp (32-byte limit)", function: Precompiles.modexpBernoulli),
            ScrollPrecompile(address: a(0x06), name: "bn254 add", function: Precompiles.bn254Add),
            ScrollPrecompile(address: a(0x07), name: "bn254 mul", function: Precompiles.bn254Mul),
            fork >= .feynman
                ? ScrollPrecompile(address: a(0x08), name: "bn254 pairing", function: Precompiles.bn254Pairing)
                : ScrollPrecompile(address: a(0x08), name: "bn254 pairing (4 pairs)", function: Precompiles.bn254Pairing(maxPairs: 4)),
            ScrollPrecompile(address: a(0x09), name: "blake2f (disabled)", function: Precompiles.blake2fDisabled),
        ]
        if fork >= .euclid {
            list.append(fork >= .galileo
                ? ScrollPrecompile(address: p256VerifyAddress, name: "p256verify (EIP-7951)", function: Precompiles.p256VerifyEIP7951)
                : ScrollPrecompile(address: p256VerifyAddress, name: "p256verify (RIP-7212)", function: Precompiles.p256VerifyRIP7212))
        }
        return list
    }

    /// EIP-2935's history contract runtime code (the EIP's, as alloy-rs `eip2935.rs` carries
    /// it: SYSTEM_ADDRESS writes calldata to slot (number - 1) % 8191; anyone else reads a hash
    /// of the last 8191 blocks). A chain spec running Feynman or later holds it at genesis.
    public static let historyStorageCode: [UInt8] = (try? Hex.decodeOptionalPrefix(
        "3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500")) ?? []

    /// The precompiles as the interpreter's table wants them.
    public var precompileTable: [Address: PrecompileFunction] {
        Dictionary(uniqueKeysWithValues: precompiles.map { ($0.address, $0.function) })
    }

    /// Opcodes this fork adds to or removes from Shanghai's set, as (opcode, enabled).
    public var opcodeChanges: [(opcode: UInt8, enabled: Bool)] {
        [(0x48, baseFeeOpcode), (0x5c, transientStorage), (0x5d, transientStorage), (0x5e, mcopy),
         (0x1e, clz), (0x49, blobOpcodes), (0x4a, blobOpcodes), (0xff, selfDestructEnabled)]
    }
}

/// When each fork activates on a chain: by block number (Scroll's first forks) or by timestamp.
public struct ScrollForkSchedule: Sendable, Equatable {
    public enum Activation: Sendable, Equatable {
        case block(UInt64)
        case timestamp(UInt64)
    }

    /// Activations in fork order; forks not listed are not active.
    public var activations: [(fork: ScrollFork, at: Activation)]

    public init(_ activations: [(fork: ScrollFork, at: Activation)]) {
        self.activations = activations.sorted { $0.fork < $1.fork }
    }

    /// Every fork up to `fork` active from genesis.
    public static func allFromGenesis(upTo fork: ScrollFork = .latest) -> ScrollForkSchedule {
        ScrollForkSchedule(ScrollFork.allCases.filter { $0 <= fork }.map { ($0, Activation.block(0)) })
    }

    /// The latest fork active at a block with this number and timestamp (nil: none).
    public func fork(atBlock number: UInt64, timestamp: UInt64) -> ScrollFork? {
        var active: ScrollFork?
        for (fork, at) in activations {
            switch at {
            case .block(let n) where number >= n: active = fork
            case .timestamp(let t) where timestamp >= t: active = fork
            default: break
            }
        }
        return active
    }

    public static func == (a: ScrollForkSchedule, b: ScrollForkSchedule) -> Bool {
        a.activations.count == b.activations.count
            && zip(a.activations, b.activations).allSatisfy { $0.fork == $1.fork && $0.at == $1.at }
    }
}

extension EVMRules {
    /// Scroll's rule set for `fork` (Shanghai's EVM with Scroll's opcode set, SELFDESTRUCT
    /// disabled, PREVRANDAO 0, the fork's BLOCKHASH rule, Scroll's precompiles, no blobs, the
    /// base fee not burnt, the L1 data fee; EIP-7702 from Euclid, EIP-7623 from Feynman, CLZ
    /// from Galileo).
    public static func scroll(_ fork: ScrollFork) -> EVMRules {
        let scroll = fork.rules
        var rules = EVMRules.cancun
        rules.name = fork.name
        for (opcode, enabled) in scroll.opcodeChanges { rules.validOpcodes[Int(opcode)] = enabled }
        rules.staticGas[0x1e] = 5  // CLZ (EIP-7939: GAS_LOW), valid from Galileo
        rules.selfDestruct = .disabled
        rules.prevRandao = .zero
        rules.blockHash = scroll.blockHash
        rules.precompiles = scroll.precompileTable
        rules.precompileAddresses = scroll.precompiles.map(\.address)
        rules.burnsBaseFee = scroll.burnsBaseFee
        rules.supportsBlobTransactions = scroll.blobTransactions
        rules.supportsSetCodeTransactions = scroll.setCodeTransactions
        rules.calldataFloorGasPerToken = scroll.calldataFloorGasPerToken
        rules.l1FeeFormula = scroll.l1FeeFormula
        return rules
    }
}
