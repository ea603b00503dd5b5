#!/usr/bin/env bash
# Renders docs/grafana/rollup-node.png: the dashboard's own queries against a real run.
#
#   bash scripts/dashboard/render.sh [seconds]     (default 120 s of load)
#
# Starts a fake L1 (a block a second, an L1 message every 3 blocks), a Prometheus scraping every
# second, and rollup-load, which starts a release node on chains/bench.json with --metrics, --ws
# and --l1.url and sends transfers at 2,000/s; a WebSocket client holds a newHeads subscription.
# Then scripts/dashboard/render.py draws every panel from Prometheus's query_range. Needs
# Debian's prometheus (scripts/install-deps.sh) and PyPI for matplotlib (into scripts/dashboard/.venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_OF_LOAD="${1:-120}"
OUT="docs/grafana/rollup-node.png"

for product in rollup-node rollup-load fake-l1; do swift build -c release --product "$product" >/dev/null; done
VENV=scripts/dashboard/.venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet matplotlib==3.10.7 websockets==15.0.1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d /tmp/rn-dashboard-XXXX)
L1_PORT=$(free_port); METRICS_PORT=$(free_port); WS_PORT=$(free_port); PROM_PORT=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

.build/release/fake-l1 --port "$L1_PORT" --block-time 1 --enqueue-every 3 >"$WORK/fake-l1.log" 2>&1 & pids+=($!)
cat >"$WORK/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: rollup-node
    static_configs: [{targets: ["127.0.0.1:$METRICS_PORT"]}]
EOF
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 & pids+=($!)

"$VENV/bin/python" - "$WS_PORT" >"$WORK/ws.log" 2>&1 <<'EOF' & pids+=($!)
import asyncio, json, sys, websockets
async def main():
    while True:
        try:
            async with websockets.connect(f"ws://127.0.0.1:{sys.argv[1]}") as ws:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
                async for _ in ws:
                    pass
        except OSError:
            await asyncio.sleep(0.5)
asyncio.run(main())
EOF

START=$(date +%s)
.build/release/rollup-load --rate 2000 --warmup 5 --duration "$SECONDS_OF_LOAD" --drain 10 --skip-ecrecover \
  --node-arg=--metrics=127.0.0.1:"$METRICS_PORT" --node-arg=--l1.url=http://127.0.0.1:"$L1_PORT" \
  --node-arg=--ws --node-arg=--ws.port="$WS_PORT" | tee "$WORK/load.txt" | grep -E "included \(|overruns"
END=$(date +%s)
"$VENV/bin/python" scripts/dashboard/render.py --prometheus "http://127.0.0.1:$PROM_PORT" --job rollup-node \
  --start "$START" --end "$END" --out "$OUT" \
  --subtitle "rollup-load at 2,000 transfers/s on chains/bench.json, fake L1, $(date -u +%Y-%m-%d)"
