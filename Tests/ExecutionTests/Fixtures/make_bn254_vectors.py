#!/usr/bin/env python3
"""bn254 (alt_bn128) precompile vectors from py_ecc, for BN254Tests.swift.

Writes bn254_vectors.json beside this script (seeded: reruns give the same file). Results come
from py_ecc's optimized_bn128 (the Ethereum Foundation's Python implementation); input rules
and gas are EIP-196/197 with EIP-1108 prices, written here from the EIPs' text.

Each vector: {"name", "input" (hex), "output" (hex, or null for a failing call), "gas"}.
- add (0x06, 150 gas): random multiples of G, doubling, P + (-P), infinity on either side,
  short and long inputs, coordinates >= p, points off the curve.
- mul (0x07, 6000 gas): random points and 256-bit scalars (including >= r, 0, 1, r - 1, r),
  infinity, short inputs, invalid points.
- pairing (0x08, 45000 + 34000 k): products that are 1 (e(aP, bQ) e(-abP, Q)) and random
  products that are not, 0 to 5 pairs, infinity in either slot, G2 points on the twist but
  outside the order-r subgroup, coordinates >= p, points off the curve, lengths not a
  multiple of 192.

Usage: python3 -m venv .venv-scroll && .venv-scroll/bin/pip install py_ecc
       .venv-scroll/bin/python Tests/ExecutionTests/Fixtures/make_bn254_vectors.py
"""
import json
import os
import random

from importlib.metadata import version
from py_ecc.optimized_bn128 import (FQ, FQ2, FQ12, G1, G2, Z1, Z2, add, b2, curve_order,
                                     field_modulus, final_exponentiate, is_inf, is_on_curve,
                                     multiply, neg, normalize, pairing)

SEED = 0xB254_0001
P = field_modulus
R = curve_order
rng = random.Random(SEED)


def w(n):
    return n.to_bytes(32, "big")


def enc_g1(pt):
    if is_inf(pt):
        return bytes(64)
    x, y = normalize(pt)
    return w(x.n) + w(y.n)


def enc_g2(pt):
    if is_inf(pt):
        return bytes(128)
    x, y = normalize(pt)
    return w(x.coeffs[1]) + w(x.coeffs[0]) + w(y.coeffs[1]) + w(y.coeffs[0])


def rand_g1():
    return multiply(G1, rng.randrange(1, R))


def rand_g2():
    return multiply(G2, rng.randrange(1, R))


def vec(name, data, output, gas):
    return {"name": name, "input": data.hex(), "output": None if output is None else output.hex(), "gas": gas}


def off_curve_g1():
    while True:
        x, y = rng.randrange(P), rng.randrange(P)
        if (y * y - x * x * x - 3) % P:
            return w(x) + w(y)


