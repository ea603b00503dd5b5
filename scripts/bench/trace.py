"""Tracing figures for BENCHMARKS.md: debug_traceTransaction of a transaction using about 1M gas
(e2e/contracts/Spin.vy: keccak rounds, storage writes and a call to a Counter every 16 rounds),
with the default struct logger and with callTracer, on a release dev node on loopback.

Usage: e2e/.venv/bin/python scripts/bench/trace.py [--runs 5]"""
import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "e2e"))
from eth_account import Account  # noqa: E402
from web3 import Web3  # noqa: E402
from web3.middleware import SignAndSendRawMiddlewareBuilder  # noqa: E402

from conftest import KEYS, Node  # noqa: E402
from test_contract_chain import deploy, wait  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=5)
args = parser.parse_args()
with tempfile.TemporaryDirectory() as datadir:
    node = Node(datadir, ["--log.level", "warning"]).start()
    try:
        w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 120}))
        alice = Account.from_key(KEYS[1])
        w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
        counter, _ = deploy(w3, "Counter", alice.address, 0)
        spin, _ = deploy(w3, "Spin", alice.address)
        # Find a round count that uses about 1M gas.
        n = 100
        while spin.functions.spin(n, counter.address).estimate_gas({"from": alice.address}) < 1_000_000:
            n = n * 2 if n < 800 else n + 50
        receipt = wait(w3, spin.functions.spin(n, counter.address).transact({"from": alice.address, "gas": 3_000_000}))
        h = receipt["transactionHash"].to_0x_hex()
        print(f"transaction: spin({n}) used {receipt['gasUsed']} gas, status {receipt['status']}")
        for name, options in [("struct logger (default)", {}), ("struct logger, disableStack", {"disableStack": True}),
                              ("callTracer", {"tracer": "callTracer"}), ("prestateTracer", {"tracer": "prestateTracer"})]:
            times, size = [], 0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                reply = w3.provider.make_request("debug_traceTransaction", [h, options])
                times.append(time.perf_counter() - t0)
                assert "result" in reply, reply
                if "structLogs" in reply["result"]:
                    size = len(reply["result"]["structLogs"])
            print(f"{name:32s} best {min(times) * 1000:8.1f} ms  median {sorted(times)[len(times) // 2] * 1000:8.1f} ms"
                  + (f"  ({size} steps)" if size else ""))
    finally:
        node.stop()
