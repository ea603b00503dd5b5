#!/usr/bin/env python3
"""U256 vectors from Python's integers, for U256VectorTests.swift.

Writes u256_vectors.txt beside this script: one vector a line, `op a b c = result`, operands and
results in lowercase hex without 0x (c is `-` when the operation takes two operands). Semantics
are the EVM's (yellow paper, appendix H), written here independently of the Swift code.

Seeded (random.Random(SEED)), so rerunning gives the same file. Besides random values of every
width it uses the edges (0, 1, max, 2^255, -1, -2^255, powers of two and their neighbours,
values at limb boundaries), and division inputs that make Knuth's algorithm D take its two rare
paths (a too-big quotient estimate fixed by the second-limb test, and the add-back step), found
by running a base-2^64 algorithm D in Python and keeping the inputs that took them.

Usage: python3 make_u256_vectors.py  (standard library only)
"""
import os
import random

SEED = 0x5EED_0256
M = 1 << 256
MASK = M - 1
B = 1 << 64


def signed(x):
    return x - M if x >> 255 else x


def unsigned(x):
    return x & MASK


def evm_sdiv(a, b):
    if b == 0:
        return 0
    sa, sb = signed(a), signed(b)
    q = abs(sa) // abs(sb)
    return unsigned(-q if (sa < 0) != (sb < 0) else q)


def evm_smod(a, b):
    if b == 0:
        return 0
    sa, sb = signed(a), signed(b)
    r = abs(sa) % abs(sb)
    return unsigned(-r if sa < 0 else r)


def evm_signextend(x, b):
    if b >= 31:
        return x
    bits = 8 * (b + 1)
    low = x & ((1 << bits) - 1)
    if low >> (bits - 1):
        low -= 1 << bits
    return unsigned(low)


def evm_byte(x, i):
    return (x >> (8 * (31 - i))) & 0xFF if i < 32 else 0


def evm_sar(x, n):
    return unsigned(signed(x) >> min(n, 256))


OPS = {
    "add": lambda a, b: (a + b) & MASK,
    "sub": lambda a, b: (a - b) & MASK,
    "mul": lambda a, b: (a * b) & MASK,
    "mulhi": lambda a, b: (a * b) >> 256,
    "div": lambda a, b: a // b if b else 0,
    "mod": lambda a, b: a % b if b else 0,
    "sdiv": evm_sdiv,
    "smod": evm_smod,
    "exp": lambda a, b: pow(a, b, M),
    "signextend": lambda a, b: evm_signextend(a, b),  # a is the value, b the byte index
    "byte": lambda a, b: evm_byte(a, b),  # a is the value, b the index
    "shl": lambda a, b: (a << b) & MASK if b < 256 else 0,  # a is the value, b the shift
    "shr": lambda a, b: a >> b if b < 256 else 0,
    "sar": evm_sar,
    "lt": lambda a, b: int(a < b),
    "slt": lambda a, b: int(signed(a) < signed(b)),
    "neg": lambda a, b: (-a) & MASK,
    "clz": lambda a, b: 256 - a.bit_length(),
    "bytelen": lambda a, b: (a.bit_length() + 7) // 8,
}
TERNARY = {
    "addmod": lambda a, b, m: (a + b) % m if m else 0,
    "mulmod": lambda a, b, m: (a * b) % m if m else 0,
}


def knuth_paths(u, v):
    """Runs algorithm D on base-2^64 limbs; returns the set of rare paths taken."""
    paths = set()
    un = []
    while u:
        un.append(u % B)
        u //= B
    vn = []
    while v:
        vn.append(v % B)
        v //= B
    n, m = len(vn), len(un)
    if n < 2 or m < n:
        return paths
    s = 64 - vn[-1].bit_length()
    V = sum(x << (64 * i) for i, x in enumerate(vn)) << s
    U = sum(x << (64 * i) for i, x in enumerate(un)) << s
    vn = [(V >> (64 * i)) % B for i in range(n)]
    un = [(U >> (64 * i)) % B for i in range(m + 1)]
    for j in range(m - n, -1, -1):
        top = un[j + n] * B + un[j + n - 1]
        qhat, rhat = divmod(top, vn[n - 1])
        if qhat >= B:
            paths.add("qhat-overflow")
        while qhat >= B or qhat * vn[n - 2] > rhat * B + un[j + n - 2]:
            qhat -= 1
            rhat += vn[n - 1]
            paths.add("qhat-correction")
            if rhat >= B:
                break
        cur = sum(un[j + i] << (64 * i) for i in range(n + 1))
        rest = cur - qhat * sum(vn[i] << (64 * i) for i in range(n))
        if rest < 0:
            paths.add("add-back")
            qhat -= 1
            rest += sum(vn[i] << (64 * i) for i in range(n))
        for i in range(n + 1):
            un[j + i] = (rest >> (64 * i)) % B
    return paths