def fq2_sqrt(a):
    """Square root in Fp2 (p = 3 mod 4), or None."""
    a1 = a ** ((P - 3) // 4)
    alpha = a1 * a1 * a
    x0 = a1 * a
    if alpha == FQ2([-1, 0]):
        cand = FQ2([0, 1]) * x0
    else:
        cand = (alpha + FQ2([1, 0])) ** ((P - 1) // 2) * x0
    return cand if cand * cand == a else None


def twist_point_outside_subgroup():
    while True:
        x = FQ2([rng.randrange(P), rng.randrange(P)])
        y = fq2_sqrt(x ** 3 + b2)
        if y is None:
            continue
        pt = (x, y, FQ2.one())
        assert is_on_curve(pt, b2)
        if not is_inf(multiply(pt, R)):
            return pt


def add_vectors():
    out = []
    for i in range(150):
        a, b = rand_g1(), rand_g1()
        out.append(vec(f"random {i}", enc_g1(a) + enc_g1(b), enc_g1(add(a, b)), 150))
    for i in range(15):
        a = rand_g1()
        out.append(vec(f"double {i}", enc_g1(a) * 2, enc_g1(add(a, a)), 150))
        out.append(vec(f"p plus minus p {i}", enc_g1(a) + enc_g1(neg(a)), bytes(64), 150))
        out.append(vec(f"infinity plus p {i}", bytes(64) + enc_g1(a), enc_g1(a), 150))
        out.append(vec(f"p plus infinity, short {i}", enc_g1(a), enc_g1(a), 150))
        b = rand_g1()
        data = enc_g1(a) + enc_g1(b)
        out.append(vec(f"long input ignored {i}", data + bytes(rng.randrange(256) for _ in range(40)),
                       enc_g1(add(a, b)), 150))
        cut = rng.randrange(64, 128)
        # Input cut short: the missing bytes read as zeros, which is only valid when the second
        # point's remaining coordinates form a point; compute what the padded input means.
        padded = data[:cut] + bytes(128 - cut)
        x2, y2 = int.from_bytes(padded[64:96], "big"), int.from_bytes(padded[96:128], "big")
        if x2 == 0 and y2 == 0:
            expect = enc_g1(a)
        elif x2 < P and y2 < P and (y2 * y2 - x2 ** 3 - 3) % P == 0:
            expect = enc_g1(add(a, (FQ(x2), FQ(y2), FQ.one())))
        else:
            expect = None
        out.append(vec(f"short input {i}", data[:cut], expect, 150))
        out.append(vec(f"off curve {i}", enc_g1(a) + off_curve_g1(), None, 150))
        x, y = normalize(a)
        out.append(vec(f"x plus p {i}", w(x.n + P) + w(y.n) + enc_g1(b), None, 150) if x.n + P < 2**256 else
                   vec(f"y plus p {i}", w(x.n) + w(y.n + P) + enc_g1(b), None, 150))
    out.append(vec("empty input", b"", bytes(64), 150))
    out.append(vec("generator doubled", enc_g1(G1) * 2, enc_g1(add(G1, G1)), 150))
    out.append(vec("y = p", w(1) + w(P) + bytes(64), None, 150))
    out.append(vec("(1, 3) off curve", w(1) + w(3) + bytes(64), None, 150))
    return out


def mul_vectors():
    out = []
    for i in range(150):
        a = rand_g1()
        k = rng.randrange(2**256)
        out.append(vec(f"random {i}", enc_g1(a) + w(k), enc_g1(multiply(a, k % R)), 6000))
    for i in range(10):
        a = rand_g1()
        for label, k in (("zero", 0), ("one", 1), ("r - 1", R - 1), ("r", R), ("r + 1", R + 1),
                         ("2^256 - 1", 2**256 - 1)):
            out.append(vec(f"scalar {label} {i}", enc_g1(a) + w(k), enc_g1(multiply(a, k % R)), 6000))
        k = rng.randrange(1, 2**64)
        out.append(vec(f"infinity times k {i}", bytes(64) + w(k), bytes(64), 6000))
        out.append(vec(f"off curve {i}", off_curve_g1() + w(k), None, 6000))
        cut = rng.randrange(64, 96)
        data = enc_g1(a) + w(k << 8 * (32 - 8))
        padded = data[:cut] + bytes(96 - cut)
        out.append(vec(f"short scalar {i}", data[:cut],
                       enc_g1(multiply(a, int.from_bytes(padded[64:], "big") % R)), 6000))
        out.append(vec(f"long input ignored {i}", enc_g1(a) + w(k) + bytes([7] * 20), enc_g1(multiply(a, k)), 6000))
    out.append(vec("empty input", b"", bytes(64), 6000))
    out.append(vec("generator times 2", enc_g1(G1) + w(2), enc_g1(add(G1, G1)), 6000))
    return out


def pairing_product(pairs):
    acc = FQ12.one()
    for p1, q2 in pairs:
        if is_inf(p1) or is_inf(q2):
            continue
        acc = acc * pairing(q2, p1, final_exponentiate=False)
    return final_exponentiate(acc) == FQ12.one()


def pairing_vectors():
    out = []

    def emit(name, pairs):
        data = b"".join(enc_g1(p1) + enc_g2(q2) for p1, q2 in pairs)
        ok = pairing_product(pairs)
        out.append(vec(name, data, w(1 if ok else 0), 45000 + 34000 * len(pairs)))

    for i in range(70):
        a, b = rng.randrange(1, R), rng.randrange(1, R)
        p1, q2 = multiply(G1, a), multiply(G2, b)
        pairs = [(p1, q2), (neg(multiply(G1, a * b % R)), G2)]
        emit(f"product one, 2 pairs {i}", pairs)
    for i in range(50):
        n = rng.randrange(1, 4)
        emit(f"random {n} pairs {i}", [(rand_g1(), rand_g2()) for _ in range(n)])
    for i in range(20):
        # e(a1 G, b1 H) e(a2 G, b2 H) e(-(a1 b1 + a2 b2) G, H), sometimes with an extra pair of infinity.
        a1, b1, a2, b2_ = (rng.randrange(1, R) for _ in range(4))
        pairs = [(multiply(G1, a1), multiply(G2, b1)), (multiply(G1, a2), multiply(G2, b2_)),
                 (neg(multiply(G1, (a1 * b1 + a2 * b2_) % R)), G2)]
        if i % 2:
            pairs.append((Z1, rand_g2()) if i % 4 == 1 else (rand_g1(), Z2))
        emit(f"product one, {len(pairs)} pairs {i}", pairs)
    for i in range(10):
        emit(f"infinity pairs {i}", [(Z1, rand_g2()), (rand_g1(), Z2)])
        a = rng.randrange(1, R)
        pairs = [(multiply(G1, a), G2), (neg(G1), multiply(G2, a))] + [(rand_g1(), Z2)] * 3
        emit(f"five pairs, product one {i}", pairs)
    emit("single pair of generators", [(G1, G2)])
    out.append(vec("empty input", b"", w(1), 45000))
    for i in range(15):
        good = enc_g1(rand_g1()) + enc_g2(rand_g2())
        bad_q = twist_point_outside_subgroup()
        out.append(vec(f"g2 outside subgroup {i}", good + enc_g1(rand_g1()) + enc_g2(bad_q), None, 45000 + 2 * 34000))
        out.append(vec(f"g1 off curve {i}", good + off_curve_g1() + enc_g2(rand_g2()), None, 45000 + 2 * 34000))
        q = enc_g2(rand_g2())
        broken = bytearray(q)
        broken[127] ^= 1
        out.append(vec(f"g2 off twist {i}", enc_g1(rand_g1()) + bytes(broken), None, 45000 + 34000))
        # A coordinate >= p: x.imaginary + p.
        xi = int.from_bytes(q[0:32], "big")
        if xi + P < 2**256:
            out.append(vec(f"g2 coordinate >= p {i}", enc_g1(rand_g1()) + w(xi + P) + q[32:], None, 45000 + 34000))
        cut = rng.choice([1, 63, 64, 191, 193, 200, 383])
        out.append(vec(f"length {cut} not a multiple of 192 {i}", (good * 3)[:cut], None, 0))
    # Real and imaginary swapped is (almost surely) not on the twist.
    q = enc_g2(G2)
    swapped = q[32:64] + q[0:32] + q[96:128] + q[64:96]
    out.append(vec("g2 coordinates swapped", enc_g1(G1) + swapped, None, 45000 + 34000))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = {
        "provenance": f"make_bn254_vectors.py, seed {SEED:#x}, py_ecc {version('py_ecc')} optimized_bn128",
        "add": add_vectors(),
        "mul": mul_vectors(),
        "pairing": pairing_vectors(),
    }
    with open(os.path.join(here, "bn254_vectors.json"), "w") as f:
        json.dump(data, f, indent=0)
        f.write("\n")
    print({k: len(v) for k, v in data.items() if k != "provenance"})


if __name__ == "__main__":
    main()
