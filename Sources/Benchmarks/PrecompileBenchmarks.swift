import Execution
import Foundation
import Primitives

/// Precompiles through the EVM, for scripts/bench/precompiles.py: each case is a contract that
/// STATICCALLs one precompile `calls` times with a fixed input and stores the first output word
/// (built by the script, which runs the same code on revm). Reads the cases from the JSON file
/// named by RN_PRECOMPILE_CASES ([{"name", "code", "calls"}]) and prints one JSON line per case:
/// gas used, best time of the transaction's execution over `runs`, and storage slot 0 (so the
/// script checks that both EVMs computed the same output).
///
/// Rules: Cancun, plus P256VERIFY at 0x100 with RIP-7212's gas (Scroll's Euclid), so that each
/// precompile's gas is the one revm charges where revm has it.
enum PrecompileBenchmarks {
    static func run() throws {
        guard let path = ProcessInfo.processInfo.environment["RN_PRECOMPILE_CASES"] else {
            print("precompiles: set RN_PRECOMPILE_CASES (scripts/bench/precompiles.py does)")
            return
        }
        let runs = Int(ProcessInfo.processInfo.environment["RN_PRECOMPILE_RUNS"] ?? "") ?? 7
        let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [[String: Any]]
        var rules = EVMRules.cancun
        rules.precompiles[ScrollForkRules.p256VerifyAddress] = Precompiles.p256VerifyRIP7212
        rules.precompileAddresses.append(ScrollForkRules.p256VerifyAddress)
        let contract = Address([UInt8](repeating: 0xaa, count: 20)), sender = Address([UInt8](repeating: 0xbb, count: 20))
        let block = BlockEnvironment(chainID: 1, number: 1, timestamp: 1, coinbase: .zero, gasLimit: 1_000_000_000, baseFee: .zero)
        for c in cases {
            let name = c["name"] as! String
            let code = try Hex.decode(c["code"] as! String)
            var state = InMemoryState()
            state.setAccount(contract, nonce: 1, balance: .zero, code: code, storage: [:])
            state.setAccount(sender, nonce: 0, balance: U256(1_000_000_000_000_000_000), code: [], storage: [:])
            let tx = ExecutionTransaction(type: 2, sender: sender, to: contract, nonce: 0, gasLimit: 900_000_000, value: .zero,
                                          data: [], maxFeePerGas: .zero, maxPriorityFeePerGas: .zero, chainID: 1)
            let processor = TransactionProcessor(rules: rules)
            var best = Double.infinity
            var result: TransactionResult?
            let clock = ContinuousClock()
            for _ in 0..<runs {
                let start = clock.now
                let r = try processor.execute(tx, block: block, state: state)
                let elapsed = start.duration(to: clock.now)
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                result = r
            }
            guard let result else { continue }
            var slot0 = U256.zero
            if case .updated(let account)? = result.changes.accounts[contract] { slot0 = account.storage[.zero] ?? .zero }
            print("{\"name\":\"\(name)\",\"gasUsed\":\(result.gasUsed),\"seconds\":\(best),\"success\":\(result.succeeded),"
                  + "\"slot0\":\"\(Hex.encode(slot0.bigEndianBytes))\"}")
        }
    }
}