def main():
    rng = random.Random(SEED)
    limb_values = [0, 1, 2, B - 1, B - 2, 1 << 63, (1 << 63) - 1, (1 << 63) + 1]
    edges = sorted({
        0, 1, 2, 3, MASK, MASK - 1, 1 << 255, (1 << 255) - 1, (1 << 255) + 1, unsigned(-2),
        *[1 << k for k in range(0, 256, 7)], *[(1 << k) - 1 for k in (64, 128, 192, 255)],
        *[(1 << k) + 1 for k in (64, 128, 192)], *[1 << k for k in (63, 64, 127, 128, 191, 192)],
    })

    def value():
        r = rng.random()
        if r < 0.2:
            return rng.choice(edges)
        if r < 0.4:
            return sum(rng.choice(limb_values + [rng.getrandbits(64)]) << (64 * i) for i in range(4))
        if r < 0.55:
            return unsigned(-rng.getrandbits(rng.randint(1, 255)))  # small negatives
        return rng.getrandbits(rng.randint(1, 256))

    def small_or_value(limit):
        return rng.randint(0, limit) if rng.random() < 0.7 else value()

    lines = []
    for op, f in OPS.items():
        count = 120 if op in ("neg", "clz", "bytelen", "lt") else 300
        for _ in range(count):
            a = value()
            if op in ("signextend", "byte"):
                b = small_or_value(40)
            elif op in ("shl", "shr", "sar"):
                b = small_or_value(300)
            elif op == "exp":
                b = small_or_value(300) if rng.random() < 0.7 else value()
                if rng.random() < 0.3:
                    a = rng.randint(0, 5)
            elif op in ("neg", "clz", "bytelen"):
                b = 0
            else:
                b = value()
            lines.append(f"{op} {a:x} {b:x} - = {f(a, b):x}")
    for op, f in TERNARY.items():
        for _ in range(400):
            a, b, m = value(), value(), value()
            if rng.random() < 0.15:
                m = rng.choice([0, 1, 2, MASK, 1 << 255, rng.getrandbits(64), rng.getrandbits(128)])
            lines.append(f"{op} {a:x} {b:x} {m:x} = {f(a, b, m):x}")

    # Division inputs that take algorithm D's rare paths (divisors of 2..4 limbs, incl. 128-bit).
    wanted = {"qhat-correction": 60, "add-back": 40}
    found = {k: 0 for k in wanted}
    tries = 0
    while any(found[k] < wanted[k] for k in wanted) and tries < 3_000_000:
        tries += 1
        n = rng.choice([2, 2, 3, 4])
        vl = [rng.choice(limb_values + [rng.getrandbits(64)] * 2) for _ in range(n)]
        vl[-1] = vl[-1] or (1 << rng.randint(0, 63))
        v = sum(x << (64 * i) for i, x in enumerate(vl))
        ul = [rng.choice(limb_values + [rng.getrandbits(64)]) for _ in range(4)]
        u = sum(x << (64 * i) for i, x in enumerate(ul))
        if u < v:
            continue
        taken = knuth_paths(u, v) & set(wanted)
        if not taken or all(found[k] >= wanted[k] for k in taken):
            continue
        for k in taken:
            found[k] += 1
        lines.append(f"div {u:x} {v:x} - = {u // v:x}")
        lines.append(f"mod {u:x} {v:x} - = {u % v:x}")
        # The same divisor as a MULMOD modulus: a 512-bit dividend.
        w = value() | (1 << 255)
        lines.append(f"mulmod {u:x} {w:x} {v:x} = {(u * w) % v:x}")

    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "u256_vectors.txt"), "w") as out:
        out.write(f"# generated by make_u256_vectors.py (seed {SEED:#x}); Knuth rare paths found: "
                  f"{found} in {tries} tries\n")
        out.write("\n".join(lines) + "\n")
    print(f"{len(lines)} vectors; Knuth rare paths {found} in {tries} tries")


if __name__ == "__main__":
    main()
