#!/usr/bin/env python3
"""Differential tests of our EVM against revm (pyrevm) on random bytecode programs.

Each seed gives one program (replayable: `--seeds 17:18`), written as a GeneralStateTests file
whose expected post-state root and logs hash come from revm (reference.py). Our side is
`rollup-node evm statetest` on the same files: a test passes when our root and logs hash equal
revm's, which covers gas used (the sender pays gasUsed x price, the coinbase gets the tip),
storage, balances and logs.

The program runs inside a wrapper contract W that calls it and then stores in its own storage
the call's success (slot 0x100), its return data size (0x101) and keccak256 (0x102), and the
gas left after the call (0x103): output and the exact gas of the inner call land in the root.
Half of the transactions call the program directly instead (top-level reverts, halts, refunds).

The programs: pushes of edge values (0, 1, -1, 2^255, limb boundaries, random widths) into
every arithmetic, comparison, bitwise and shift opcode with results kept in memory (returned
at the end), KECCAK256, environment opcodes, CALLDATALOAD/COPY, CODECOPY, MCOPY, SLOAD/SSTORE
(incl. clearing for refunds), TLOAD/TSTORE, LOG0-4, DUP/SWAP on deep stacks, memory growth,
STATICCALLs of precompiles 0x01-0x05 and 0x09 (modexp and blake2f with well-formed headers),
CALL/CALLCODE/DELEGATECALL/STATICCALL into a helper contract (storage, logs, value, revert,
SELFDESTRUCT), CREATE/CREATE2 (deploying, reverting, halting, 0xEF code, address collisions),
conditional jumps and small loops; some end in REVERT, INVALID, a bad jump, stack underflow or
running out of gas.

Usage:
  e2e/.venv/bin/python e2e/evm/fuzz.py --seeds 0:200 --out /tmp/evmfuzz            # generate
  e2e/.venv/bin/python e2e/evm/fuzz.py --seeds 0:200 --binary .build/release/rollup-node
  e2e/.venv/bin/python e2e/evm/fuzz.py --seeds 17:18 --dump                       # one program
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

SENDER = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"
SECRET = "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"
WRAPPER = "0x00000000000000000000000000000000000c0de0"
TARGET = "0x00000000000000000000000000000000000c0de1"
COINBASE = "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"
HELPER = "0x00000000000000000000000000000000000c0de2"
BENEFICIARY = "0x000000000000000000000000000000000000beef"
M = 1 << 256

BINARY_OPS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x13, 0x14,
              0x16, 0x17, 0x18, 0x1A, 0x1B, 0x1C, 0x1D]
TERNARY_OPS = [0x08, 0x09]
UNARY_OPS = [0x15, 0x19]
# No BASEFEE (0x48): pyrevm's message_call runs with a base fee of 0. No BLOCKHASH: state-test
# runners disagree on the hashes of earlier blocks.
ENV_OPS = [0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3A, 0x3D, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
           0x4A, 0x58, 0x59, 0x5A]
UNDEFINED_OPS = [0x0C, 0x0D, 0x0E, 0x0F, 0x1E, 0x1F, 0x21, 0x2F, 0x4B, 0x4F, 0xA5, 0xB0, 0xEF, 0xF6, 0xFC]
PRECOMPILES = [1, 2, 3, 4, 5, 9]

RESULTS = 32          # result words at 0 .. 32*RESULTS
SCRATCH = 0x400       # precompile inputs are laid out here


class Assembler:
    """Bytes with labels: `label(name)` marks a JUMPDEST, `push_label(name)` pushes its offset."""

    def __init__(self):
        self.items = []

    def op(self, *codes):
        self.items.extend(("b", c) for c in codes)

    def push(self, value, width=None):
        value %= M
        if width is None:
            width = (value.bit_length() + 7) // 8
        if width == 0:
            self.op(0x5F)
            return
        self.op(0x5F + width, *value.to_bytes(width, "big"))

    def label(self, name):
        self.items.append(("label", name))

    def push_label(self, name):
        self.items.append(("ref", name))

    def assemble(self):
        where, pc = {}, 0
        for kind, v in self.items:
            if kind == "label":
                where[v] = pc
                pc += 1
            else:
                pc += 1 if kind == "b" else 3
        out = bytearray()
        for kind, v in self.items:
            if kind == "b":
                out.append(v)
            elif kind == "label":
                out.append(0x5B)
            else:
                out += bytes([0x61]) + where[v].to_bytes(2, "big")
        return bytes(out)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.a = Assembler()
        self.labels = 0
        self.depth = 0

    def value(self):
        r = self.rng
        x = r.random()
        if x < 0.25:
            return r.choice([0, 1, 2, 3, 31, 32, 255, 256, M - 1, M - 2, 1 << 255, (1 << 255) - 1,
                             (1 << 255) + 1, (1 << 64) - 1, 1 << 64, (1 << 128) - 1, 1 << 128,
                             (1 << 192) + 7, M - (1 << 128)])
        if x < 0.4:
            return r.randint(0, 40)
        if x < 0.5:
            return 1 << r.randint(0, 255)
        if x < 0.6:
            return (M - r.getrandbits(r.randint(1, 128))) % M
        return r.getrandbits(r.randint(1, 256))

    def push_value(self, v=None):
        v = self.value() if v is None else v
        width = None
        if self.rng.random() < 0.1:
            width = self.rng.randint((v.bit_length() + 7) // 8 or 1, 32)
        self.a.push(v, width)

    def store_result(self):
        self.a.push(32 * self.rng.randrange(RESULTS))
        self.a.op(0x52)

    def new_label(self):
        self.labels += 1
        return f"L{self.labels}"

    # Statements: each leaves the stack as it found it.
    def statement(self):
        r, a = self.rng, self.a
        kind = r.choices(
            ["binary", "ternary", "unary", "env", "calldata", "keccak", "sstore", "sload", "tstore",
             "log", "precompile", "modexp", "blake2f", "mcopy", "copy", "stack", "memory", "branch",
             "loop", "extcode", "call", "create"],
            weights=[30, 6, 4, 6, 3, 3, 4, 2, 2, 3, 3, 1, 1, 2, 2, 4, 2, 3, 2, 2, 4, 3])[0]
        if kind == "binary":
            op = r.choice(BINARY_OPS)
            if op in (0x1A, 0x1B, 0x1C, 0x1D, 0x0B) and r.random() < 0.6:
                self.push_value()                        # the value
                self.push_value(r.randint(0, 300))       # index / shift first on the stack
            elif op == 0x0A and r.random() < 0.5:
                self.push_value(r.randint(0, 300))       # small exponent
                self.push_value()
            else:
                self.push_value()
                self.push_value()
            a.op(op)
            self.store_result()
        elif kind == "ternary":
            self.push_value(); self.push_value(); self.push_value()
            a.op(r.choice(TERNARY_OPS))
            self.store_result()
        elif kind == "unary":
            self.push_value()
            a.op(r.choice(UNARY_OPS))
            self.store_result()
        elif kind == "env":
            a.op(r.choice(ENV_OPS))
            self.store_result()
        elif kind == "calldata":
            a.push(r.choice([0, 1, 4, 31, 32, 33, 60, 100, M - 1]))
            a.op(0x35)
            self.store_result()
        elif kind == "keccak":
            a.push(r.randint(0, 96)); a.push(r.randint(0, 600))
            a.op(0x20)
            self.store_result()
        elif kind == "sstore":
            self.push_value(r.choice([0, 0, 1, self.value()]))
            a.push(r.randrange(8))
            a.op(0x55)
        elif kind == "sload":
            a.push(r.randrange(10)); a.op(0x54)
            self.store_result()
        elif kind == "tstore":
            if r.random() < 0.5:
                self.push_value(); a.push(r.randrange(4)); a.op(0x5D)
            else:
                a.push(r.randrange(4)); a.op(0x5C); self.store_result()
        elif kind == "log":
            n = r.randint(0, 4)
            for _ in range(n):
                self.push_value()
            a.push(r.randint(0, 64)); a.push(r.randint(0, 300))
            a.op(0xA0 + n)
        elif kind == "precompile":
            self.staticcall(r.choice(PRECOMPILES), r.randint(0, 200), r.randint(0, 300))
        elif kind == "modexp":
            lengths = [r.choice([0, 1, 2, 8, 32, 33]) for _ in range(3)]
            for i, n in enumerate(lengths):
                a.push(n); a.push(SCRATCH + 32 * i); a.op(0x52)
            for i in range(4):
                self.push_value(); a.push(SCRATCH + 96 + 32 * i); a.op(0x52)
            self.staticcall(5, 96 + sum(lengths), SCRATCH)
        elif kind == "blake2f":
            for i in range(7):
                self.push_value(); a.push(SCRATCH + 32 * i); a.op(0x52)
            a.push(r.choice([0, 1, 2, 12, 20])); a.push(SCRATCH - 28); a.op(0x52)   # rounds, 4 bytes
            a.push(r.choice([0, 1, 1, 2])); a.push(SCRATCH + 212); a.op(0x53)      # final flag
            self.staticcall(9, r.choice([213, 213, 213, 212]), SCRATCH)
        elif kind == "mcopy":
            a.push(r.randint(0, 64)); a.push(r.randint(0, 600)); a.push(r.randint(0, 600))
            a.op(0x5E)
        elif kind == "copy":
            op = r.choice([0x37, 0x39, 0x3E])
            if op == 0x3E:
                a.op(0x3D); a.push(0)                    # size = RETURNDATASIZE, offset 0
            else:
                a.push(r.randint(0, 80)); a.push(r.randint(0, 100))
            a.push(r.randint(0, 900))
            a.op(op)
        elif kind == "stack":
            k = r.randint(2, 16)
            for _ in range(k):
                self.push_value()
            height = k
            for _ in range(r.randint(1, 6)):
                if r.random() < 0.5 and height < 1000:
                    a.op(0x80 + r.randrange(min(height, 16))); height += 1
                else:
                    a.op(0x90 + r.randrange(min(height - 1, 16)))
            self.store_result(); height -= 1
            a.op(*([0x50] * height))
        elif kind == "memory":
            off = r.choice([0, 1000, 4000, 10000, 33 * 1024])
            if r.random() < 0.5:
                a.push(off); a.op(0x51); self.store_result()
            else:
                self.push_value(); a.push(off); a.op(r.choice([0x52, 0x53]))
        elif kind == "branch" and self.depth < 2:
            end = self.new_label()
            self.push_value(r.choice([0, 1, self.value()]))
            a.push_label(end); a.op(0x57)
            self.depth += 1
            for _ in range(r.randint(1, 4)):
                self.statement()
            self.depth -= 1
            a.label(end)
        elif kind == "loop" and self.depth < 2:
            top = self.new_label()
            a.push(r.randint(1, 4))
            a.label(top)
            self.depth += 1
            for _ in range(r.randint(1, 3)):
                self.statement()
            self.depth -= 1
            a.push(1); a.op(0x90, 0x03, 0x80)            # counter - 1, DUP1
            a.push_label(top); a.op(0x57, 0x50)           # JUMPI back while nonzero; POP
        elif kind == "extcode":
            addr = int(r.choice([WRAPPER, TARGET, SENDER, "0x01", "0x09", "0xdead"]), 16)
            a.push(addr); a.op(r.choice([0x3B, 0x3F]))
            self.store_result()
        elif kind == "call":
            self.call_helper()
        elif kind == "create":
            self.create()
        else:
            self.push_value(); self.push_value(); a.op(0x01); self.store_result()

    def call_helper(self):
        """CALL, CALLCODE, DELEGATECALL or STATICCALL into the helper contract (see helper_code):
        mode byte 0 stores/logs/returns, 1 reverts, 2 self-destructs to BENEFICIARY."""
        r, a = self.rng, self.a
        mode = r.choices([0, 1, 2], weights=[6, 2, 1])[0]
        word = (mode << 248) | (r.randrange(16) << 240) | r.getrandbits(200)
        a.push(word); a.push(SCRATCH); a.op(0x52)
        op = r.choice([0xF1, 0xF1, 0xF2, 0xF4, 0xFA])
        out_offset = 32 * r.randrange(RESULTS - 4)
        a.push(r.choice([0, 32, 96])); a.push(out_offset)
        a.push(r.choice([1, 2, 32])); a.push(SCRATCH)
        if op in (0xF1, 0xF2):
            a.push(r.choice([0, 0, 1, 100, 1 << 80]))         # value (more than the balance fails)
        a.push(int(HELPER, 16))
        if r.random() < 0.3:
            a.op(0x5A)                                       # all gas
        else:
            a.push(r.choice([0, 2300, 5000, 30000, 100000]))
        a.op(op)
        self.store_result()
        a.op(0x3D); self.store_result()

    def create(self):
        """CREATE or CREATE2 of a small init code: deploys code, reverts, halts, stores and logs,
        or returns code starting with 0xEF (EIP-3541); then the new address's code size."""
        r, a = self.rng, self.a
        init = Assembler()
        kind = r.choice(["deploy", "deploy", "revert", "invalid", "ef", "store"])
        runtime = bytes(r.getrandbits(8) for _ in range(r.randint(0, 20)))
        if kind == "ef":
            runtime = b"\xef" + runtime
        if kind == "store":
            self_value = r.getrandbits(64)
            init.push(self_value); init.push(r.randrange(4)); init.op(0x55)
            init.push(r.getrandbits(32)); init.push(0); init.push(0); init.op(0xA1)
        if kind == "revert":
            init.push(r.getrandbits(64)); init.push(0); init.op(0x52); init.push(32); init.push(0); init.op(0xFD)
        elif kind == "invalid":
            init.op(0xFE)
        else:
            if runtime:
                init.push(int.from_bytes(runtime, "big"), len(runtime)); init.push(0); init.op(0x52)
            init.push(len(runtime)); init.push(32 - len(runtime) if runtime else 0); init.op(0xF3)
        code = init.assemble()
        padded = code + bytes(-len(code) % 32)
        for i in range(0, len(padded), 32):
            a.push(int.from_bytes(padded[i:i + 32], "big"), 32); a.push(SCRATCH + i); a.op(0x52)
        salt = r.choice([0, 1, r.getrandbits(256)])
        if r.random() < 0.5:
            a.push(salt); a.push(len(code)); a.push(SCRATCH); a.push(r.choice([0, 0, 7])); a.op(0xF5)
        else:
            a.push(len(code)); a.push(SCRATCH); a.push(r.choice([0, 0, 7])); a.op(0xF0)
        a.op(0x80); self.store_result()                      # the address (0 on failure)
        a.op(0x3B); self.store_result()                      # its code size
        a.op(0x3D); self.store_result()

    def staticcall(self, address, in_size, in_offset):
        r, a = self.rng, self.a
        out_offset = r.choice([0, 32 * r.randrange(RESULTS - 2)])
        a.push(r.choice([0, 20, 32, 64])); a.push(out_offset)
        a.push(in_size); a.push(in_offset)
        a.push(address); a.push(r.choice([0, 100, 3000, 20000, 200000]))
        a.op(0xFA)
        self.store_result()
        a.op(0x3D); self.store_result()

    def program(self):
        for _ in range(self.rng.randint(5, 40)):
            self.statement()
        end = self.rng.random()
        a = self.a
        if end < 0.7:
            a.push(32 * RESULTS); a.push(0); a.op(0xF3)
        elif end < 0.8:
            a.push(self.rng.randint(0, 64)); a.push(0); a.op(0xFD)
        elif end < 0.84:
            a.op(0xFE)
        elif end < 0.87:
            a.op(self.rng.choice(UNDEFINED_OPS))
        elif end < 0.9:
            a.push(1); a.op(0x56)                          # jump into a PUSH's data
        elif end < 0.93:
            a.op(0x01)                                     # stack underflow
        elif end < 0.95:
            loop = self.new_label()
            a.label(loop); a.push_label(loop); a.op(0x56)  # out of gas
        else:
            a.op(0x00)
        return a.assemble()


