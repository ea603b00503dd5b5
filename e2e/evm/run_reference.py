#!/usr/bin/env python3
"""Runs GeneralStateTests files through revm (pyrevm) and prints, per (test, indexes), the same
JSON line as `rollup-node evm statetest` (stateRoot, logsHash, pass against the file's post),
then `N passed, M failed`. For checking this harness itself on the Ethereum tests.

Usage: e2e/.venv/bin/python e2e/evm/run_reference.py FILE_OR_DIR...
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in sorted(os.walk(p)):
                for n in sorted(names):
                    if n.endswith(".json"):
                        yield os.path.join(root, n)
        else:
            yield p


def main():
    passed = failed = 0
    for path in files(sys.argv[1:]):
        for name, test in json.load(open(path)).items():
            # The benchmark set keeps its expected roots under "London" (same result in Cancun).
            fork = "Cancun" if "Cancun" in test["post"] else next(iter(test["post"]))
            for post in test["post"][fork]:
                ix = post["indexes"]
                try:
                    o = reference.run(test, ix["data"], ix["gas"], ix["value"])
                    ok = o.state_root == post["hash"] and o.logs_hash == post["logs"]
                    line = {"name": name, "fork": fork, "index": ix, "stateRoot": o.state_root,
                            "logsHash": o.logs_hash, "pass": ok, "error": o.reason}
                except Exception as e:  # noqa: BLE001 - report and go on
                    ok = False
                    line = {"name": name, "fork": fork, "index": ix, "pass": False, "error": repr(e)}
                print(json.dumps(line))
                passed += ok
                failed += not ok
    print(f"{passed} passed, {failed} failed")


if __name__ == "__main__":
    main()
