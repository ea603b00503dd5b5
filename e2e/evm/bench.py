#!/usr/bin/env python3
"""Our EVM against revm (pyrevm) on the evmone/revm benchmark set, same machine, same run.

For every (benchmark, data index) in ../shared/benchmarks/evm (state-test format):
- revm: the state is loaded into a fresh pyrevm EVM, then only `message_call` is timed, best of
  --runs; its post-state root is checked against the file's expected one first (reference.py).
- ours: `rollup-node evm bench --runs N PATHS`, which checks the post state first and then times
  the transaction's execution alone (state built beforehand), best of N, printing one JSON line
  per entry ({"name", "index", "gasUsed", "seconds", "pass"}). With --end-to-end (or when the
  binary has no `evm bench`), each entry is instead timed as a whole `rollup-node evm statetest`
  process on a one-entry file: an upper bound that includes process start, JSON parsing, state
  building and the state root.

Prints per entry gas, our Mgas/s, revm's Mgas/s and the ratio (ours / revm), then the geometric
mean of the ratios, and `N passed, M failed` (an entry fails when either side misses the
expected state root).

Usage: e2e/.venv/bin/python e2e/evm/bench.py --binary .build/release/rollup-node [--runs 5]
       [--end-to-end] [PATH...]   (default PATH: ../shared/benchmarks/evm)
"""
import argparse
import copy
import json
import math
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SET = os.path.join(os.path.dirname(ROOT), "shared", "benchmarks", "evm")


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in sorted(os.walk(p)):
                for n in sorted(names):
                    if n.endswith(".json"):
                        yield os.path.join(root, n)
        else:
            yield p


def entries(paths):
    for path in files(paths):
        for name, test in json.load(open(path)).items():
            fork = "Cancun" if "Cancun" in test["post"] else next(iter(test["post"]))
            for post in test["post"][fork]:
                yield path, name, test, fork, post


def key(name, ix):
    return (name, ix["data"], ix["gas"], ix["value"])


def ours_bench(binary, paths, runs):
    proc = subprocess.run([binary, "evm", "bench", "--runs", str(runs), *paths], capture_output=True, text=True)
    if proc.returncode != 0 and "bench" in proc.stderr and "Unexpected argument" in proc.stderr:
        return None
    if proc.returncode != 0:
        raise RuntimeError(f"`evm bench` failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            out[key(r["name"], r["index"])] = (r["gasUsed"], r["seconds"], r["pass"])
    return out


def ours_end_to_end(binary, path, name, test, fork, post, runs, gas_used):
    single = copy.deepcopy(test)
    single["post"] = {"Cancun": [post]}
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "entry.json")
        json.dump({name: single}, open(f, "w"))
        best, ok = None, False
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run([binary, "evm", "statetest", f], capture_output=True, text=True)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
            ok = '"pass":true' in p.stdout.replace(" ", "")
    return gas_used, best, ok


def pyrevm_call_overhead(runs):
    """Best time of a message_call to a contract that only STOPs: the fixed cost pyrevm adds to
    every revm figure (Python to Rust, environment setup), which weighs on short benchmarks."""
    stop = {"env": {"currentCoinbase": "0x" + "00" * 19 + "01", "currentGasLimit": "0x1c9c380",
                    "currentNumber": "0x1", "currentTimestamp": "0x1", "currentBaseFee": "0x0"},
            "pre": {"0x" + "00" * 19 + "aa": {"balance": "0x0", "code": "0x00", "nonce": "0x1", "storage": {}},
                    "0x" + "00" * 19 + "bb": {"balance": "0xffffffffff", "code": "0x", "nonce": "0x0", "storage": {}}},
            "transaction": {"data": ["0x"], "gasLimit": ["0x186a0"], "gasPrice": "0x0", "nonce": "0x0",
                            "sender": "0x" + "00" * 19 + "bb", "to": "0x" + "00" * 19 + "aa", "value": ["0x0"]}}
    return reference.run(stop, timed_runs=max(runs, 20)).seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--end-to-end", action="store_true", help="time whole `evm statetest` processes")
    ap.add_argument("paths", nargs="*", default=[DEFAULT_SET])
    args = ap.parse_args()

    ours = None if args.end_to_end else ours_bench(args.binary, args.paths, args.runs)
    mode = "execution only" if ours is not None else "end to end (process, parsing, state, root)"
    print(f"ours: {mode}; revm: pyrevm message_call only; best of {args.runs}")
    print(f"{'benchmark':<34}{'gas':>12}{'ours Mgas/s':>13}{'revm Mgas/s':>13}{'ratio':>8}")
    ratios, passed, failed = [], 0, 0
    for path, name, test, fork, post in entries(args.paths):
        ix = post["indexes"]
        r = reference.run(test, ix["data"], ix["gas"], ix["value"], timed_runs=args.runs)
        revm_ok = r.state_root == post["hash"] and r.logs_hash == post["logs"]
        if ours is not None:
            gas, secs, ok = ours.get(key(name, ix), (0, float("nan"), False))
        else:
            gas, secs, ok = ours_end_to_end(args.binary, path, name, test, fork, post, args.runs, r.gas_used)
        label = f"{name}[{ix['data']}]"
        if not (ok and revm_ok) or gas != r.gas_used:
            failed += 1
            print(f"{label:<34}{r.gas_used:>12}  FAILED: ours pass={ok} gas={gas}, revm pass={revm_ok}")
            continue
        passed += 1
        ours_rate = gas / secs / 1e6
        revm_rate = r.gas_used / r.seconds / 1e6
        ratio = ours_rate / revm_rate
        ratios.append(ratio)
        print(f"{label:<34}{gas:>12}{ours_rate:>13.1f}{revm_rate:>13.1f}{ratio:>8.3f}")
    if ratios:
        gm = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        print(f"geometric mean of ratios (ours / revm): {gm:.3f} over {len(ratios)} entries")
    print(f"pyrevm's fixed cost per message_call (a STOP contract): {pyrevm_call_overhead(args.runs) * 1e6:.1f} us "
          "(included in revm's figures above)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
