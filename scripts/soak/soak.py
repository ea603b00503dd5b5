"""The crash-and-restart soak (run it with scripts/soak.sh).

Starts rollup-node on the benchmark chain, loads it with rollup-load (--survive-restarts, every
receipt appended to receipts.txt), kills the node with SIGKILL every --kill-every seconds and
restarts it at once on the same datadir and port. When the load is over it checks, against the
restarted node and with Python's Ethereum libraries (e2e/chain.py), not the node's code:

- every receipt the load generator was ever given is still served, with the same block hash and
  number;
- the chain has no gaps: blocks 0..head exist, numbered in order, each naming its parent's hash,
  each hash equal to keccak(rlp(header)) recomputed here;
- every block's signature (rollupNode_getBlockSignature) recovers, from
  keccak(rlp(header without extraData)), to the authorized signer;

and prints the counts. Exit status 0 only if every check passed.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "e2e"))
from chain import block_hash, recover_signer, signature_digest  # noqa: E402

SIGNER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RPC:
    """JSON-RPC over one keep-alive connection."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def post(self, payload):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                self.conn.request("POST", "/", json.dumps(payload), {"Content-Type": "application/json"})
                return json.loads(self.conn.getresponse().read())
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt == 1:
                    raise

    def call(self, method, *params):
        reply = self.post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def batch(self, calls):
        replies = self.post([{"jsonrpc": "2.0", "id": i, "method": m, "params": list(p)} for i, (m, p) in enumerate(calls)])
        by_id = {r["id"]: r for r in replies}
        out = []
        for i, (m, _) in enumerate(calls):
            r = by_id[i]
            if "error" in r:
                raise RuntimeError(f"{m}: {r['error']}")
            out.append(r["result"])
        return out