def wrapper_code(inner_gas):
    a = Assembler()
    a.op(0x36, 0x5F, 0x5F, 0x37)                           # CALLDATACOPY(0, 0, CALLDATASIZE)
    a.op(0x5F, 0x5F, 0x36, 0x5F, 0x5F)                     # retSize, retOffset, argsSize, argsOffset, value
    a.push(int(TARGET, 16), 20); a.push(inner_gas, 3)
    a.op(0xF1)                                             # CALL
    a.push(0x100, 2); a.op(0x55)
    a.op(0x3D); a.push(0x101, 2); a.op(0x55)
    a.op(0x3D, 0x5F, 0x5F, 0x3E)                           # RETURNDATACOPY(0, 0, RETURNDATASIZE)
    a.op(0x3D, 0x5F, 0x20); a.push(0x102, 2); a.op(0x55)   # keccak256 of the output
    a.op(0x5A); a.push(0x103, 2); a.op(0x55)               # gas left
    a.op(0x00)
    return a.assemble()


def helper_code():
    a = Assembler()
    a.op(0x5F, 0x35); a.push(0xF8); a.op(0x1C)               # mode = calldata[0]
    a.op(0x80); a.push(1); a.op(0x14); a.push_label("revert"); a.op(0x57)
    a.op(0x80); a.push(2); a.op(0x14); a.push_label("destruct"); a.op(0x57)
    a.op(0x50)
    a.op(0x33); a.op(0x5F, 0x35); a.push(0xF4); a.op(0x1C); a.push(0x0F); a.op(0x16); a.op(0x55)  # SSTORE(calldata[1]>>4, CALLER)
    a.op(0x30, 0x5F, 0x52); a.op(0x34); a.push(32); a.op(0x52); a.op(0x47); a.push(64); a.op(0x52)
    a.push(0xAA); a.push(96); a.op(0x5F, 0xA1)               # LOG1(0, 96, 0xaa)
    a.push(96); a.op(0x5F, 0xF3)                             # RETURN(0, 96): address, value, balance
    a.label("revert"); a.push(0x42); a.op(0x5F, 0x52); a.push(32); a.op(0x5F, 0xFD)
    a.label("destruct"); a.push(int(BENEFICIARY, 16), 20); a.op(0xFF)
    return a.assemble()


