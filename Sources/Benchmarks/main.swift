// rollup-bench: prints throughput figures for the primitives (see BENCHMARKS.md).
// Build and run in release mode: swift run -c release rollup-bench [filter...]
import Primitives

let filters = Array(CommandLine.arguments.dropFirst())
func enabled(_ name: String) -> Bool { filters.isEmpty || filters.contains { name.contains($0) } }

print("rollup-bench (release build expected; figures are per core, single-threaded)")

if enabled("keccak") { KeccakBenchmarks.run() }
if enabled("rpc") { await RPCBenchmarks.run() }
// Only when named: serves for an external load tool instead of measuring.
if filters.contains("rpc-serve") { await RPCBenchmarks.serve(seconds: 20) }
