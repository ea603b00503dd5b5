// rollup-bench: prints throughput figures for the primitives (see BENCHMARKS.md).
// Build and run in release mode: swift run -c release rollup-bench [filter...]
import Primitives

let filters = Array(CommandLine.arguments.dropFirst())
func enabled(_ name: String) -> Bool { filters.isEmpty || filters.contains { name.contains($0) } }

print("rollup-bench (release build expected; figures are per core, single-threaded)")

if enabled("keccak") { KeccakBenchmarks.run() }
if enabled("secp256k1") || enabled("ecrecover") { Secp256k1Benchmarks.run() }
if enabled("rlp") { RLPBenchmarks.run() }
if enabled("mempool") { MempoolBenchmarks.run() }
