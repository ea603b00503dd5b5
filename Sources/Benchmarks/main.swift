// rollup-bench: prints throughput figures (see BENCHMARKS.md).
// Build and run in release mode: swift run -c release rollup-bench [filter...]
// A filter selects every benchmark whose name contains it: keccak, secp256k1, rlp, signer,
// trie-root, trie-state ("trie" runs both), l1, u256.
import Primitives

let filters = Array(CommandLine.arguments.dropFirst())
func enabled(_ name: String) -> Bool { filters.isEmpty || filters.contains { name.contains($0) } }

print("rollup-bench (release build expected; figures are per core, single-threaded)")

if enabled("keccak") { KeccakBenchmarks.run() }
if enabled("u256") { U256Benchmarks.run() }
if enabled("secp256k1") || enabled("ecrecover") { Secp256k1Benchmarks.run() }
if enabled("rlp") { RLPBenchmarks.run() }
if enabled("signer") { try await SignerBenchmarks.run() }
if enabled("trie-root") { TrieRootBenchmarks.run() }
if enabled("trie-state") { TrieBenchmarks.run() }
if enabled("rpc") { await RPCBenchmarks.run() }
// Only when named: serves for an external load tool instead of measuring.
if filters.contains("rpc-serve") { await RPCBenchmarks.serve(seconds: 20) }
if enabled("mempool") { MempoolBenchmarks.run() }
if enabled("l1") { try await L1WatcherBenchmarks.run() }
if enabled("engine") { try EngineBenchmarks.run() }
if enabled("token-seal") { try TokenSealBenchmarks.run() }
if enabled("jitter") { try await SlotJitterBenchmarks.run() }
if enabled("logs") { try await LogsAndSubscriptionBenchmarks.run() }
if enabled("subscribe") { try await LogsAndSubscriptionBenchmarks.runSubscriptionDelay() }
// Only when named: needs the cases file of scripts/bench/precompiles.py.
if filters.contains("precompiles") { try PrecompileBenchmarks.run() }
