#!/usr/bin/env python3
"""Precompiles: our EVM against revm (pyrevm 0.3.7), same machine, same run (BENCHMARKS.md).

Each case is a contract that STATICCALLs one precompile CALLS times with a fixed input and
stores the first output word in slot 0 (a failing call reverts the whole loop). The same code
runs in `rollup-bench precompiles` (our TransactionProcessor, Cancun rules plus P256VERIFY at
0x100) and in pyrevm (CANCUN); both time the transaction's execution alone, best of --runs, and
slot 0 must be equal on both sides. Per case it prints calls/s and Mgas/s (the transaction's gas
over its time, loop overhead included: a few hundred gas per call) and the ratio ours / revm.

pyrevm 0.3.7 has no P256VERIFY (0x100 is an empty account there): the P-256 line compares with
OpenSSL's verify through the `cryptography` package instead (calls/s only).

Inputs: ecrecover of a valid signature (coincurve); sha256 of 1 KiB; modexp of a 2048-bit
RSA-style input (256-byte base and modulus, exponent 65537); bn254 scalar multiplication of a
point by a 256-bit scalar; a 2-pair bn254 pairing that holds, e(P, Q) * e(-P, Q) = 1 (py_ecc
checks it); P-256 verify of a valid signature (cryptography).

Usage: e2e/.venv/bin/python scripts/bench/precompiles.py [--bench .build/release/rollup-bench]
       [--calls 100] [--runs 7]
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from coincurve import PrivateKey
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from py_ecc import optimized_bn128 as bn
from pyrevm import EVM, AccountInfo, BlockEnv, CfgEnv, Env

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRACT = "0x" + "aa" * 20
SENDER = "0x" + "bb" * 20


def loop_contract(precompile, data, calls):
    """CODECOPY the input to memory 0, STATICCALL `precompile` `calls` times (output to
    0x4000..0x4020, all gas forwarded), revert on a failed call, then SSTORE the output word."""
    out = 0x4000
    code = bytearray()

    def push(value, size):
        code.extend([0x5f + size]); code.extend(value.to_bytes(size, "big"))

    # header: CODECOPY(0, dataOffset, len); the data offset is patched once the code is laid out
    push(len(data), 2); push(0, 2); patch = len(code) - 2; push(0, 1); code.append(0x39)
    push(calls, 2)                                  # counter
    loop = len(code); code.append(0x5b)             # JUMPDEST
    code.append(0x80); code.append(0x15)            # DUP1 ISZERO
    push(0, 2); end_patch = len(code) - 2; code.append(0x57)  # PUSH2 end JUMPI
    push(32, 1); push(out, 2); push(len(data), 2); push(0, 1); push(precompile, 2); code.append(0x5a)  # ... GAS
    code.append(0xfa)                               # STATICCALL
    code.append(0x15); push(0, 2); fail_patch = len(code) - 2; code.append(0x57)  # ISZERO PUSH2 fail JUMPI
    push(1, 1); code.append(0x90); code.append(0x03)  # PUSH1 1 SWAP1 SUB
    push(loop, 2); code.append(0x56)                # JUMP loop
    end = len(code); code.append(0x5b)              # end: JUMPDEST
    push(out, 2); code.append(0x51); push(0, 1); code.append(0x55); code.append(0x00)  # MLOAD 0 SSTORE STOP
    fail = len(code); code.append(0x5b); push(0, 1); code.append(0x80); code.append(0xfd)  # fail: REVERT(0, 0)
    code[end_patch:end_patch + 2] = end.to_bytes(2, "big")
    code[fail_patch:fail_patch + 2] = fail.to_bytes(2, "big")
    code[patch:patch + 2] = len(code).to_bytes(2, "big")
    return bytes(code) + data


def g1(pt):
    """A bn254 G1 point as the precompiles take it: x, y (32 bytes each)."""
    return int(pt[0]).to_bytes(32, "big") + int(pt[1]).to_bytes(32, "big")


def g2(pt):
    """A G2 point: each coordinate's imaginary part first (EIP-197)."""
    x, y = pt
    return (int(x.coeffs[1]).to_bytes(32, "big") + int(x.coeffs[0]).to_bytes(32, "big")
            + int(y.coeffs[1]).to_bytes(32, "big") + int(y.coeffs[0]).to_bytes(32, "big"))


