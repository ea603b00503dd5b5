#!/usr/bin/env python3
"""Builds Tests/PrimitivesTests/Fixtures/own/signature_digest_vectors.json.

Independent of the Swift code: standard library only, with a pure-Python Keccak written here
(checked against hashlib.sha3_256, which shares the permutation and differs only in padding) and a
minimal RLP encoder. Each vector is a header given by its fields; the script computes its RLP,
block hash and the Scroll signature digest keccak256(rlp(fields without extraData)). For headers
taken from ethereum/tests the computed block hash is asserted equal to the fixture's.

Usage: python3 scripts/vectors/signature_digest.py > Tests/PrimitivesTests/Fixtures/own/signature_digest_vectors.json
"""
import hashlib
import json
import os
import sys

# --- Keccak-f[1600] -----------------------------------------------------------------------------

RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
MASK = (1 << 64) - 1


def rol(x, n):
    n %= 64
    return ((x << n) | (x >> (64 - n))) & MASK if n else x


def rotation_offsets():
    # r[x][y] from the spec: walk (x, y) -> (y, 2x + 3y) starting at (1, 0), offset (t+1)(t+2)/2.
    r = [[0] * 5 for _ in range(5)]
    x, y = 1, 0
    for t in range(24):
        r[x][y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    return r


R = rotation_offsets()


def keccak_f(a):
    # a[x][y], lanes as ints
    for rc in RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], R[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def sponge256(data, pad):
    rate = 136
    msg = bytearray(data)
    msg.append(pad)
    while len(msg) % rate:
        msg.append(0)
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off:off + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            a[x][y] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        a = keccak_f(a)
    out = b""
    for i in range(4):
        out += a[i % 5][i // 5].to_bytes(8, "little")
    return out


def keccak256(data):
    return sponge256(data, 0x01)


def self_check():
    for sample in [b"", b"abc", bytes(range(200)), b"x" * 135, b"x" * 136, b"x" * 137]:
        assert sponge256(sample, 0x06) == hashlib.sha3_256(sample).digest(), "permutation broken"
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


# --- RLP ----------------------------------------------------------------------------------------

def rlp_length(n, offset):
    if n < 56:
        return bytes([offset + n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(b)]) + b


def rlp(item):
    if isinstance(item, list):
        payload = b"".join(rlp(i) for i in item)
        return rlp_length(len(payload), 0xC0) + payload
    if len(item) == 1 and item[0] < 0x80:
        return bytes(item)
    return rlp_length(len(item), 0x80) + bytes(item)


def integer(hexstr):
    n = int(hexstr, 16)
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def data(hexstr):
    return bytes.fromhex(hexstr[2:])


# (name, json key in ethereum/tests, kind); kinds: data (fixed or variable bytes), int.
FIELDS = [
    ("parentHash", "parentHash", "data"), ("ommersHash", "uncleHash", "data"),
    ("beneficiary", "coinbase", "data"), ("stateRoot", "stateRoot", "data"),
    ("transactionsRoot", "transactionsTrie", "data"), ("receiptsRoot", "receiptTrie", "data"),
    ("logsBloom", "bloom", "data"), ("difficulty", "difficulty", "int"), ("number", "number", "int"),
    ("gasLimit", "gasLimit", "int"), ("gasUsed", "gasUsed", "int"), ("timestamp", "timestamp", "int"),
    ("extraData", "extraData", "data"), ("mixHash", "mixHash", "data"), ("nonce", "nonce", "data"),
    ("baseFeePerGas", "baseFeePerGas", "int"), ("withdrawalsRoot", "withdrawalsRoot", "data"),
    ("blobGasUsed", "blobGasUsed", "int"), ("excessBlobGas", "excessBlobGas", "int"),
    ("parentBeaconBlockRoot", "parentBeaconBlockRoot", "data"), ("requestsHash", "requestsHash", "data"),
]


def encode_header(fields, with_extra):
    items = []
    for name, _, kind in FIELDS:
        if name not in fields:
            break
        if name == "extraData" and not with_extra:
            continue
        v = fields[name]
        items.append(integer(v) if kind == "int" else data(v))
    return rlp(items)


def canonical(fields):
    """Normalises integers to minimal 0x quantities, as the vector file stores them."""
    out = {}
    for name, _, kind in FIELDS:
        if name in fields:
            out[name] = hex(int(fields[name], 16)) if kind == "int" else fields[name].lower()
    return out


def from_ethereum_tests(header):
    return canonical({name: header[key] for name, key, _ in FIELDS if key in header})


def vector(name, source, fields, expected_hash=None):
    full = encode_header(fields, True)
    block_hash = "0x" + keccak256(full).hex()
    if expected_hash is not None:
        assert block_hash == expected_hash, f"{name}: hash {block_hash} != fixture {expected_hash}"
    digest = "0x" + keccak256(encode_header(fields, False)).hex()
    assert digest != block_hash
    return {"name": name, "source": source, "header": fields, "rlp": "0x" + full.hex(),
            "hash": block_hash, "signatureDigest": digest}


def main():
    self_check()
    root = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "PrimitivesTests", "Fixtures",
                        "ethereum-tests", "BlockchainTests", "ValidBlocks")
    vectors = []
    for rel, index in [("bcValidBlockTest/SimpleTx.json", 0), ("bcEIP1559/transType.json", 1),
                       ("bcValidBlockTest/ExtraData32.json", 0)]:
        case = next(iter(json.load(open(os.path.join(root, rel))).values()))
        header = case["blocks"][index]["blockHeader"]
        vectors.append(vector(f"{rel} block {index}", "ethereum/tests " + rel,
                              from_ethereum_tests(header), header["hash"]))

    scroll = {
        "parentHash": "0x" + "11" * 32,
        "ommersHash": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
        "beneficiary": "0x5300000000000000000000000000000000000005",
        "stateRoot": "0x" + "22" * 32,
        "transactionsRoot": "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
        "receiptsRoot": "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
        "logsBloom": "0x" + "00" * 256,
        "difficulty": "0x1", "number": "0x2a", "gasLimit": "0x989680", "gasUsed": "0x0",
        "timestamp": "0x6553f100", "extraData": "0x", "mixHash": "0x" + "00" * 32,
        "nonce": "0x0000000000000000", "baseFeePerGas": "0x1000000",
    }
    vectors.append(vector("scroll-style London header, empty extraData", "made up", canonical(scroll)))
    scroll32 = dict(scroll, extraData="0x" + "ab" * 32, number="0x100000000", gasUsed="0x5208")
    vectors.append(vector("scroll-style London header, 32-byte extraData", "made up", canonical(scroll32)))
    # Changing only extraData changes the hash but not the digest.
    scroll_extra = dict(scroll, extraData="0x" + "cd" * 20)
    same = vector("scroll-style London header, 20-byte extraData", "made up", canonical(scroll_extra))
    assert same["signatureDigest"] == vectors[-2]["signatureDigest"] and same["hash"] != vectors[-2]["hash"]
    vectors.append(same)

    out = {
        "_info": ("Scroll block signature digest = keccak256(rlp(header fields without extraData)); "
                  "generated by scripts/vectors/signature_digest.py (Python standard library only, with "
                  "a pure-Python Keccak-256 checked against hashlib.sha3_256 and a minimal RLP encoder; "
                  "no project code). Header fields as in protocol.md, integers as 0x quantities; rlp "
                  "and hash are the full header encoding and keccak256 of it. Headers from "
                  "ethereum/tests had their computed hash checked against the fixture's hash."),
        "vectors": vectors,
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
