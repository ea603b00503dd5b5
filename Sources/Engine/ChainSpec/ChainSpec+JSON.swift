import Execution
import Foundation
import Primitives

extension ChainSpec {
    /// Parses and validates a chain spec. `source` names it in errors (a path, or `dev`).
    public static func parse(json data: Data, source: String) throws(ChainSpecError) -> ChainSpec {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw ChainSpecError(source: source, field: "", problem: "not valid JSON (\(error.localizedDescription))")
        }
        let p = SpecReader(source: source)
        let top = try p.object(root, "")
        try p.onlyKeys(top, ["name", "chainId", "genesis", "baseFee", "burnBaseFee", "feeRecipient", "evm",
                             "maxL1MessagesPerBlock", "l1", "authorizedSigner"], "")
        let g = try p.object(top["genesis"], "genesis")
        try p.onlyKeys(g, ["timestamp", "gasLimit", "baseFeePerGas", "extraData", "alloc"], "genesis")
        let allocJSON = try p.object(g["alloc"], "genesis.alloc")
        var alloc: [Address: GenesisAccount] = [:]
        for (key, value) in allocJSON {
            let path = "genesis.alloc.\(key)"
            let address = try p.address(key, path)
            let account = try p.object(value, path)
            try p.onlyKeys(account, ["balance", "nonce", "code", "storage"], path)
            guard alloc[address] == nil else { throw p.error(path, "address listed twice") }
            let code = try account["code"].map { v throws(ChainSpecError) in try p.hexData(v, path + ".code") } ?? []
            guard code.count <= 24_576 else { throw p.error(path + ".code", "\(code.count) bytes; EIP-170 allows at most 24576") }
            var storage: [U256: U256] = [:]
            let storageJSON: [String: Any] = try account["storage"].map { v throws(ChainSpecError) in try p.object(v, path + ".storage") } ?? [:]
            for (slotText, valueJSON) in storageJSON {
                let slot = try p.word(slotText, path + ".storage.\(slotText)")
                let value = try p.word(valueJSON, path + ".storage.\(slotText)")
                guard storage[slot] == nil else { throw p.error(path + ".storage.\(slotText)", "slot listed twice") }
                if !value.isZero { storage[slot] = value }
            }
            alloc[address] = GenesisAccount(balance: try p.wei(account["balance"] ?? "0", path + ".balance"),
                                            nonce: try p.optionalInteger(account["nonce"], path + ".nonce") ?? 0,
                                            code: code, storage: storage)
        }
        let extraData = try p.hexData(g["extraData"] ?? "0x", "genesis.extraData")
        guard extraData.count <= 32 else { throw p.error("genesis.extraData", "\(extraData.count) bytes; at most 32 are allowed") }
        let genesis = Genesis(timestamp: try p.integer(g["timestamp"], "genesis.timestamp"),
                              gasLimit: try p.integer(g["gasLimit"], "genesis.gasLimit"),
                              baseFeePerGas: try p.wei(g["baseFeePerGas"], "genesis.baseFeePerGas"),
                              extraData: extraData, alloc: alloc)
        guard genesis.gasLimit >= 21_000 else { throw p.error("genesis.gasLimit", "must be at least 21000") }

        let bf = try p.object(top["baseFee"], "baseFee")
        try p.onlyKeys(bf, ["elasticityMultiplier", "changeDenominator", "minimum"], "baseFee")
        let rules = BaseFeeRules(elasticityMultiplier: try p.integer(bf["elasticityMultiplier"], "baseFee.elasticityMultiplier"),
                                 changeDenominator: try p.integer(bf["changeDenominator"], "baseFee.changeDenominator"),
                                 minimum: try p.wei(bf["minimum"], "baseFee.minimum"))
        guard rules.elasticityMultiplier > 0 else { throw p.error("baseFee.elasticityMultiplier", "must be positive") }
        guard rules.changeDenominator > 0 else { throw p.error("baseFee.changeDenominator", "must be positive") }

        let l1JSON = try p.object(top["l1"], "l1")
        try p.onlyKeys(l1JSON, ["chainId", "messageQueue", "startBlock", "messageValue"], "l1")
        var messageValue = L1MessageValueSource.sender
        if let raw = l1JSON["messageValue"] {
            let name = try p.string(raw, "l1.messageValue")
            guard let parsed = L1MessageValueSource(rawValue: name) else {
                throw p.error("l1.messageValue", "\"\(name)\" is not one of \"sender\" (Scroll's rule: the value moves from the sender's L2 balance) or \"mint\" (the value is created on L2)")
            }
            messageValue = parsed
        }
        let l1 = L1Settings(chainID: try p.integer(l1JSON["chainId"], "l1.chainId"),
                            messageQueue: try p.address(l1JSON["messageQueue"], "l1.messageQueue"),
                            startBlock: try p.integer(l1JSON["startBlock"], "l1.startBlock"),
                            messageValue: messageValue)

