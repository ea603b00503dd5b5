#!/usr/bin/env python3
"""Writes (or checks) Scroll's predeploys in a chain spec's genesis alloc (and EIP-2935's history
contract, which Scroll's rules read BLOCKHASH from since Feynman).

The sources are contracts/predeploys/*.vy; each is compiled here with Vyper (the e2e virtual
environment's, 0.4.3) for the Shanghai EVM, so the code runs under every Scroll fork from
Bernoulli on, and its runtime code goes to Scroll's address with the storage its constructor
would have written (the owner) plus the oracle's initial L1 fee values.

Usage (from the repository root):
  e2e/.venv/bin/python scripts/predeploys.py chains/dev.json          # rewrite the entries
  e2e/.venv/bin/python scripts/predeploys.py --check chains/dev.json  # fail if they differ
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "contracts", "predeploys")
VYPER = os.path.join(ROOT, "e2e", ".venv", "bin", "vyper")
EVM_VERSION = "shanghai"

# Scroll's addresses (scroll-tech/reth crates/scroll/chainspec/res/genesis).
ADDRESSES = {
    "L2MessageQueue": "0x5300000000000000000000000000000000000000",
    "L1GasPriceOracle": "0x5300000000000000000000000000000000000002",
    "Whitelist": "0x5300000000000000000000000000000000000003",
    "WETH": "0x5300000000000000000000000000000000000004",
    "L2TxFeeVault": "0x5300000000000000000000000000000000000005",
}
OWNED = {"L2MessageQueue", "L1GasPriceOracle", "Whitelist", "L2TxFeeVault"}  # slot 0: owner

# EIP-2935's block-hash history contract (not Vyper: the EIP's own runtime code, as
# alloy-rs/alloy crates/eips/src/eip2935.rs carries it). From Feynman the node's pre-block
# update writes the parent hash into it and BLOCKHASH reads it.
HISTORY_STORAGE_ADDRESS = "0x0000F90827F1C53a10cb7A02335B175320002935"
HISTORY_STORAGE_CODE = ("0x3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f3560014303811160425761"
                        "1fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500")

# (ADDRESSES comes first: the whitelist slot points at it.)
# The oracle's initial values on a dev chain (1e9 precision for scalars and factors): with
# Galileo's formula a transfer's L1 fee is about 1e12 wei (one per mille of its gas fee at
# 1 gwei), visible in receipts without making transactions expensive.
ORACLE_VALUES = {
    1: 1_000_000_000,       # l1BaseFee: 1 gwei
    4: int(ADDRESSES["Whitelist"], 16),  # whitelist: the Whitelist predeploy
    5: 1,                   # l1BlobBaseFee: 1 wei
    6: 10_000_000_000,      # commitScalar / exec scalar: 10.0
    7: 1_000_000_000,       # blobScalar: 1.0
    9: 1_000_000_000,       # penaltyThreshold (Feynman): 1.0
    10: 1_000_000_000,      # penaltyFactor: 1.0
}


# Scroll's storage order for the oracle: the node reads these slots directly.
ORACLE_SLOTS = {"owner": 0, "l1BaseFee": 1, "overhead": 2, "scalar": 3, "whitelist": 4, "l1BlobBaseFee": 5,
                "commitScalar": 6, "blobScalar": 7, "isCurie": 8, "penaltyThreshold": 9, "penaltyFactor": 10}


def vyper(*args):
    return subprocess.run([VYPER, "--evm-version", EVM_VERSION, *args], check=True, capture_output=True, text=True).stdout


def compile_runtime(name):
    """Runtime code with storage from slot 0 in declaration order. For Shanghai, Vyper 0.4 keeps
    slot 0 for its reentrancy lock (no transient storage); these contracts take no lock, so a
    layout override moves their variables down to Solidity's (and Scroll's) slots."""
    source = os.path.join(SOURCES, name + ".vy")
    layout = json.loads(vyper("-f", "layout", source))["storage_layout"]
    override, slot = {}, 0
    for variable, item in sorted(layout.items(), key=lambda kv: kv[1]["slot"]):
        override[variable] = dict(item, slot=slot)
        slot += item["n_slots"]
    if name == "L1GasPriceOracle":
        got = {v: i["slot"] for v, i in override.items()}
        assert got == ORACLE_SLOTS, f"the oracle's storage is not Scroll's layout: {got}"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(override, f)
        path = f.name
    try:
        return vyper("--storage-layout-file", path, "-f", "bytecode_runtime", source).strip()
    finally:
        os.unlink(path)


def word(n):
    return "0x" + format(n, "064x")


def entries(owner):
    owner_word = word(int(owner, 16))
    out = {}
    for name, address in ADDRESSES.items():
        storage = {}
        if name in OWNED:
            storage[word(0)] = owner_word
        if name == "L1GasPriceOracle":
            for slot, value in ORACLE_VALUES.items():
                storage[word(slot)] = word(value)
        entry = {"balance": "0", "code": compile_runtime(name)}
        if storage:
            entry["storage"] = storage
        out[address] = entry
    out[HISTORY_STORAGE_ADDRESS] = {"balance": "0", "code": HISTORY_STORAGE_CODE}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec")
    parser.add_argument("--owner", help="owner of the predeploys (default: the spec's authorizedSigner)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the spec differs")
    args = parser.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)
    owner = args.owner or spec["authorizedSigner"]
    wanted = entries(owner)
    alloc = spec["genesis"]["alloc"]
    current = {k.lower(): v for k, v in alloc.items()}
    differing = [a for a, e in wanted.items() if current.get(a.lower()) != e]
    if args.check:
        if differing:
            print(f"{args.spec}: predeploys differ from contracts/predeploys at {', '.join(differing)}; "
                  f"run e2e/.venv/bin/python scripts/predeploys.py {args.spec}", file=sys.stderr)
            return 1
        print(f"{args.spec}: {len(wanted)} predeploys match their sources")
        return 0
    for address in list(alloc):
        if address.lower() in {a.lower() for a in wanted}:
            del alloc[address]
    alloc.update(wanted)
    with open(args.spec, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    print(f"{args.spec}: wrote {len(wanted)} predeploys (owner {owner})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
