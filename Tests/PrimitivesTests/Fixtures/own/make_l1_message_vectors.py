#!/usr/bin/env python3
"""Builds l1_message_vectors.json: Scroll L1 message (0x7E) transactions, encoded and hashed
independently of the Swift code, with the Python standard library only.

Encoding (../../../../shared/design/protocol.md, "L1 messages"):
    0x7E || rlp([queueIndex, gasLimit, to, value, data, sender])   (data before sender)
    hash = keccak256(0x7E || rlp(...))

Keccak-256 (Ethereum padding 0x01, not SHA3's 0x06) is implemented below from the Keccak
reference description; it is self-checked against known digests and, when a path is given,
against every vector of keccak256_vectors.json.

Usage: python3 make_l1_message_vectors.py [keccak256_vectors.json] > l1_message_vectors.json
(run from a throwaway venv with pycryptodome installed to record a second opinion on the hashes)
"""
import json
import sys

# ---- Keccak-f[1600] and Keccak-256 ----

ROUND_CONSTANTS = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
# Rotation offsets r[x][y].
ROTATIONS = [
    [0, 36, 3, 41, 18],
    [1, 44, 10, 45, 2],
    [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56],
    [27, 20, 39, 8, 14],
]
MASK = (1 << 64) - 1


def rol(v, n):
    n %= 64
    return ((v << n) | (v >> (64 - n))) & MASK if n else v


