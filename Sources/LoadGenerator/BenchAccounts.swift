import Primitives

/// The benchmark chain's senders and its chain spec (`rollup-load make-chain`, committed as
/// chains/bench.json).
///
/// Sender i's key is keccak256("rollup-node bench sender i"), so anyone can derive them; they
/// are as public as the development keys and must never hold real funds.
enum BenchAccounts {
    static let chainID: UInt64 = 1338
    static let defaultSenders = 4096
    /// 200M gas: 9,523 transfers per block, room for 5,000 tx/s with 1 s blocks.
    static let defaultGasLimit: UInt64 = 200_000_000
    /// 1,000,000 ETH each.
    static let balance = "1000000000000000000000000"
    /// The development key's address, which `--test` signs blocks with.
    static let authorizedSigner = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

    static func key(_ index: Int) -> PrivateKey {
        let seed = Keccak.hash256(Array("rollup-node bench sender \(index)".utf8))
        do { return try PrivateKey(bytes: seed.bytes) } catch {
            preconditionFailure("bench sender \(index): keccak output is not a valid secp256k1 key")
        }
    }

    /// The chain spec, one alloc entry per line, deterministic.
    ///
    /// The base fee's elasticity is 1 (the gas target is the whole block), so full blocks never
    /// raise the base fee: a run measures the node, not the fee market, and the pre-signed fee
    /// caps stay valid however long it runs.
    static func chainSpecJSON(senders: Int, gasLimit: UInt64) -> String {
        var lines: [String] = []
        lines.append("{")
        lines.append(#"  "name": "bench","#)
        lines.append(#"  "chainId": \#(chainID),"#)
        lines.append(#"  "genesis": {"#)
        lines.append(#"    "timestamp": 0,"#)
        lines.append(#"    "gasLimit": \#(gasLimit),"#)
        lines.append(#"    "baseFeePerGas": "1000000000","#)
        lines.append(#"    "extraData": "0x","#)
        lines.append(#"    "alloc": {"#)
        for i in 0..<senders {
            let comma = i + 1 < senders ? "," : ""
            lines.append(#"      "\#(key(i).address)": { "balance": "\#(balance)" }\#(comma)"#)
        }
        lines.append("    }")
        lines.append("  },")
        lines.append(#"  "baseFee": {"#)
        lines.append(#"    "elasticityMultiplier": 1,"#)
        lines.append(#"    "changeDenominator": 8,"#)
        lines.append(#"    "minimum": "10000000""#)
        lines.append("  },")
        lines.append(#"  "burnBaseFee": false,"#)
        lines.append(#"  "feeRecipient": "0x5300000000000000000000000000000000000005","#)
        lines.append(#"  "maxL1MessagesPerBlock": 10,"#)
        lines.append(#"  "l1": {"#)
        lines.append(#"    "chainId": 31337,"#)
        lines.append(#"    "messageQueue": "0x0000000000000000000000000000000000001000","#)
        lines.append(#"    "startBlock": 0"#)
        lines.append("  },")
        lines.append(#"  "authorizedSigner": "\#(authorizedSigner)""#)
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