def make_test(seed):
    g = Generator(seed)
    code = g.program()
    r = g.rng
    direct = r.random() < 0.5
    data = bytes(r.getrandbits(8) for _ in range(r.randint(0, 80)))
    test = {
        "_info": {"comment": f"rollup-node e2e/evm/fuzz.py seed {seed}; expected values from revm (pyrevm)"},
        "env": {"currentCoinbase": COINBASE, "currentDifficulty": "0x20000", "currentGasLimit": "0x1c9c380",
                "currentNumber": "0x10", "currentTimestamp": "0x3e8", "currentBaseFee": "0x7",
                "currentRandom": "0x" + r.getrandbits(256).to_bytes(32, "big").hex(),
                "currentExcessBlobGas": "0x0"},
        "pre": {
            SENDER: {"balance": "0xde0b6b3a7640000", "code": "0x", "nonce": "0x0", "storage": {}},
            COINBASE: {"balance": "0x1", "code": "0x", "nonce": "0x0", "storage": {}},
            WRAPPER: {"balance": "0x0", "code": "0x" + wrapper_code(1_500_000).hex(), "nonce": "0x1",
                      "storage": {"0x100": "0x5"}},
            TARGET: {"balance": "0x3039", "code": "0x" + code.hex(), "nonce": "0x1",
                     "storage": {"0x1": "0x1", "0x3": "0x7"}},
            HELPER: {"balance": "0x64", "code": "0x" + helper_code().hex(), "nonce": "0x1",
                     "storage": {"0x2": "0x9"}},
        },
        "transaction": {"data": ["0x" + data.hex()], "gasLimit": ["0x1e8480" if not direct else "0xf4240"],
                        "gasPrice": "0xa", "nonce": "0x0", "secretKey": SECRET, "sender": SENDER,
                        "to": TARGET if direct else WRAPPER,
                        "value": ["0x" + format(r.choice([0, 0, 1, 1000]) if direct else 0, "x")]},
    }
    outcome = reference.run(test)
    test["post"] = {"Cancun": [{"hash": outcome.state_root, "logs": outcome.logs_hash,
                                "indexes": {"data": 0, "gas": 0, "value": 0}}]}
    return test, outcome


