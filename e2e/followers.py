"""Helpers for the follower tests (test_followers.py) and scripts/bench/followers.py: a follower
process (`rollup-node node --follow <url>…`, no sequencer, no --test), a cluster of nodes each in
its own datadir folder, raw JSON-RPC, the benchmark chain's senders, `rollup-load` runs, and the
checks that followers serve exactly what the sequencer serves."""
import json
import os
import random
import signal
import subprocess
import time
import urllib.error
import urllib.request

from eth_keys import keys as eth_keys
from eth_utils import keccak

from conftest import BINARY, ROOT, Node, wait_until

LOAD_BINARY = os.environ.get("RN_LOAD_BINARY", os.path.join(os.path.dirname(BINARY), "rollup-load"))
BENCH_CHAIN = os.path.join(ROOT, "chains", "bench.json")
FOLLOWER_API = "eth,net,web3,rollupNode,txpool,debug"


def bench_key(i):
    """Benchmark sender i's key (Sources/LoadGenerator/BenchAccounts.swift), funded by chains/bench.json."""
    return "0x" + keccak(f"rollup-node bench sender {i}".encode()).hex()


def rpc_reply(url, method, params=(), timeout=30):
    """The whole JSON-RPC reply ({"result": …} or {"error": …})."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        # A JSON-RPC error may come with a non-200 status; its body is still the reply.
        text = e.read()
        try:
            return json.loads(text)
        except ValueError:
            raise RuntimeError(f"{method}: HTTP {e.code}: {text[:300]!r}") from e


def rpc(url, method, params=(), timeout=30):
    reply = rpc_reply(url, method, params, timeout)
    if "error" in reply:
        raise RuntimeError(f"{method} at {url}: {reply['error']}")
    return reply["result"]


def rpc_batch(url, calls, timeout=60):
    """[(method, params)] -> [reply], in order."""
    body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": list(p)} for i, (m, p) in enumerate(calls)]).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        replies = json.loads(r.read())
    by_id = {x["id"]: x for x in replies}
    return [by_id[i] for i in range(len(calls))]


class Follower(Node):
    """`rollup-node node --chain C --follow URLS --http …`: conftest.Node's start/kill9/stop/log; up
    once /health answers at all (200, or 503 while it catches up)."""

    up_when_unhealthy = True

    def __init__(self, datadir, follow, extra_args=(), chain="dev"):
        super().__init__(datadir, extra_args, chain)
        self.follow = follow if isinstance(follow, str) else ",".join(follow)

    def arguments(self):
        return [BINARY, "node", "--chain", self.chain, "--follow", self.follow, "--http", "--http.port", str(self.port),
                "--datadir", self.datadir, "--http.api", FOLLOWER_API] + self.extra_args


class Cluster:
    """Nodes of one test, each in its own folder of the test's datadir; all stopped at the end."""

    def __init__(self, datadir):
        self.datadir = datadir
        self.nodes = []

    def _folder(self, name):
        path = os.path.join(self.datadir, name)
        os.makedirs(path, exist_ok=True)
        return path

    def sequencer(self, extra_args=(), chain="dev", name="sequencer"):
        n = Node(self._folder(name), extra_args, chain)
        n.name = name
        self.nodes.append(n)
        return n.start()

    def follower(self, follow, extra_args=(), chain="dev", name=None, start=True):
        name = name or f"follower{len([x for x in self.nodes if isinstance(x, Follower)]) + 1}"
        f = Follower(self._folder(name), follow, extra_args, chain)
        f.name = name
        self.nodes.append(f)
        return f.start() if start else f

    def stop_all(self):
        for n in self.nodes:
            try:
                n.stop()
            except Exception:
                pass

    def dump_logs(self):
        for n in self.nodes:
            print(f"--- {getattr(n, 'name', '?')} log ({n.url}) ---\n{n.log()[-12000:]}")


def status(node):
    return rpc(node.url, "rollupNode_status")


def head(node):
    b = rpc(node.url, "eth_getBlockByNumber", ["latest", False])
    return int(b["number"], 16), b["hash"]


def block(node, number):
    return rpc(node.url, "eth_getBlockByNumber", [hex(number), False])


def wait_synced(sequencer, followers, timeout=120, settle=True):
    """Waits until the sequencer's head stays put (no new block for a moment) and every follower
    has exactly that head; returns (number, hash)."""
    def stable_head():
        first = head(sequencer)
        time.sleep(1.5)
        return first if head(sequencer) == first else None

    target = wait_until(stable_head, timeout=timeout, what="the sequencer's head to settle") if settle else head(sequencer)
    for f in followers:
        def reached():
            try:
                return head(f) == target
            except OSError:
                return False
        try:
            wait_until(reached, timeout=timeout, what=f"{getattr(f, 'name', f.url)} to reach the sequencer's head {target}")
        except AssertionError as e:
            raise AssertionError(f"{e}; it is at {head(f)}, status {status(f)}") from None
    return target


