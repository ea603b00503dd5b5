"""Writes the ERC-20 benchmark chain spec: chains/bench.json plus e2e/contracts/Token.vy (compiled
here with vyper) at TOKEN, its storage written at genesis so that every benchmark sender holds
1,000,000 tokens. The block gas limit stays bench.json's 200M unless --gas-limit says otherwise:
a transfer of this token costs 34,050 gas (1.6x a plain transfer), so 200M holds 5,873 a block.

Usage: python scripts/bench/erc20_spec.py [--senders N] [--gas-limit G] > spec.json
The token's storage follows Vyper's layout (`vyper -f layout`): a HashMap value lives at
keccak256(slot ++ key); e2e/test_bench_erc20_spec.py checks balanceOf through eth_call."""
import argparse
import json
import os

import vyper
from eth_account import Account
from eth_utils import keccak

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "0x00000000000000000000000000000000000e2C20"
BALANCE = 10**24


def sender_address(i):
    """Bench sender i: key keccak256("rollup-node bench sender i") (Sources/LoadGenerator/BenchAccounts.swift)."""
    return Account.from_key(keccak(f"rollup-node bench sender {i}".encode())).address


def word(n):
    return "0x" + n.to_bytes(32, "big").hex()


def make_spec(senders, gas_limit=None):
    with open(os.path.join(ROOT, "chains", "bench.json")) as f:
        spec = json.load(f)
    with open(os.path.join(ROOT, "e2e", "contracts", "Token.vy")) as f:
        out = vyper.compile_code(f.read(), output_formats=["bytecode_runtime", "layout"])
    layout = out["layout"]["storage_layout"]
    balances, supply = layout["balanceOf"]["slot"], layout["totalSupply"]["slot"]
    storage = {word(supply): word(BALANCE * senders), word(layout["decimals"]["slot"]): word(18)}
    for i in range(senders):
        key = bytes.fromhex(sender_address(i)[2:]).rjust(32, b"\0")
        storage["0x" + keccak(balances.to_bytes(32, "big") + key).hex()] = word(BALANCE)
    spec["genesis"]["alloc"][TOKEN] = {"balance": "0", "code": out["bytecode_runtime"], "storage": storage}
    if gas_limit is not None:
        spec["genesis"]["gasLimit"] = gas_limit
    spec["name"] = "bench-erc20"
    return spec


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=4096)
    parser.add_argument("--gas-limit", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(make_spec(args.senders, args.gas_limit), indent=1))