def trace_diff(binary, path, name):
    """The first step where our EIP-3155 trace and revm's differ (pc, gas, stack or depth)."""
    import json as _json
    test = _json.load(open(path))[name]
    ours = subprocess.run([binary, "evm", "statetest", "--trace", path], capture_output=True, text=True).stderr
    tx = test["transaction"]
    script = (
        "import json, sys; sys.path.insert(0, %r); import reference as r\n"
        "t = json.load(open(%r))[%r]; tx = t['transaction']; evm = r.make_evm(t, tracing=True)\n"
        "try: evm.message_call(r.sender_of(tx), r.checksumless(tx['to']), calldata=r.hexbytes(tx['data'][0]),"
        " value=r.num(tx['value'][0]), gas=r.num(tx['gasLimit'][0]), gas_price=r.num(tx['gasPrice']))\n"
        "except RuntimeError: pass\n") % (os.path.dirname(os.path.abspath(__file__)), path, name)
    theirs = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout

    def steps(text):
        out = []
        for line in text.splitlines():
            if line.startswith("{") and '"pc"' in line:
                x = _json.loads(line)
                gas = x["gas"]
                out.append((x["pc"], int(gas, 16) if isinstance(gas, str) else gas,
                            [int(v, 16) for v in x["stack"]], x["depth"], x.get("opName"), line))
        return out
    a, b = steps(ours), steps(theirs)
    for i, (x, y) in enumerate(zip(a, b)):
        if x[:4] != y[:4]:
            prev = f"  after  ours {a[i - 1][5]}\n         revm {b[i - 1][5]}\n" if i else ""
            return f"{name}: traces differ at step {i}\n{prev}  now    ours {x[5]}\n         revm {y[5]}"
    return f"{name}: traces agree on {min(len(a), len(b))} steps (ours {len(a)}, revm {len(b)}); the difference is after execution"


