import Foundation
import Testing
import Primitives
import Execution
@testable import Engine

struct ChainSpecTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedDevChainEqualsTheFileInChains() throws {
        let file = try String(contentsOf: Self.repoRoot.appendingPathComponent("chains/dev.json"), encoding: .utf8)
        #expect(ChainSpec.devJSON + "\n" == file || ChainSpec.devJSON == file,
                "regenerate with: python3 scripts/codegen/embed_dev_chain.py > Sources/Engine/ChainSpec+Dev.swift")
    }

    @Test func devChainHasTenFundedDevelopmentAccounts() throws {
        let spec = try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        #expect(spec.chainID == 1337)
        #expect(spec.genesis.alloc.values.filter { !$0.balance.isZero }.count == 10)
        // Scroll's predeploys (contracts/predeploys, written by scripts/predeploys.py) and EIP-2935's history contract.
        let predeploys = ["0x5300000000000000000000000000000000000000", "0x5300000000000000000000000000000000000002",
                          "0x5300000000000000000000000000000000000003", "0x5300000000000000000000000000000000000004",
                          "0x5300000000000000000000000000000000000005", "0x0000F90827F1C53a10cb7A02335B175320002935"]
        for p in predeploys { #expect(!(spec.genesis.alloc[try Address(hex: p)]?.code.isEmpty ?? true), "\(p) has code") }
        #expect(spec.genesis.alloc[ScrollForkRules.historyStorageAddress]?.code == ScrollForkRules.historyStorageCode)
        let account0 = try Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        #expect(spec.genesis.alloc[account0]?.balance == U256(10_000) * U256(1_000_000_000_000_000_000))
        #expect(spec.genesis.gasLimit == 30_000_000)
        #expect(!spec.burnBaseFee)
        #expect(spec.feeRecipient == (try Address(hex: "0x5300000000000000000000000000000000000005")))
        #expect(spec.authorizedSigner == account0)
    }

    /// chains/bench.json (written by `rollup-load make-chain`): the load generator's senders,
    /// key i = keccak256("rollup-node bench sender i"), funded; room for 9,523 transfers a block;
    /// signed by the development key, which `--test` uses.
    @Test func benchChainFundsTheLoadGeneratorsSenders() throws {
        let url = Self.repoRoot.appendingPathComponent("chains/bench.json")
        let spec = try ChainSpec.parse(json: try Data(contentsOf: url), source: "chains/bench.json")
        #expect(spec.genesis.alloc.count == 4096)
        #expect(spec.genesis.gasLimit == 200_000_000)
        #expect(spec.baseFee.elasticityMultiplier == 1)
        for i in [0, 1, 4095] {
            let key = try PrivateKey(bytes: Keccak.hash256(Array("rollup-node bench sender \(i)".utf8)).bytes)
            #expect(spec.genesis.alloc[key.address]?.balance == U256(1_000_000) * U256(1_000_000_000_000_000_000))
        }
        #expect(spec.authorizedSigner == (try Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")))
    }

    static func mutated(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var root = try JSONSerialization.jsonObject(with: Data(ChainSpec.devJSON.utf8)) as! [String: Any]
        edit(&root)
        return try JSONSerialization.data(withJSONObject: root)
    }

    static func genesis(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { root in var g = root["genesis"] as! [String: Any]; edit(&g); root["genesis"] = g }
    }

    @Test func namesTheFieldOfEachMistake() throws {
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("unknown top-level field", { $0["chainID"] = 5 }, "x.json: chainID: unknown field"),
            ("missing chain id", { $0.removeValue(forKey: "chainId") }, "x.json: chainId: missing"),
            ("zero chain id", { $0["chainId"] = 0 }, "chainId: must be positive"),
            ("chain id as string", { $0["chainId"] = "1337" }, "chainId: expected a non-negative integer"),
            ("negative gas limit", Self.genesis { $0["gasLimit"] = -1 }, "genesis.gasLimit: expected a non-negative integer"),
            ("boolean as number", { $0["burnBaseFee"] = 1 }, "burnBaseFee: expected true or false"),
            ("long extra data", Self.genesis { $0["extraData"] = "0x" + String(repeating: "00", count: 33) }, "genesis.extraData: 33 bytes; at most 32"),
            ("bad checksum", { $0["feeRecipient"] = "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266" }, "feeRecipient: invalid address: mixed-case"),
            ("balance as JSON number", Self.genesis { var a = $0["alloc"] as! [String: Any]; a["0x0000000000000000000000000000000000000001"] = ["balance": 5]; $0["alloc"] = a }, "balance: expected a string"),
            ("balance with leading zero quantity", Self.genesis { var a = $0["alloc"] as! [String: Any]; a["0x0000000000000000000000000000000000000001"] = ["balance": "0x01"]; $0["alloc"] = a }, "balance: hex number has leading zero digits"),
            ("unknown L1 message value rule", { var l = $0["l1"] as! [String: Any]; l["messageValue"] = "burn"; $0["l1"] = l }, "l1.messageValue: \"burn\" is not one of \"sender\""),
            ("storage word too long", Self.genesis { var a = $0["alloc"] as! [String: Any]; a["0x0000000000000000000000000000000000000001"] = ["code": "0x00", "storage": ["0x01": "0x" + String(repeating: "11", count: 33)]]; $0["alloc"] = a }, "genesis.alloc.0x0000000000000000000000000000000000000001.storage.0x01: 33 bytes; a storage word has at most 32"),
            ("code not hex", Self.genesis { var a = $0["alloc"] as! [String: Any]; a["0x0000000000000000000000000000000000000001"] = ["code": "0xzz"]; $0["alloc"] = a }, ".code: invalid hex"),
            ("unknown rule set", { $0["evm"] = "london" }, "evm: \"london\" is not a rule set"),
            ("Feynman without the history contract", { $0["evm"] = "scroll-feynman"; var g = $0["genesis"] as! [String: Any]; var a = g["alloc"] as! [String: Any]; a["0x0000F90827F1C53a10cb7A02335B175320002935"] = nil; g["alloc"] = a; $0["genesis"] = g }, "evm: \"scroll-feynman\" reads BLOCKHASH from EIP-2935's history contract"),
            ("zero denominator", { var b = $0["baseFee"] as! [String: Any]; b["changeDenominator"] = 0; $0["baseFee"] = b }, "baseFee.changeDenominator: must be positive"),
        ]
        for (label, edit, expected) in cases {
            let data = try Self.mutated(edit)
            do {
                _ = try ChainSpec.parse(json: data, source: "x.json")
                Issue.record("\(label): accepted")
            } catch {
                #expect(error.description.contains(expected), "\(label): \(error.description)")
            }
        }
    }

    /// `evm` chooses the rule set: Cancun by default, or a Scroll fork this node implements.
    @Test func evmSettingChoosesTheRules() throws {
        let dev = try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        #expect(dev.scrollFork == .galileo && dev.evmRules.name == "scroll-galileo", "the dev chain runs Scroll's latest fork")
        #expect(dev.evmRules.supportsSetCodeTransactions && dev.evmRules.l1FeeFormula == .galileo && dev.evmRules.validOpcodes[0x1e])
        #expect(try ChainSpec.parse(json: try Self.mutated { $0["evm"] = "cancun" }, source: "x.json").evmRules.name == "Cancun")
        let curie = try ChainSpec.parse(json: try Self.mutated { $0["evm"] = "scroll-curie" }, source: "x.json")
        #expect(curie.scrollFork == .curie)
        let rules = curie.evmRules
        #expect(rules.name == "scroll-curie" && rules.selfDestruct == .disabled && rules.prevRandao == .zero)
        #expect(rules.blockHash == .chainIDAndNumber && !rules.supportsBlobTransactions)
        #expect(rules.validOpcodes[0x48] && rules.validOpcodes[0x5c] && !rules.validOpcodes[0x49] && !rules.validOpcodes[0xff])
        #expect(!rules.isPrecompile(EVMRules.precompileAddress(0x0a)), "no KZG point evaluation on Scroll")
        let bernoulli = try ChainSpec.parse(json: try Self.mutated { $0["evm"] = "scroll-bernoulli" }, source: "x.json").evmRules
        #expect(!bernoulli.validOpcodes[0x48] && !bernoulli.validOpcodes[0x5e], "BASEFEE and MCOPY from Curie")
        #expect(try ChainSpec.parse(json: try Self.mutated { $0["evm"] = "cancun" }, source: "x.json").scrollFork == nil)
    }

    /// Genesis code and storage (geth's genesis fields) are in the state root and readable.
    @Test func genesisContractsAreInTheStateAndTheRoot() throws {
        let contract = "0x00000000000000000000000000000000000c0de3"
        let data = try Self.mutated(Self.genesis { g in
            var a = g["alloc"] as! [String: Any]
            a[contract] = ["code": "0x600054", "storage": ["0x" + String(repeating: "0", count: 63) + "1": "0x2a", "0x02": "0x00"]]
            g["alloc"] = a
        })
        let spec = try ChainSpec.parse(json: data, source: "x.json")
        let address = try Address(hex: contract)
        #expect(spec.genesis.alloc[address]?.storage == [1: 42], "a zero word is dropped")
        let plain = try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        #expect(spec.genesisHeader().stateRoot != plain.genesisHeader().stateRoot)
        // The root, rebuilt by hand: the dev accounts plus the contract with its storage trie.
        let store = InMemoryTrieNodeStore()
        var storage = SecureTrie(store: store)
        var word = RLPWriter(capacity: 2); word.write(U256(42))
        try storage.insert(U256(1).bigEndianBytes, value: word.bytes)
        var accounts = SecureTrie(store: store)
        for (a, g) in plain.genesis.alloc {
            var root = Hash32.emptyTrieRoot
            if !g.storage.isEmpty {
                var words = SecureTrie(store: store)
                for (slot, value) in g.storage { var w = RLPWriter(capacity: 33); w.write(value); try words.insert(slot.bigEndianBytes, value: w.bytes) }
                root = words.commit().root
            }
            let codeHash = g.code.isEmpty ? Hash32.emptyKeccak : Keccak.hash256(g.code)
            try accounts.insert(a, value: Account(nonce: g.nonce, balance: g.balance, storageRoot: root, codeHash: codeHash).rlp)
        }
        try accounts.insert(address, value: Account(nonce: 0, balance: .zero, storageRoot: storage.commit().root,
                                                    codeHash: Keccak.hash256([0x60, 0x00, 0x54])).rlp)
        #expect(spec.genesisHeader().stateRoot == accounts.commit().root)
        let f = try ChainFixture(spec: spec)
        let head = f.chain.headContractState
        let account = try #require(try head.account(address))
        #expect(try head.storage(address, slot: 1) == 42)
        #expect(try head.code(hash: account.codeHash) == [0x60, 0x00, 0x54])
        let genesis = f.chain.headBlock
        #expect(try f.chain.state(at: genesis.header, hash: genesis.hash).storage(address, slot: 1) == 42)
    }

    /// The dev chain mints L1 messages' value; a spec that does not say follows Scroll's rule.
    @Test func l1MessageValueDefaultsToScrollsRule() throws {
        #expect(try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev").l1.messageValue == .mint)
        let unsaid = try Self.mutated { var l = $0["l1"] as! [String: Any]; l.removeValue(forKey: "messageValue"); $0["l1"] = l }
        #expect(try ChainSpec.parse(json: unsaid, source: "x.json").l1.messageValue == .sender)
    }

    @Test func rejectsInvalidJSONWithTheSource() {
        #expect(throws: ChainSpecError.self) { try ChainSpec.parse(json: Data("{".utf8), source: "broken.json") }
        do { _ = try ChainSpec.parse(json: Data("{".utf8), source: "broken.json") } catch {
            #expect(error.description.hasPrefix("chain spec broken.json: not valid JSON"))
        }
    }
}
