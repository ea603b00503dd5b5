#!/usr/bin/env python3
"""Precompile vectors from the Ethereum execution specification (PyPI ethereum-execution 2.20.0):
blake2f and modexp under Cancun (EIP-152, EIP-2565), modexp under Osaka (EIP-7823's 1,024-byte
limits, EIP-7883's gas: what Scroll's Galileo runs). Each vector is the spec's own precompile
function run on the input with ample gas: its output and the gas it charged, or null when it
halts (malformed input, a limit exceeded).

Writes spec_precompile_vectors.json beside this script (seeded: reruns give the same file).
Usage: e2e/.venv/bin/python Tests/ExecutionTests/Fixtures/make_spec_precompile_vectors.py
"""
import json
import os
import random
from types import SimpleNamespace

from ethereum_types.numeric import Uint
from ethereum.forks.cancun.vm.precompiled_contracts import blake2f as cancun_blake2f
from ethereum.forks.cancun.vm.precompiled_contracts import modexp as cancun_modexp
from ethereum.forks.osaka.vm.precompiled_contracts import modexp as osaka_modexp

SEED = 0x5EC0_0014
AMPLE_GAS = 10**12


def run(function, data):
    """(output hex, gas) from the spec's function, or (None, 0) when it halts."""
    evm = SimpleNamespace(message=SimpleNamespace(data=data), gas_left=Uint(AMPLE_GAS), output=b"")
    try:
        function(evm)
    except Exception:  # the spec's exceptional halts (OutOfGasError, ExceptionalHalt, ...)
        return None, 0
    return bytes(evm.output).hex(), AMPLE_GAS - int(evm.gas_left)


def blake2f_vectors(rng):
    out = []
    for i in range(240):
        rounds = rng.choice([0, 1, 2, 12, rng.randint(0, 64), rng.randint(0, 2_000)])
        body = bytes(rng.getrandbits(8) for _ in range(64 + 128 + 16))
        final = rng.choice([b"\x00", b"\x01"])
        data = rounds.to_bytes(4, "big") + body + final
        kind = i % 12
        if kind == 1:
            data = data[:-1]                      # 212 bytes
        elif kind == 2:
            data = data + b"\x00"                 # 214 bytes
        elif kind == 3:
            data = data[:-1] + bytes([rng.randint(2, 255)])  # final flag neither 0 nor 1
        elif kind == 4:
            data = b""
        output, gas = run(cancun_blake2f.blake2f, data)
        out.append({"input": data.hex(), "output": output, "gas": gas})
    return out


def modexp_input(rng, i, large):
    sizes = [0, 1, 31, 32, 33, 64, 127, 128, 255, 256, 384, 511, 512] if large else [0, 1, 2, 8, 32, 33, 64, 100]
    bl = rng.choice(sizes)
    el = rng.choice([0, 1, 2, 3, 8, 31, 32, 33, 48, 64])
    ml = rng.choice(sizes)
    base = rng.getrandbits(8 * bl) if bl else 0
    exp = rng.getrandbits(8 * el) >> rng.randint(0, 8 * el) if el else 0
    mod = rng.getrandbits(8 * ml) if ml else 0
    kind = i % 8
    if kind == 1 and ml:
        mod = 0
    elif kind == 2 and ml:
        mod = 1
    elif kind == 3:
        exp = 0
    elif kind == 4 and ml:
        mod |= (1 << (8 * ml - 1)) | 1   # an odd modulus with its top bit set (RSA-like)
    elif kind == 5 and ml:
        mod &= ~1                        # an even modulus
    data = (bl.to_bytes(32, "big") + el.to_bytes(32, "big") + ml.to_bytes(32, "big")
            + (base.to_bytes(bl, "big") if bl else b"") + (exp.to_bytes(el, "big") if el else b"")
            + (mod.to_bytes(ml, "big") if ml else b""))
    if kind == 6:
        data = data[:rng.randint(96, len(data))]  # cut short: the missing bytes read as zeros
    return data


def modexp_vectors(rng, function, osaka):
    out = []
    for i in range(240):
        data = modexp_input(rng, i, large=True)
        output, gas = run(function, data)
        out.append({"input": data.hex(), "output": output, "gas": gas})
    if osaka:
        # EIP-7823: any length above 1,024 bytes halts; exactly 1,024 is allowed.
        for bl, el, ml in [(1025, 1, 1), (1, 1025, 1), (1, 1, 1025), (1024, 1, 1024)]:
            data = bl.to_bytes(32, "big") + el.to_bytes(32, "big") + ml.to_bytes(32, "big") + bytes(
                rng.getrandbits(8) for _ in range(min(bl + el + ml, 2_100)))
            output, gas = run(function, data)
            out.append({"input": data.hex(), "output": output, "gas": gas})
    return out


def main():
    rng = random.Random(SEED)
    vectors = {
        "provenance": f"make_spec_precompile_vectors.py, seed {SEED:#x}, ethereum-execution 2.20.0 (cancun and osaka precompiles)",
        "blake2f": blake2f_vectors(rng),
        "modexp_cancun": modexp_vectors(rng, cancun_modexp.modexp, osaka=False),
        "modexp_osaka": modexp_vectors(rng, osaka_modexp.modexp, osaka=True),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "spec_precompile_vectors.json"), "w") as f:
        json.dump(vectors, f, indent=0)
        f.write("\n")
    for key in ("blake2f", "modexp_cancun", "modexp_osaka"):
        ok = sum(1 for v in vectors[key] if v["output"] is not None)
        print(f"{key}: {len(vectors[key])} vectors, {ok} succeed")


if __name__ == "__main__":
    main()