def parse_seeds(text):
    lo, _, hi = text.partition(":")
    return range(int(lo), int(hi) if hi else int(lo) + 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", default="0:200", help="range start:end (end excluded)")
    p.add_argument("--out", help="folder for the generated state tests (default: a temporary one)")
    p.add_argument("--binary", help="rollup-node binary: run `evm statetest` on the files and compare")
    p.add_argument("--dump", action="store_true", help="print each program's revm outcome")
    p.add_argument("--trace-diff", action="store_true",
                   help="with --binary: for each mismatch, print the first step where the EIP-3155 traces differ")
    args = p.parse_args()

    out = args.out or tempfile.mkdtemp(prefix="evmfuzz-")
    os.makedirs(out, exist_ok=True)
    outcomes = {}
    for seed in parse_seeds(args.seeds):
        test, outcome = make_test(seed)
        name = f"fuzz_{seed}"
        outcomes[name] = outcome
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({name: test}, f, indent=1)
        if args.dump:
            print(f"{name}: code {test['pre'][TARGET]['code']}")
            print(f"  revm: success={outcome.success} gasUsed={outcome.gas_used} reason={outcome.reason} "
                  f"root={outcome.state_root}")
            for a, (nonce, bal, _, st) in outcome.accounts.items():
                print(f"  {a} nonce={nonce} balance={bal} storage={ {hex(k): hex(v) for k, v in st.items()} }")
    print(f"wrote {len(outcomes)} state tests to {out}", file=sys.stderr)
    if not args.binary:
        return 0

    proc = subprocess.run([args.binary, "evm", "statetest", out], capture_output=True, text=True)
    seen, failures = set(), []
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        seen.add(r["name"])
        if not r.get("pass"):
            failures.append(r)
    missing = sorted(set(outcomes) - seen)
    for r in failures:
        o = outcomes.get(r["name"])
        print(f"MISMATCH {r['name']}: ours root={r.get('stateRoot')} logs={r.get('logsHash')} error={r.get('error')}; "
              f"revm root={o.state_root} logs={o.logs_hash} gasUsed={o.gas_used} ({o.reason or 'success'})")
        if args.trace_diff:
            print(trace_diff(args.binary, os.path.join(out, r["name"] + ".json"), r["name"]))
    for name in missing:
        print(f"MISSING {name}: no result line from the runner (exit {proc.returncode}); stderr: {proc.stderr[-500:]}")
    passed = len(outcomes) - len(failures) - len(missing)
    print(f"differential: {passed} passed, {len(failures) + len(missing)} failed")
    if failures or missing:
        print(f"replay one: {sys.argv[0]} --seeds N:N+1 --dump --out DIR; then {args.binary} evm statetest --trace DIR")
    return 0 if not failures and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
