"""Starts the real rollup-node binary on loopback for end-to-end tests.

The binary is RN_BINARY or .build/release/rollup-node (scripts/test.sh builds it first). Each
node gets a fresh datadir and a free port; its log is kept in the datadir and printed when a
test fails.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("RN_BINARY", os.path.join(ROOT, ".build", "release", "rollup-node"))
FAKE_L1 = os.environ.get("RN_FAKE_L1", os.path.join(os.path.dirname(BINARY), "fake-l1"))

# The first development accounts (test mnemonic), prefunded in chains/dev.json.
KEYS = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
]
SIGNER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def l1_fee(receipt):
    """The L1 data fee a receipt reports (Scroll's `l1Fee`; the dev chain runs Scroll's rules),
    0 when absent (Ethereum's rules). web3.py passes the field through as hex."""
    value = receipt.get("l1Fee", 0)
    return int(value, 16) if isinstance(value, str) else int(value)


def fee_paid(receipt):
    """All the sender paid for a transaction besides its value: gas × price plus the L1 fee."""
    return receipt["gasUsed"] * receipt["effectiveGasPrice"] + l1_fee(receipt)


def wait_until(predicate, timeout=30, what="condition"):
    """Polls `predicate` every 0.1 s until it returns something true, which it returns."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    def __init__(self, datadir, extra_args=(), chain="dev"):
        self.datadir = datadir
        self.chain = chain
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.process = None
        self.log_path = os.path.join(datadir, "node.log")

    # A node that answers /health with an error status (a follower catching up) counts as up.
    up_when_unhealthy = False

    def arguments(self):
        return [BINARY, "node", "--chain", self.chain, "--test", "--sequencer.enabled", "--sequencer.auto-start",
                "--http", "--http.port", str(self.port), "--datadir", self.datadir,
                "--http.api", "eth,net,web3,rollupNode,txpool,rollupNodeAdmin"] + self.extra_args

    def start(self, timeout=30):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.arguments(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except urllib.error.HTTPError:
                if self.up_when_unhealthy:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"node did not become healthy in {timeout} s:\n{self.log()}")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout=10):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode if self.process else None

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-20000:]
        except OSError:
            return ""


@pytest.fixture
def datadir():
    d = tempfile.mkdtemp(prefix="rn-e2e-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def node_factory(datadir, request):
    nodes = []

    def make(extra_args=(), chain="dev"):
        n = Node(datadir, extra_args, chain)
        nodes.append(n)
        return n

    yield make
    for n in nodes:
        try:
            n.stop()
        except Exception:
            pass
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        for n in nodes:
            print(f"--- node log ({n.url}) ---\n{n.log()}")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def node(node_factory):
    return node_factory().start()


@pytest.fixture
def dev_spec_with_rules():
    """Makes copies of chains/dev.json under other rules: `make("cancun")` returns (path, parsed
    spec) of the dev chain with `"evm": "cancun"`; the files go when the test ends."""
    directory = tempfile.mkdtemp(prefix="rn-spec-")

    def make(evm):
        with open(os.path.join(ROOT, "chains", "dev.json")) as f:
            spec = json.load(f)
        spec["evm"] = evm
        path = os.path.join(directory, f"dev-{evm}.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        return path, spec

    yield make
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def cancun_spec(dev_spec_with_rules):
    """The dev chain under Ethereum's Cancun rules, as (path, parsed spec): for the tests that
    re-execute blocks with the execution specification's t8n, which runs Ethereum's rules, not
    Scroll's (the dev chain runs scroll-galileo: L1 fee, SELFDESTRUCT off, PREVRANDAO 0...)."""
    return dev_spec_with_rules("cancun")


@pytest.fixture
def cancun_node(node_factory, cancun_spec):
    """A dev node under Ethereum's Cancun rules (see `cancun_spec`)."""
    return node_factory(chain=cancun_spec[0]).start()


class FakeL1Process:
    """The fake L1 (`fake-l1`) on a free port, mining only on request."""

    def __init__(self, datadir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(datadir, "fake-l1.log")
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([FAKE_L1, "--port", str(self.port), "--block-time", "0"], stdout=log,
                                        stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                self.call("eth_chainId")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("fake-l1 did not start")

    def call(self, method, params=()):
        import json
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
        req = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=5) as r:
            reply = json.loads(r.read())
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def fake_l1(datadir):
    l1 = FakeL1Process(datadir)
    yield l1
    l1.stop()
