#!/usr/bin/env python3
"""Followers (issue 17): figures for BENCHMARKS.md. Not run by CI.

(i) Propagation delay under moderate load (rollup-load --rate R, default 500 tx/s) on the
    benchmark chain, for each block time (default 1000 and 250 ms), over --duration seconds each
    (default 600): a sequencer, two followers of it and a follower of follower 1. The node logs'
    timestamps have one-second resolution (ComponentLogHandler: ISO 8601 without fractions), so
    the delay is measured at the clients instead: one WebSocket `newHeads` subscription per node
    (the node publishes a head when it commits a block, made or imported), every notification
    stamped with this process's monotonic clock on arrival; a block's delay on a hop is its
    arrival from the downstream node minus its arrival from the upstream one. Both ends go through
    the same path (commit -> event hub -> WebSocket -> this process), so the figure is commit to
    commit plus the difference of two notification delays (BENCHMARKS.md: newHeads p99 ~1 ms).
    Hop 1: sequencer -> follower (both direct followers); hop 2: follower 1 -> its follower.
    If a node has no WebSocket, its head is polled over HTTP every 5 ms instead (said in the output).
    Next to it, the followers' own `Imported block` figures for the same blocks: propagation_ms
    (the source's commit, by its committedAt wall clock, to the block's arrival) and import_ms
    (verification, re-execution and commit).
(ii) Catch-up: a sequencer (--catchup-block-time ms blocks, default 250) processes about --catchup-txs
    transfers (default 100,000; rollup-load at --catchup-rate tx/s), then an empty follower starts and is timed until it has the sequencer's
    head: blocks/s and transactions/s, from the process start and from its first /health answer.
(iii) Sequencer throughput with 3 followers attached against none (rollup-load --rate 0,
    --throughput-seconds window after 5 s warm-up), runs alternated (none, 3 fetch-only pollers,
    3 followers, none, …), --pairs rounds, on a fresh datadir each; the ratios of the means. The
    pollers long-poll the blocks as followers do but drop them: the sequencer's cost of serving
    followers, without three re-executing processes on the same cores.

Usage: e2e/.venv/bin/python scripts/bench/followers.py [--binary .build/release/rollup-node]
       [--duration 600] [--block-times 1000,250] [--rate 500] [--catchup-txs 100000]
       [--catchup-rate 3000] [--throughput-seconds 30] [--pairs 2] [--only propagation,catchup,throughput]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "e2e"))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "rollup-node"))
    p.add_argument("--duration", type=float, default=600, help="propagation window per block time, seconds")
    p.add_argument("--block-times", default="1000,250", help="block times in ms for the propagation runs")
    p.add_argument("--rate", type=float, default=500, help="load during the propagation runs, tx/s")
    p.add_argument("--catchup-txs", type=int, default=100_000)
    p.add_argument("--catchup-rate", type=float, default=3000, help="tx/s offered while the sequencer builds the chain to catch up on")
    p.add_argument("--catchup-block-time", type=int, default=250, help="the sequencer's block time (ms) while it builds that chain")
    p.add_argument("--throughput-seconds", type=float, default=30)
    p.add_argument("--pairs", type=int, default=2, help="throughput runs: this many (none, with 3 followers) pairs")
    p.add_argument("--only", default="propagation,catchup,throughput")
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs, datadirs)")
    return p.parse_args()


ARGS = parse_args()
os.environ["RN_BINARY"] = ARGS.binary
from conftest import Node, free_port  # noqa: E402  (reads RN_BINARY)
from followers import (BENCH_CHAIN, Follower, LOAD_BINARY, head, load_command, rpc, rpc_batch,  # noqa: E402
                       wait_synced)


def say(text):
    print(text, flush=True)


def percentile(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))
    return s[k]


def ms(seconds):
    return f"{seconds * 1000:.1f}"


class Cluster:
    def __init__(self, workdir, name):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.nodes = []

    def folder(self, name):
        path = os.path.join(self.dir, name)
        os.makedirs(path, exist_ok=True)
        return path

    def sequencer(self, extra=()):
        n = Node(self.folder("sequencer"), list(extra), BENCH_CHAIN)
        n.name = "sequencer"
        self.nodes.append(n)
        return n.start(timeout=60)

    def follower(self, name, follow, extra=(), start=True):
        f = Follower(self.folder(name), follow, list(extra), BENCH_CHAIN)
        f.name = name
        self.nodes.append(f)
        return f.start(timeout=60) if start else f

    def stop(self):
        for n in reversed(self.nodes):
            try:
                n.stop(timeout=20)
            except Exception as e:
                say(f"  (stopping {n.name}: {e})")


def run_load(url, log_path, **kwargs):
    """rollup-load to completion; returns its output."""
    with open(log_path, "w") as out:
        code = subprocess.call(load_command(url, **kwargs), stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    text = open(log_path).read()
    if code != 0:
        raise RuntimeError(f"rollup-load exited with {code}:\n{text[-3000:]}")
    return text


def included_rate(load_output):
    m = re.search(r"included \(receipts received\)\s+([\d,]+) tx/s", load_output)
    return float(m.group(1).replace(",", "")) if m else float("nan")


def node_cpu(load_output):
    m = re.search(r"node CPU\s+([\d.]+) cores", load_output)
    return float(m.group(1)) if m else float("nan")


# ---- (i) propagation ----

class HeadRecorder:
    """Arrival times (monotonic seconds) of each block hash at one node: WebSocket newHeads, or
    HTTP polling every 5 ms when the node serves no WebSocket."""

    def __init__(self, node, ws_port):
        self.node = node
        self.ws_port = ws_port
        self.arrivals = {}  # hash -> (time, number)
        self.stop = threading.Event()
        self.mode = "?"
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        try:
            from websockets.sync.client import connect
            with connect(f"ws://127.0.0.1:{self.ws_port}", open_timeout=5, max_size=None) as ws:
                ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
                reply = json.loads(ws.recv(timeout=5))
                if "result" not in reply:
                    raise RuntimeError(f"eth_subscribe: {reply}")
                self.mode = "ws"
                while not self.stop.is_set():
                    try:
                        text = ws.recv(timeout=0.5)
                    except TimeoutError:
                        continue
                    now = time.monotonic()
                    message = json.loads(text)
                    h = message.get("params", {}).get("result")
                    if h and h["hash"] not in self.arrivals:
                        self.arrivals[h["hash"]] = (now, int(h["number"], 16))
                return
        except Exception as e:
            if self.stop.is_set():
                return
            say(f"  {self.node.name}: no WebSocket newHeads ({e!r}); polling eth_getBlockByNumber every 5 ms")
        self.mode = "poll"
        last = None
        while not self.stop.is_set():
            try:
                b = rpc(self.node.url, "eth_getBlockByNumber", ["latest", False], timeout=5)
                now = time.monotonic()
                if b["hash"] != last:
                    last = b["hash"]
                    self.arrivals.setdefault(b["hash"], (now, int(b["number"], 16)))
            except Exception:
                pass
            time.sleep(0.005)


def propagation(workdir, block_time):
    c = Cluster(workdir, f"propagation-{block_time}ms")
    ports = {name: free_port() for name in ("sequencer", "follower1", "follower2", "follower1-1")}

    def ws(name):
        return ["--ws", "--ws.port", str(ports[name]), "--ws.api", "eth"]

    seq_args = ["--sequencer.block-time", str(block_time)]
    if block_time < 1000:
        seq_args += ["--sequencer.payload-building-duration", str(int(block_time * 0.8))]
    recorders = []
    try:
        seq = c.sequencer(seq_args + ws("sequencer"))
        f1 = c.follower("follower1", seq.url, ws("follower1"))
        f2 = c.follower("follower2", seq.url, ws("follower2"))
        f11 = c.follower("follower1-1", f1.url, ws("follower1-1"))
        nodes = [seq, f1, f2, f11]
        recorders = {n.name: HeadRecorder(n, ports[n.name]) for n in nodes}
        time.sleep(1)
        warmup = 5
        t_start = time.monotonic() + warmup
        say(f"  {block_time} ms blocks: rollup-load --rate {ARGS.rate:g} for {warmup} s warm-up + {ARGS.duration:g} s")
        out = run_load(seq.url, os.path.join(c.dir, "rollup-load.log"), rate=ARGS.rate, warmup=warmup,
                       duration=ARGS.duration, senders=4096, drain=30, extra=["--progress", "60"])
        t_end = time.monotonic()
        wait_synced(seq, [f1, f2, f11], timeout=300)
        time.sleep(1)
    finally:
        for r in (recorders.values() if isinstance(recorders, dict) else []):
            r.stop.set()
        c.stop()
    a = {name: r.arrivals for name, r in recorders.items()}
    modes = {name: r.mode for name, r in recorders.items()}

    def hop(up, down):
        delays, missing = [], 0
        for h, (t_up, _) in a[up].items():
            if not (t_start <= t_up <= t_end):
                continue
            if h in a[down]:
                delays.append(a[down][h][0] - t_up)
            else:
                missing += 1
        return delays, missing

    # The followers' own figures for the same blocks (Imported block lines): propagation_ms, from
    # the source's commit (its committedAt, wall clock) to the block's arrival, and import_ms,
    # verification + re-execution + commit.
    in_window = {h for h, (t, _) in a["sequencer"].items() if t_start <= t <= t_end}
    logged = {}
    for n in c.nodes:
        if n.name == "sequencer":
            continue
        prop, imp = [], []
        for line in open(n.log_path):
            if "Imported block" not in line:
                continue
            h = re.search(r" hash=(0x[0-9a-fA-F]+)", line)
            if not h or h.group(1) not in in_window:
                continue
            m = re.search(r" propagation_ms=(-?[\d.]+)", line)
            if m:
                prop.append(float(m.group(1)) / 1000)
            m = re.search(r" import_ms=([\d.]+)", line)
            if m:
                imp.append(float(m.group(1)) / 1000)
        logged[n.name] = (prop, imp)

    rows = []
    for label, up, down in [("hop 1: sequencer -> follower1", "sequencer", "follower1"),
                            ("hop 1: sequencer -> follower2", "sequencer", "follower2"),
                            ("hop 2: follower1 -> follower1-1", "follower1", "follower1-1"),
                            ("both hops: sequencer -> follower1-1", "sequencer", "follower1-1")]:
        d, missing = hop(up, down)
        rows.append((block_time, label, len(d), missing, percentile(d, 0.5), percentile(d, 0.99), max(d) if d else float("nan")))
    return rows, modes, included_rate(out), logged


# ---- (ii) catch-up ----

def catchup(workdir):
    c = Cluster(workdir, "catchup")
    try:
        bt = ARGS.catchup_block_time
        seq = c.sequencer(["--sequencer.block-time", str(bt)]
                          + (["--sequencer.payload-building-duration", str(int(bt * 0.8))] if bt < 1000 else []))
        seconds = max(1.0, ARGS.catchup_txs / ARGS.catchup_rate)
        say(f"  building the chain: rollup-load --rate {ARGS.catchup_rate:g} for {seconds:.0f} s (~{ARGS.catchup_txs} transfers)")
        run_load(seq.url, os.path.join(c.dir, "rollup-load.log"), rate=ARGS.catchup_rate, warmup=0, duration=seconds,
                 senders=4096, drain=120, extra=["--progress", "30"])
        number, top = wait_synced(seq, [], timeout=120)
        txs = 0
        for start in range(1, number + 1, 500):
            replies = rpc_batch(seq.url, [("eth_getBlockTransactionCountByNumber", [hex(n)])
                                          for n in range(start, min(number, start + 499) + 1)])
            txs += sum(int(r["result"], 16) for r in replies)
        say(f"  the sequencer's chain: {number} blocks, {txs} transactions; starting an empty follower")
        f = c.follower("follower", seq.url, start=False)
        t0 = time.monotonic()
        f.start(timeout=120)
        t_up = time.monotonic()
        while True:
            n, h = head(f)
            if n >= number:
                break
            time.sleep(0.05)
        t1 = time.monotonic()
        assert h == top, f"the follower's block {n} is {h}, the sequencer's {top}"
    finally:
        c.stop()
    return {"blocks": number, "txs": txs, "from_start": t1 - t0, "from_up": t1 - t_up}


# ---- (iii) throughput ----

class Poller(threading.Thread):
    """A follower that only fetches: long polls rollupNode_getSignedBlocks as a follower does and
    drops the blocks (no re-execution), so a run with three of them measures what serving
    followers costs the sequencer without three re-executing processes taking its CPU."""

    BLOCK = re.compile(rb'\{"number":"(0x[0-9a-f]+)","hash":"(0x[0-9a-f]{64})"')

    def __init__(self, url, name):
        super().__init__(daemon=True)
        self.url, self.name, self.done, self.blocks = url, name, False, 0

    def run(self):
        import http.client
        from urllib.parse import urlparse
        u = urlparse(self.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        number, parent = 0, rpc(self.url, "eth_getBlockByNumber", ["0x0", False])["hash"]
        while not self.done:
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "rollupNode_getSignedBlocks",
                               "params": [{"from": hex(number + 1), "parentHash": parent, "max": 64, "waitMs": 2000,
                                           "follower": self.name}]})
            conn.request("POST", "/", body, {"Content-Type": "application/json"})
            data = conn.getresponse().read()
            found = self.BLOCK.findall(data, data.find(b'"blocks"'))
            if found:
                number, parent = int(found[-1][0], 16), found[-1][1].decode()
                self.blocks += len(found)


def throughput(workdir, run, mode):
    c = Cluster(workdir, f"throughput-{run}-{mode}")
    pollers = []
    try:
        seq = c.sequencer()
        followers = [c.follower(f"follower{i + 1}", seq.url) for i in range(3)] if mode == "followers" else []
        if mode == "pollers":
            pollers = [Poller(seq.url, f"poller{i + 1}") for i in range(3)]
            for p in pollers:
                p.start()
        out = run_load(seq.url, os.path.join(c.dir, "rollup-load.log"), rate=0, warmup=5,
                       duration=ARGS.throughput_seconds, senders=4096, drain=30,
                       extra=["--progress", "0", "--node-pid", str(seq.process.pid)])
        lag = None
        if followers:
            t = time.monotonic()
            wait_synced(seq, followers, timeout=600)
            lag = time.monotonic() - t
    finally:
        for p in pollers:
            p.done = True
        c.stop()
    return included_rate(out), node_cpu(out), lag


def main():
    for path in (ARGS.binary, LOAD_BINARY):
        if not os.access(path, os.X_OK):
            sys.exit(f"{path} is not an executable: swift build -c release --product rollup-node --product rollup-load")
    parts = set(ARGS.only.split(","))
    workdir = tempfile.mkdtemp(prefix="rn-bench-followers-")
    say(f"followers benchmark: {os.cpu_count()} cores, binary {ARGS.binary}, work folder {workdir}")
    results = {}
    try:
        if "propagation" in parts:
            say("(i) propagation delay")
            results["propagation"] = [propagation(workdir, int(bt)) for bt in ARGS.block_times.split(",")]
        if "catchup" in parts:
            say("(ii) catch-up")
            results["catchup"] = catchup(workdir)
        if "throughput" in parts:
            say("(iii) sequencer throughput: none, 3 fetch-only pollers, 3 followers")
            runs = []
            for i in range(ARGS.pairs):
                for mode in ("none", "pollers", "followers"):
                    rate, cpu, lag = throughput(workdir, i + 1, mode)
                    say(f"  run {i + 1} {mode}: {rate:,.0f} tx/s, sequencer CPU {cpu:.2f} cores"
                        + (f", followers caught up {lag:.1f} s after the load" if lag is not None else ""))
                    runs.append((i + 1, mode, rate, cpu, lag))
            results["throughput"] = runs
    finally:
        if ARGS.keep:
            say(f"work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    say("")
    if "propagation" in results:
        say(f"### Propagation delay, commit to commit (rollup-load --rate {ARGS.rate:g}, {ARGS.duration:g} s window per block time)")
        say("")
        say("| block time | hop | blocks | missing | p50 ms | p99 ms | max ms |")
        say("|---|---|---|---|---|---|---|")
        for rows, modes, rate, logged in results["propagation"]:
            for bt, label, n, missing, p50, p99, mx in rows:
                say(f"| {bt} ms | {label} | {n} | {missing} | {ms(p50)} | {ms(p99)} | {ms(mx)} |")
        for rows, modes, rate, logged in results["propagation"]:
            say(f"\n{rows[0][0]} ms blocks: included {rate:,.0f} tx/s; head arrival measured by {modes}")
        say("")
        say("The followers' own log figures for the same blocks (`Imported block`: propagation_ms = source commit to")
        say("arrival, by the source's committedAt wall clock; import_ms = verification + re-execution + commit):")
        say("")
        say("| block time | follower | blocks | propagation_ms p50 / p99 | import_ms p50 / p99 |")
        say("|---|---|---|---|---|")
        for rows, modes, rate, logged in results["propagation"]:
            for name, (prop, imp) in logged.items():
                say(f"| {rows[0][0]} ms | {name} | {len(imp)} | {ms(percentile(prop, 0.5))} / {ms(percentile(prop, 0.99))} | "
                    f"{ms(percentile(imp, 0.5))} / {ms(percentile(imp, 0.99))} |")
        say("")
    if "catchup" in results:
        r = results["catchup"]
        say("### Catch-up of an empty follower")
        say("")
        say("| blocks | transactions | seconds (from start / from first /health) | blocks/s | tx/s |")
        say("|---|---|---|---|---|")
        say(f"| {r['blocks']:,} | {r['txs']:,} | {r['from_start']:.1f} / {r['from_up']:.1f} | "
            f"{r['blocks'] / r['from_start']:,.0f} | {r['txs'] / r['from_start']:,.0f} |")
        say("")
    if "throughput" in results:
        runs = results["throughput"]
        say(f"### Sequencer throughput with 3 followers attached (rollup-load --rate 0, {ARGS.throughput_seconds:g} s window after 5 s warm-up)")
        say("")
        say("| run | attached | included tx/s | sequencer CPU | followers caught up after |")
        say("|---|---|---|---|---|")
        labels = {"none": "none", "pollers": "3 fetch-only pollers", "followers": "3 followers (re-executing, same machine)"}
        for i, mode, rate, cpu, lag in runs:
            say(f"| {i} | {labels[mode]} | {rate:,.0f} | {cpu:.2f} cores | {'-' if lag is None else f'{lag:.1f} s'} |")
        mean = {m: statistics.mean([r[2] for r in runs if r[1] == m]) for m in labels if any(r[1] == m for r in runs)}
        if "none" in mean:
            for m in ("pollers", "followers"):
                if m in mean:
                    say(f"\n{labels[m]}: {mean[m]:,.0f} tx/s against {mean['none']:,.0f} with none: ratio {mean[m] / mean['none']:.3f}")


if __name__ == "__main__":
    main()