def assert_same_chain(sequencer, followers, upto, start=1):
    """The block at every height start..upto is the same on every follower (full JSON object)."""
    for n in range(start, upto + 1):
        want = block(sequencer, n)
        for f in followers:
            got = block(f, n)
            assert got is not None, f"{f.name} has no block {n}"
            assert got["hash"] == want["hash"], f"{f.name} block {n}: {got['hash']} != sequencer's {want['hash']}"
            assert got == want, f"{f.name} serves block {n} differently: " + str(
                {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)})


def assert_same_receipts(sequencer, followers, tx_hashes):
    """Every receipt served by a follower equals the sequencer's (whole JSON objects)."""
    tx_hashes = list(tx_hashes)
    for i in range(0, len(tx_hashes), 200):
        chunk = tx_hashes[i:i + 200]
        want = rpc_batch(sequencer.url, [("eth_getTransactionReceipt", [h]) for h in chunk])
        for f in followers:
            got = rpc_batch(f.url, [("eth_getTransactionReceipt", [h]) for h in chunk])
            for h, w, g in zip(chunk, want, got):
                assert w.get("result") is not None, f"the sequencer has no receipt for {h}: {w}"
                assert g.get("result") == w["result"], f"{f.name} serves receipt {h} as {g} instead of {w['result']}"


def receipts_sample(path, k=300, seed=1):
    """k transaction hashes from a rollup-load --receipts-log file."""
    with open(path) as f:
        hashes = [line.split()[0] for line in f if line.strip()]
    rng = random.Random(seed)
    return rng.sample(hashes, min(k, len(hashes))), len(hashes)


def load_command(url, rate=2000, warmup=2, duration=8, senders=1024, receipts_log=None, drain=30, extra=()):
    args = [LOAD_BINARY, "--url", url, "--skip-ecrecover", "--rate", str(rate), "--warmup", str(warmup),
            "--duration", str(duration), "--senders", str(senders), "--drain", str(drain), "--progress", "2"]
    if receipts_log:
        args += ["--receipts-log", receipts_log]
    return args + list(extra)


def start_load(url, log_path, **kwargs):
    """rollup-load in the background against the node at `url`; its output goes to log_path."""
    out = open(log_path, "a")
    return subprocess.Popen(load_command(url, **kwargs), stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def finish_load(process, log_path, timeout=120):
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        raise AssertionError(f"rollup-load did not finish in {timeout} s:\n{open(log_path).read()[-4000:]}")
    text = open(log_path).read()
    assert code == 0, f"rollup-load exited with {code}:\n{text[-4000:]}"
    return text


# ---- Signed blocks as rollupNode_getSignedBlocks serves them (for the fake sources) ----

def hexbytes(b):
    return "0x" + bytes(b).hex()


def unhex(s):
    return bytes.fromhex(s[2:] if s.startswith("0x") else s)


def header_digest(fields):
    """keccak256(rlp(header without extraData, field 12)): what the sequencer signs."""
    import rlp
    return keccak(rlp.encode(list(fields[:12]) + list(fields[13:])))


def sign_digest(digest, key):
    """65 bytes r ‖ s ‖ v (v in {0, 1}, low s) over a 32-byte digest."""
    return eth_keys.PrivateKey(unhex(key)).sign_msg_hash(digest).to_bytes()


class FakeSource:
    """A JSON-RPC proxy in front of a real node on a free loopback port: every request is passed
    on as is, and the result of each rollupNode_getSignedBlocks call goes through `tamper`
    (result, params) -> result before the caller gets it. `calls` counts the tampered replies
    that carried blocks."""

    def __init__(self, upstream, tamper):
        import http.server
        import threading

        self.upstream = upstream
        self.tamper = tamper
        self.calls = 0
        self.requests = []
        source = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                try:
                    with urllib.request.urlopen(source.upstream + self.path, timeout=10) as r:
                        self._send(r.status, r.read(), r.headers.get("Content-Type", "text/plain"))
                except urllib.error.HTTPError as e:
                    self._send(e.code, e.read(), "text/plain")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    request = json.loads(body)
                except ValueError:
                    request = None
                req = urllib.request.Request(source.upstream, data=body, headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=60) as r:
                        status, reply = r.status, r.read()
                except urllib.error.HTTPError as e:
                    status, reply = e.code, e.read()
                except OSError as e:
                    self._send(502, json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32000, "message": str(e)}}).encode())
                    return
                if isinstance(request, dict):
                    source.requests.append(request.get("method"))
                    if request.get("method") == "rollupNode_getSignedBlocks":
                        try:
                            decoded = json.loads(reply)
                            if isinstance(decoded.get("result"), dict):
                                decoded["result"] = source.tamper(decoded["result"], request.get("params") or [])
                                if decoded["result"].get("blocks"):
                                    source.calls += 1
                                reply = json.dumps(decoded).encode()
                        except Exception as e:  # a bug here must show, not pass as a refusal
                            source.errors.append(repr(e))
                self._send(status, reply)

        self.errors = []
        from conftest import free_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