def keccak_f(a):
    """a[x][y], 5x5 lanes of 64 bits."""
    for rc in ROUND_CONSTANTS:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], ROTATIONS[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak256(data: bytes) -> bytes:
    rate = 136
    padded = bytearray(data)
    padded.append(0x01)
    while len(padded) % rate:
        padded.append(0)
    padded[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(padded), rate):
        block = padded[off:off + rate]
        for i in range(rate // 8):
            lane = int.from_bytes(block[8 * i:8 * i + 8], "little")
            a[i % 5][i // 5] ^= lane
        a = keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
assert keccak256(b"\xc0").hex() == "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"

# ---- RLP ----


def rlp_length(n, offset):
    if n < 56:
        return bytes([offset + n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(b)]) + b


def rlp_bytes(b: bytes) -> bytes:
    if len(b) == 1 and b[0] < 0x80:
        return b
    return rlp_length(len(b), 0x80) + b


def rlp_int(v: int) -> bytes:
    assert v >= 0
    return rlp_bytes(v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b"")


def rlp_list(items) -> bytes:
    payload = b"".join(items)
    return rlp_length(len(payload), 0xC0) + payload


# ---- vectors ----

def addr(h):
    b = bytes.fromhex(h[2:])
    assert len(b) == 20
    return b


def encode(queue_index, gas_limit, to, value, data, sender):
    return b"\x7e" + rlp_list([rlp_int(queue_index), rlp_int(gas_limit), rlp_bytes(to), rlp_int(value),
                               rlp_bytes(data), rlp_bytes(sender)])


DEV0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
DEV1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
# The L1-to-L2 alias of DEV0 (+ 0x1111000000000000000000000000000000001111), as a messenger would appear.
ALIASED = "0x" + ((int(DEV0, 16) + 0x1111000000000000000000000000000000001111) % (1 << 160)).to_bytes(20, "big").hex()
MESSENGER = "0x781e90f1c8fc4611c9b7497c3b47f99ef6969cbc"
ETHER = 10**18
TRANSFER = bytes.fromhex("a9059cbb") + bytes(12) + addr(DEV1) + (5 * ETHER).to_bytes(32, "big")

CASES = [
    ("ether deposit, empty data", dict(queueIndex=0, gasLimit=21000, to=DEV1, value=ETHER, data=b"", sender=DEV0)),
    ("zero value call with calldata", dict(queueIndex=1, gasLimit=100000, to=MESSENGER, value=0, data=TRANSFER, sender=ALIASED)),
    ("single zero byte of data", dict(queueIndex=127, gasLimit=1, to=DEV1, value=1, data=b"\x00", sender=DEV0)),
    ("single byte 0x80 of data, queue index 128", dict(queueIndex=128, gasLimit=0, to=DEV1, value=0, data=b"\x80", sender=DEV1)),
    ("largest queue index and gas limit, largest value", dict(queueIndex=2**64 - 1, gasLimit=2**64 - 1, to=MESSENGER,
                                                               value=2**256 - 1, data=b"\x01\x02\x03", sender=ALIASED)),
    ("1000 bytes of data (two-byte length headers)", dict(queueIndex=0x010203, gasLimit=7_000_000, to=DEV1, value=12345,
                                                          data=bytes(i % 251 for i in range(1000)), sender=DEV0)),
]


def valid_vectors():
    out = []
    for name, c in CASES:
        raw = encode(c["queueIndex"], c["gasLimit"], addr(c["to"]), c["value"], c["data"], addr(c["sender"]))
        out.append({
            "name": name,
            "queueIndex": str(c["queueIndex"]),
            "gasLimit": str(c["gasLimit"]),
            "to": c["to"],
            "value": str(c["value"]),
            "data": "0x" + c["data"].hex(),
            "sender": c["sender"],
            "encoded": "0x" + raw.hex(),
            "hash": "0x" + keccak256(raw).hex(),
        })
    return out


def invalid_vectors():
    to, sender, value = addr(DEV1), addr(DEV0), ETHER
    fields = [rlp_int(0), rlp_int(21000), rlp_bytes(to), rlp_int(value), rlp_bytes(b""), rlp_bytes(sender)]
    good = b"\x7e" + rlp_list(fields)
    sig = [rlp_int(0), rlp_int(2**255 - 19), rlp_int(12345)]
    cases = [
        ("signature fields appended (y parity, r, s)", b"\x7e" + rlp_list(fields + sig)),
        ("one signature-like field appended", b"\x7e" + rlp_list(fields + [rlp_int(1)])),
        ("sender missing", b"\x7e" + rlp_list(fields[:5])),
        ("trailing byte after the list", good + b"\x00"),
        ("empty to (contract creation)", b"\x7e" + rlp_list(fields[:2] + [rlp_bytes(b"")] + fields[3:])),
        ("19-byte to", b"\x7e" + rlp_list(fields[:2] + [rlp_bytes(to[1:])] + fields[3:])),
        ("21-byte sender", b"\x7e" + rlp_list(fields[:5] + [rlp_bytes(b"\x00" + sender)])),
        ("empty sender", b"\x7e" + rlp_list(fields[:5] + [rlp_bytes(b"")])),
        ("queue index with a leading zero byte", b"\x7e" + rlp_list([rlp_bytes(b"\x00\x01")] + fields[1:])),
        ("gas limit over 64 bits", b"\x7e" + rlp_list([fields[0], rlp_int(2**64)] + fields[2:])),
        ("value over 256 bits", b"\x7e" + rlp_list(fields[:3] + [rlp_int(2**256)] + fields[4:])),
        ("data as a list", b"\x7e" + rlp_list(fields[:4] + [rlp_list([])] + fields[5:])),
        ("sender before data (wrong order)", b"\x7e" + rlp_list(fields[:4] + [fields[5], fields[4]])),
        ("type byte only", b"\x7e"),
        ("payload is an RLP string, not a list", b"\x7e" + rlp_bytes(b"\x01\x02")),
    ]
    return [{"name": n, "encoded": "0x" + b.hex()} for n, b in cases]


def check_against_vector_file(path):
    with open(path) as f:
        vectors = json.load(f)["vectors"]
    for v in vectors:
        assert keccak256(bytes.fromhex(v["in"])).hex() == v["out"], v["in"][:40]
    return len(vectors)


def cross_check(valid):
    """A second opinion on the hashes from pycryptodome, when it is installed (optional)."""
    try:
        import Crypto
        from Crypto.Hash import keccak
    except ImportError:
        return "pycryptodome not installed: no second opinion"
    for v in valid:
        h = keccak.new(digest_bits=256)
        h.update(bytes.fromhex(v["encoded"][2:]))
        assert "0x" + h.hexdigest() == v["hash"], v["name"]
    return f"pycryptodome {Crypto.__version__} Keccak-256 agrees on every valid vector's hash"


def main():
    checked = check_against_vector_file(sys.argv[1]) if len(sys.argv) > 1 else 0
    valid = valid_vectors()
    doc = {
        "_info": {
            "comment": "Scroll L1 message (0x7E) vectors: 0x7E || rlp([queueIndex, gasLimit, to, value, data, sender]), "
                       "hash = keccak256 of those bytes. No public vectors exist; these follow shared/design/protocol.md.",
            "producedBy": "make_l1_message_vectors.py (this folder): Python 3 standard library only, its own RLP encoder "
                          "and its own Keccak-256 (not hashlib.sha3_256, which pads differently); independent of the Swift code.",
            "keccakCheck": f"the script's Keccak-256 reproduced all {checked} vectors of keccak256_vectors.json and the "
                           "known digests of '' and 0xc0 before writing this file",
            "crossCheck": cross_check(valid),
            "numbers": "queueIndex, gasLimit and value are decimal strings; data, addresses, encoded and hash are 0x hex",
            "invalid": "each `invalid` entry must be rejected by a strict decoder",
        },
        "valid": valid,
        "invalid": invalid_vectors(),
    }
    json.dump(doc, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