def cases(rng):
    out = []
    key = PrivateKey(bytes(range(1, 33)))
    digest = hashlib.sha256(b"precompile benchmark").digest()
    sig = key.sign_recoverable(digest, hasher=None)
    r, s, v = sig[:32], sig[32:64], sig[64]
    out.append(("ecrecover", 0x01, digest + (27 + v).to_bytes(32, "big") + r + s))
    kib = bytes(rng.getrandbits(8) for _ in range(1024))
    out.append(("sha256 (1 KiB)", 0x02, kib))
    out.append(("identity (1 KiB): a call", 0x04, kib))
    modulus = rng.getrandbits(2048) | (1 << 2047) | 1
    base = rng.getrandbits(2048) % modulus
    out.append(("modexp 2048-bit, e=65537", 0x05, (256).to_bytes(32, "big") + (3).to_bytes(32, "big") + (256).to_bytes(32, "big")
                + base.to_bytes(256, "big") + (65537).to_bytes(3, "big") + modulus.to_bytes(256, "big")))
    point = bn.normalize(bn.multiply(bn.G1, rng.randrange(1, bn.curve_order)))
    out.append(("bn254 mul", 0x07, g1(point) + rng.getrandbits(256).to_bytes(32, "big")))
    k = rng.randrange(1, bn.curve_order)
    p_jacobian, q_jacobian = bn.multiply(bn.G1, k), bn.multiply(bn.G2, rng.randrange(1, bn.curve_order))
    p, neg, q = bn.normalize(p_jacobian), bn.normalize(bn.neg(p_jacobian)), bn.normalize(q_jacobian)
    assert bn.final_exponentiate(bn.pairing(q_jacobian, p_jacobian) * bn.pairing(q_jacobian, bn.neg(p_jacobian))) == bn.FQ12.one()
    out.append(("bn254 pairing, 2 pairs", 0x08, g1(p) + g2(q) + g1(neg) + g2(q)))
    p256 = ec.derive_private_key(rng.randrange(1, 2**255), ec.SECP256R1())
    message = b"precompile benchmark"
    der = p256.sign(message, ec.ECDSA(hashes.SHA256()))
    pr, ps = decode_dss_signature(der)
    numbers = p256.public_key().public_numbers()
    h = hashlib.sha256(message).digest()
    out.append(("p256verify", 0x100, h + pr.to_bytes(32, "big") + ps.to_bytes(32, "big")
                + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")))
    return out, (p256, der, message)


def revm_run(code, runs):
    best, slot0, gas, ok = float("inf"), None, 0, False
    for _ in range(runs):
        evm = EVM(env=Env(cfg=CfgEnv(chain_id=1), block=BlockEnv(number=1, timestamp=1, gas_limit=1_000_000_000)),
                  spec_id="CANCUN", gas_limit=1_000_000_000)
        evm.insert_account_info(CONTRACT, AccountInfo(balance=0, nonce=1, code=code))
        evm.insert_account_info(SENDER, AccountInfo(balance=10**18))
        t0 = time.perf_counter()
        evm.message_call(caller=SENDER, to=CONTRACT, calldata=b"", gas=900_000_000)
        best = min(best, time.perf_counter() - t0)
        result = evm.result
        ok, gas = result.is_success, result.gas_used
        slot0 = evm.storage(CONTRACT, 0)
    return best, gas, ok, slot0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "rollup-bench"))
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(0xBE7C)
    inputs, (p256, der, message) = cases(rng)
    built = [(name, loop_contract(address, data, args.calls)) for name, address, data in inputs]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump([{"name": n, "code": "0x" + c.hex(), "calls": args.calls} for n, c in built], f)
        path = f.name
    try:
        proc = subprocess.run([args.bench, "precompiles"], capture_output=True, text=True, check=True,
                              env=dict(os.environ, RN_PRECOMPILE_CASES=path, RN_PRECOMPILE_RUNS=str(args.runs)))
    finally:
        os.unlink(path)
    ours = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            ours[r["name"]] = r
    print(f"{args.calls} calls per transaction, best of {args.runs}; Mgas/s over the transaction's gas (loop included)")
    print(f"{'precompile':<26}{'gas/call':>9}{'ours calls/s':>14}{'ours Mgas/s':>13}{'revm calls/s':>14}{'revm Mgas/s':>13}{'ratio':>8}")
    failures = 0
    for name, code in built:
        o = ours[name]
        if not o["success"]:
            print(f"{name:<26} FAILED on ours"); failures += 1; continue
        ours_calls = args.calls / o["seconds"]
        ours_mgas = o["gasUsed"] / o["seconds"] / 1e6
        per_call = (o["gasUsed"] - 21_000) // args.calls
        if name == "p256verify":
            key = p256.public_key()
            best = float("inf")
            for _ in range(args.runs):
                t0 = time.perf_counter()
                for _ in range(args.calls):
                    key.verify(der, message, ec.ECDSA(hashes.SHA256()))
                best = min(best, time.perf_counter() - t0)
            ref_calls = args.calls / best
            assert int(o["slot0"], 16) == 1, "P-256 signature not verified"
            print(f"{name:<26}{per_call:>9}{ours_calls:>14,.0f}{ours_mgas:>13.1f}{ref_calls:>14,.0f}{'(OpenSSL)':>13}{ours_calls / ref_calls:>8.3f}")
            continue
        seconds, gas, ok, slot0 = revm_run(code, args.runs)
        if not ok or gas != o["gasUsed"] or slot0 != int(o["slot0"], 16):
            print(f"{name:<26} MISMATCH: revm ok={ok} gas={gas} slot0={slot0:#x}; ours gas={o['gasUsed']} slot0={o['slot0']}")
            failures += 1
            continue
        revm_calls = args.calls / seconds
        revm_mgas = gas / seconds / 1e6
        print(f"{name:<26}{per_call:>9}{ours_calls:>14,.0f}{ours_mgas:>13.1f}{revm_calls:>14,.0f}{revm_mgas:>13.1f}{ours_calls / revm_calls:>8.3f}")
    print(f"{len(built) - failures} compared, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