class Node:
    def __init__(self, binary, chain, datadir, port, log_path):
        self.args = [binary, "node", "--chain", chain, "--test", "--sequencer.enabled", "--sequencer.auto-start",
                     "--http", "--http.port", str(port), "--datadir", datadir]
        self.port = port
        self.log_path = log_path
        self.process = None

    def start(self, timeout=60):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        started = time.time()
        while time.time() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the node exited with {self.process.returncode}; see {self.log_path}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    return time.time() - started
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"the node did not answer /health in {timeout} s; see {self.log_path}")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def verify(rpc, receipts_path):
    failures = []

    # Every receipt ever returned, still served with the same block.
    logged = {}
    duplicates = 0
    with open(receipts_path) as f:
        for line in f:
            tx, bhash, number = line.split()
            if tx in logged:
                duplicates += 1
                if logged[tx] != (bhash, int(number)):
                    failures.append(f"{tx} was reported in two blocks: {logged[tx]} and {(bhash, int(number))}")
            logged[tx] = (bhash, int(number))
    ordered = sorted(logged.items(), key=lambda kv: kv[1][1])
    still_served = 0
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start:start + 1000]
        results = rpc.batch([("eth_getTransactionReceipt", [tx]) for tx, _ in chunk])
        for (tx, (bhash, number)), r in zip(chunk, results):
            if r is None:
                failures.append(f"the receipt of {tx} (block {number}) is no longer served")
            elif r["blockHash"] != bhash or int(r["blockNumber"], 16) != number:
                failures.append(f"the receipt of {tx} moved from block {number} {bhash} to {int(r['blockNumber'], 16)} {r['blockHash']}")
            else:
                still_served += 1
    print(f"soak: receipts returned during the run: {len(logged)} ({duplicates} reported twice); still served with the same block: {still_served}")

    # The chain: no gaps, parent links, recomputed hashes; signatures recover to the signer.
    head = int(rpc.call("eth_blockNumber"), 16)
    parent = None
    transactions = 0
    signatures = 0
    for start in range(0, head + 1, 50):
        numbers = list(range(start, min(head + 1, start + 50)))
        blocks = rpc.batch([("eth_getBlockByNumber", [hex(n), False]) for n in numbers])
        sigs = rpc.batch([("rollupNode_getBlockSignature", [hex(n)]) for n in numbers])
        for n, b, s in zip(numbers, blocks, sigs):
            if b is None:
                failures.append(f"block {n} is missing (head {head})")
                parent = None
                continue
            if int(b["number"], 16) != n:
                failures.append(f"block {n} answered as number {b['number']}")
            computed = "0x" + block_hash(b).hex()
            if computed != b["hash"]:
                failures.append(f"block {n}: hash {b['hash']} but keccak(rlp(header)) is {computed}")
            if parent is not None and b["parentHash"] != parent:
                failures.append(f"block {n}: parentHash {b['parentHash']} is not block {n - 1}'s hash {parent}")
            parent = b["hash"]
            transactions += len(b["transactions"])
            if n == 0:
                continue
            if s is None or s.get("signature") is None or s["blockHash"] != b["hash"]:
                failures.append(f"block {n}: no signature for {b['hash']} ({s})")
                continue
            signer = recover_signer(signature_digest(b), s["signature"])
            if signer != SIGNER:
                failures.append(f"block {n}: signature recovers to {signer}, not {SIGNER}")
            else:
                signatures += 1
    print(f"soak: blocks 0..{head}: {head + 1} checked (no gaps, parent links and hashes recomputed), "
          f"{transactions} transactions; signatures recovering to {SIGNER}: {signatures} of {head}")
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--load", required=True)
    p.add_argument("--chain", default="chains/bench.json")
    p.add_argument("--rate", type=float, default=3400)
    p.add_argument("--duration", type=float, default=600)
    p.add_argument("--kill-every", type=float, default=60)
    p.add_argument("--workdir", help="where the datadir, logs and receipts go (default: a new temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the workdir (the datadir is deleted otherwise)")
    a = p.parse_args()

    workdir = a.workdir or tempfile.mkdtemp(prefix="rollup-soak-")
    os.makedirs(workdir, exist_ok=True)
    datadir = os.path.join(workdir, "datadir")
    receipts = os.path.join(workdir, "receipts.txt")
    port = free_port()
    node = Node(a.binary, a.chain, datadir, port, os.path.join(workdir, "node.log"))
    print(f"soak: workdir {workdir}; node on port {port}; rate {a.rate:g} tx/s for {a.duration:g} s; kill -9 every {a.kill_every:g} s")
    node.start()
    load_log = open(os.path.join(workdir, "load.log"), "w")
    load = subprocess.Popen([a.load, "--url", f"http://127.0.0.1:{port}", "--rate", str(a.rate), "--warmup", "0",
                             "--duration", str(a.duration), "--drain", "120", "--survive-restarts",
                             "--receipts-log", receipts, "--skip-ecrecover"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    kills = []
    ok = False
    try:
        import threading

        def relay():
            for line in load.stdout:
                sys.stdout.write(line)
                load_log.write(line)
                load_log.flush()

        relay_thread = threading.Thread(target=relay, daemon=True)
        relay_thread.start()
        # The load starts after pre-signing; count the kills from its first receipt-bearing second.
        while load.poll() is None and not os.path.exists(receipts):
            time.sleep(0.1)
        started = time.time()
        next_kill = started + a.kill_every
        while load.poll() is None:
            time.sleep(0.05)
            now = time.time()
            if now >= next_kill and next_kill - started <= a.duration:
                node.kill9()
                back = node.start()
                kills.append(back)
                print(f"soak: kill -9 #{len(kills)} at t={now - started:.0f} s; restarted, /health answered after {back:.2f} s", flush=True)
                next_kill += a.kill_every
        relay_thread.join(timeout=5)
        if load.returncode != 0:
            print(f"soak: rollup-load exited with {load.returncode}; see {workdir}/load.log")
        else:
            failures = verify(RPC(port), receipts)
            print(f"soak: kill -9 and restart: {len(kills)} times (restart to /health: max {max(kills, default=0):.2f} s)")
            if failures:
                print(f"soak: FAILED, {len(failures)} problems:")
                for f in failures[:50]:
                    print("  " + f)
            else:
                print("soak: PASSED: every receipt ever returned is still served in the same block; no gaps; every signature recovers to the signer")
                ok = True
    finally:
        if load.poll() is None:
            load.send_signal(signal.SIGINT)
            load.wait()
        node.stop()
        if not a.keep:
            import shutil
            shutil.rmtree(datadir, ignore_errors=True)
    print(f"soak: logs in {workdir}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
