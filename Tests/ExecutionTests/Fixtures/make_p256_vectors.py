#!/usr/bin/env python3
"""P256VERIFY (RIP-7212 / EIP-7951) vectors, Wycheproof-style, for P256VerifyTests.swift.

Writes p256_vectors.json beside this script (seeded: reruns give the same file). Signatures
and verdicts come from Python's `cryptography` package (OpenSSL): keys from seeded scalars,
signatures over random 32-byte prehashes, verdicts from `public_key.verify` with
`Prehashed(SHA256())`; the precompile's own rules (160-byte input, r and s in [1, n - 1],
coordinates below p, key on the curve) are written here from the EIPs' text.

Each vector: {"name", "input" (hex), "valid" (bool)}. Cases: valid signatures and their
high-s twins (valid: the precompile does not enforce low s), wrong hash, wrong key, tampered
r or s, r or s equal to 0 or n or above n, r + n, coordinates >= p, keys off the curve, the
(0, 0) encoding of infinity, and inputs of 0, 159, 161 and 192 bytes.

Usage: python3 Tests/ExecutionTests/Fixtures/make_p256_vectors.py  (needs `cryptography`)
"""
import json
import os
import random

import cryptography
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (Prehashed, decode_dss_signature,
                                                               encode_dss_signature)

SEED = 0x9256_0001
P = 2**256 - 2**224 + 2**192 + 2**96 - 1
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
rng = random.Random(SEED)


def w(n):
    return n.to_bytes(32, "big")


def openssl_verdict(h, r, s, x, y):
    """What OpenSSL says, for inputs the precompile's range rules let through."""
    if not (0 < r < N and 0 < s < N and x < P and y < P):
        return False
    if (y * y - (x * x * x - 3 * x + B)) % P:
        return False
    try:
        key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        key.verify(encode_dss_signature(r, s), h, ec.ECDSA(Prehashed(hashes.SHA256())))
        return True
    except (InvalidSignature, ValueError):
        return False


def main():
    out = []

    def emit(name, h, r, s, x, y, expect=None):
        verdict = openssl_verdict(h, r, s, x, y)
        if expect is not None:
            assert verdict == expect, name
        out.append({"name": name, "input": (h + w(r) + w(s) + w(x) + w(y)).hex(), "valid": verdict})

    for i in range(120):
        key = ec.derive_private_key(rng.randrange(1, N), ec.SECP256R1())
        pub = key.public_key().public_numbers()
        h = bytes(rng.randrange(256) for _ in range(32))
        if i % 10 == 0:
            h = b"\xff" * 32 if i % 20 == 0 else w(N + rng.randrange(2**32))  # hashes >= n
        r, s = decode_dss_signature(key.sign(h, ec.ECDSA(Prehashed(hashes.SHA256()))))
        emit(f"valid {i}", h, r, s, pub.x, pub.y, True)
        emit(f"high-s twin {i}", h, r, N - s, pub.x, pub.y, True)
        other = bytearray(h)
        other[rng.randrange(32)] ^= 1 << rng.randrange(8)
        emit(f"wrong hash {i}", bytes(other), r, s, pub.x, pub.y, False)
        if i % 2 == 0:
            pub2 = ec.derive_private_key(rng.randrange(1, N), ec.SECP256R1()).public_key().public_numbers()
            emit(f"wrong key {i}", h, r, s, pub2.x, pub2.y, False)
            emit(f"tampered r {i}", h, (r + 1) % N or 1, s, pub.x, pub.y, False)
            emit(f"tampered s {i}", h, r, (s + 1) % N or 1, pub.x, pub.y, False)
        if i % 4 == 0:
            emit(f"r = 0 {i}", h, 0, s, pub.x, pub.y, False)
            emit(f"s = 0 {i}", h, r, 0, pub.x, pub.y, False)
            emit(f"r = n {i}", h, N, s, pub.x, pub.y, False)
            emit(f"s = n {i}", h, r, N, pub.x, pub.y, False)
            if r + N < 2**256:
                emit(f"r + n {i}", h, r + N, s, pub.x, pub.y, False)
            emit(f"s + n {i}", h, r, s + N if s + N < 2**256 else 2**256 - 1, pub.x, pub.y, False)
            emit(f"key off curve {i}", h, r, s, pub.x, (pub.y + 1) % P, False)
            emit(f"infinity (0, 0) {i}", h, r, s, 0, 0, False)
            if pub.x + P < 2**256:
                emit(f"x + p {i}", h, r, s, pub.x + P, pub.y, False)
            if pub.y + P < 2**256:
                emit(f"y + p {i}", h, r, s, pub.x, pub.y + P, False)
            emit(f"negated key {i}", h, r, s, pub.x, P - pub.y, False)
    data = {
        "provenance": f"make_p256_vectors.py, seed {SEED:#x}, cryptography {cryptography.__version__} (OpenSSL)",
        "vectors": out,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "p256_vectors.json"), "w") as f:
        json.dump(data, f, indent=0)
        f.write("\n")
    print(len(out), sum(v["valid"] for v in out))


if __name__ == "__main__":
    main()