        let chainID = try p.integer(top["chainId"], "chainId")
        guard chainID > 0 else { throw p.error("chainId", "must be positive") }
        var scrollFork: ScrollFork?
        if let evm = top["evm"] {
            let name = try p.string(evm, "evm")
            if name != "cancun" {
                guard let fork = ScrollFork(name: name) else {
                    let forks = ScrollFork.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
                    throw p.error("evm", "\"\(name)\" is not a rule set: use \"cancun\" or a Scroll fork (\(forks))")
                }
                if fork >= .feynman, genesis.alloc[ScrollForkRules.historyStorageAddress]?.code.isEmpty ?? true {
                    throw p.error("evm", "\"\(fork.name)\" reads BLOCKHASH from EIP-2935's history contract, but genesis.alloc has no code at "
                                  + "\(ScrollForkRules.historyStorageAddress): add the EIP's runtime code there (chains/dev.json has it; docs/chain-spec.md)")
                }
                scrollFork = fork
            }
        }
        var spec = ChainSpec(name: try p.string(top["name"], "name"), chainID: chainID, genesis: genesis, baseFee: rules,
                             burnBaseFee: try p.bool(top["burnBaseFee"], "burnBaseFee"),
                             feeRecipient: try p.address(top["feeRecipient"], "feeRecipient"),
                             maxL1MessagesPerBlock: try p.integer(top["maxL1MessagesPerBlock"], "maxL1MessagesPerBlock"),
                             l1: l1, authorizedSigner: try p.address(top["authorizedSigner"], "authorizedSigner"))
        spec.scrollFork = scrollFork
        return spec
    }
}

/// Walks the parsed JSON, turning every mismatch into a `ChainSpecError` naming the field.
private struct SpecReader {
    let source: String

    func error(_ field: String, _ problem: String) -> ChainSpecError {
        ChainSpecError(source: source, field: field, problem: problem)
    }

    func object(_ v: Any?, _ field: String) throws(ChainSpecError) -> [String: Any] {
        guard let v else { throw error(field, "missing") }
        guard let o = v as? [String: Any] else { throw error(field, "expected an object") }
        return o
    }

    func onlyKeys(_ o: [String: Any], _ allowed: Set<String>, _ field: String) throws(ChainSpecError) {
        if let unknown = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw error(field.isEmpty ? unknown : "\(field).\(unknown)", "unknown field (accepted: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// JSON true/false arrive as NSNumber with the C type `char`; numbers never do.
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    func string(_ v: Any?, _ field: String) throws(ChainSpecError) -> String {
        guard let v else { throw error(field, "missing") }
        guard let s = v as? String else { throw error(field, "expected a string") }
        return s
    }

    func bool(_ v: Any?, _ field: String) throws(ChainSpecError) -> Bool {
        guard let v else { throw error(field, "missing") }
        guard let n = v as? NSNumber, Self.isBoolean(n) else { throw error(field, "expected true or false") }
        return n.boolValue
    }

    func integer(_ v: Any?, _ field: String) throws(ChainSpecError) -> UInt64 {
        guard let v else { throw error(field, "missing") }
        return try optionalInteger(v, field)!
    }

    func optionalInteger(_ v: Any?, _ field: String) throws(ChainSpecError) -> UInt64? {
        guard let v else { return nil }
        guard let n = v as? NSNumber, !Self.isBoolean(n) else { throw error(field, "expected a non-negative integer") }
        let d = n.doubleValue
        guard d >= 0, d == d.rounded(), d < 9_007_199_254_740_992 else {
            throw error(field, "expected a non-negative integer below 2^53, got \(n)")
        }
        return n.uint64Value
    }

    /// Wei amounts: decimal strings or 0x quantities.
    func wei(_ v: Any?, _ field: String) throws(ChainSpecError) -> U256 {
        guard let v else { throw error(field, "missing") }
        guard let s = v as? String else { throw error(field, "expected a string holding a decimal number or a 0x quantity") }
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
            do { return try U256(quantity: s) } catch { throw self.error(field, "\(error)") }
        }
        guard let value = U256(decimal: s) else { throw error(field, "not a decimal number below 2^256: \"\(s)\"") }
        return value
    }

    func address(_ v: Any?, _ field: String) throws(ChainSpecError) -> Address {
        let s = try string(v, field)
        do { return try Address(hex: s) } catch { throw self.error(field, "\(error)") }
    }

    /// A storage slot or word: 0x and at most 64 hex digits (geth's genesis writes 64).
    func word(_ v: Any?, _ field: String) throws(ChainSpecError) -> U256 {
        let bytes = try hexData(v, field)
        guard bytes.count <= 32, let word = U256(bigEndian: bytes) else { throw error(field, "\(bytes.count) bytes; a storage word has at most 32") }
        return word
    }

    func hexData(_ v: Any?, _ field: String) throws(ChainSpecError) -> [UInt8] {
        let s = try string(v, field)
        do { return try Hex.decode(s) } catch { throw self.error(field, "\(error)") }
    }
}
