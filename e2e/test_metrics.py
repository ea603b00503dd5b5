"""Prometheus metrics: a real Prometheus server (Debian's package, installed by
scripts/install-deps.sh) scrapes the node and answers through its HTTP query API."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest
from web3 import Web3

from conftest import free_port

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DASHBOARD = os.path.join(REPO, "docs", "grafana", "rollup-node.json")


def query(url, expression):
    with urllib.request.urlopen(f"{url}/api/v1/query?query={urllib.parse.quote(expression)}", timeout=5) as r:
        body = json.load(r)
    assert body["status"] == "success", body
    return body["data"]["result"]


def test_metrics_scrape_without_prometheus(node_factory):
    port = free_port()
    node = node_factory(["--sequencer.allow-empty-blocks", "--sequencer.block-time", "250",
                         "--sequencer.payload-building-duration", "200", "--metrics", f"127.0.0.1:{port}"]).start()  # reth's form
    Web3(Web3.HTTPProvider(node.url)).eth.block_number  # one RPC request to count
    time.sleep(1.0)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        assert r.headers["Content-Type"].startswith("text/plain")
        text = r.read().decode()
    for name in ["rollup_node_head_block_number", "rollup_node_blocks_total", "rollup_node_block_build_duration_seconds_bucket",
                 "rollup_node_block_sign_duration_seconds_count", "rollup_node_rpc_requests_total",
                 "rollup_node_mempool_pending_transactions", "rollup_node_process_resident_memory_bytes",
                 "rollup_node_process_open_fds", "rollup_node_rpc_open_connections",
                 "rollup_node_rocksdb_live_data_bytes", "rollup_node_rocksdb_sst_files_bytes"]:
        assert name in text, f"{name} missing from:\n{text}"
    assert 'rollup_node_rpc_requests_total{method="eth_blockNumber",transport="http"}' in text


@pytest.mark.skipif(not os.path.exists(PROMETHEUS), reason="Debian's prometheus package is not installed (scripts/install-deps.sh)")
def test_prometheus_scrapes_the_node(node_factory):
    metrics_port, prometheus_port = free_port(), free_port()
    node = node_factory(["--sequencer.allow-empty-blocks", "--sequencer.block-time", "250",
                         "--sequencer.payload-building-duration", "200", "--metrics", "--metrics.port", str(metrics_port)]).start()
    workdir = tempfile.mkdtemp(prefix="rn-prometheus-")
    config = os.path.join(workdir, "prometheus.yml")
    with open(config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: rollup-node
    static_configs:
      - targets: ["127.0.0.1:{metrics_port}"]
""")
    log = open(os.path.join(workdir, "prometheus.log"), "w")
    prometheus = subprocess.Popen(
        [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={workdir}/data",
         f"--web.listen-address=127.0.0.1:{prometheus_port}"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{prometheus_port}"
    try:
        deadline = time.time() + 30
        heads, builds = [], []
        while time.time() < deadline:
            time.sleep(1)
            try:
                result = query(url, "rollup_node_head_block_number")
            except OSError:
                continue
            if result:
                heads.append(float(result[0]["value"][1]))
            counts = query(url, "rollup_node_block_build_duration_seconds_count")
            if counts:
                builds.append(float(counts[0]["value"][1]))
            if len(heads) >= 3 and heads[-1] > heads[0] and builds and builds[-1] > 0:
                break
        assert len(heads) >= 3 and heads[-1] > heads[0], f"head did not rise: {heads}"
        assert builds and builds[-1] > 0, f"no build-time samples: {builds}"
        with urllib.request.urlopen(f"{url}/api/v1/targets", timeout=5) as r:
            targets = json.load(r)["data"]["activeTargets"]
        assert [t["health"] for t in targets] == ["up"], targets
        assert all(t["lastError"] == "" for t in targets), targets
        p99 = query(url, "histogram_quantile(0.99, rate(rollup_node_block_build_duration_seconds_bucket[10s]))")
        assert p99, "the build-time histogram has no buckets Prometheus can use"
        # Every query of the Grafana dashboard parses in Prometheus and names documented metrics;
        # the head panel answers.
        with open(DASHBOARD) as f:
            panels = json.load(f)["panels"]
        with open(os.path.join(REPO, "docs", "metrics.md")) as f:
            documented = f.read()
        exprs = [t["expr"].replace("$job", "rollup-node") for pn in panels for t in pn.get("targets", [])]
        assert len(exprs) > 20
        for expr in exprs:
            query(url, expr)  # asserts status "success"
            for name in re.findall(r"rollup_node_[a-z0-9_]+", expr):
                base = re.sub(r"_(bucket|sum|count)$", "", name)
                assert f"`{base}`" in documented or f"`{base}{{" in documented, f"{base} (dashboard) is not in docs/metrics.md"
        assert query(url, 'rollup_node_head_block_number{job="rollup-node"}')
    finally:
        prometheus.terminate()
        try:
            prometheus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            prometheus.kill()
            prometheus.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
