#!/usr/bin/env bash
# RPC figures for BENCHMARKS.md: wrk (Debian's package) against a real release node on loopback,
# 64 keep-alive connections. Usage: bash scripts/bench/rpc.sh  (builds nothing; needs
# .build/release/rollup-node, wrk, and e2e/.venv for pre-signing transactions).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 1; }
DATADIR=$(mktemp -d); PORT=18600
.build/release/rollup-node node --chain dev --test --sequencer.enabled --sequencer.auto-start --http \
  --http.port $PORT --datadir "$DATADIR" --log.level warning &
NODE=$!
trap 'kill -INT $NODE 2>/dev/null; wait $NODE 2>/dev/null; rm -rf "$DATADIR"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
URL=http://127.0.0.1:$PORT/
echo "== eth_blockNumber"
RN_BODY='{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' wrk -t2 -c64 -d10s --latency -s scripts/bench/rpc.lua $URL
echo "== eth_getBalance"
RN_BODY='{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","latest"]}' \
  wrk -t2 -c64 -d10s --latency -s scripts/bench/rpc.lua $URL
echo "== eth_sendRawTransaction (9,000 pre-signed transfers from 9 accounts, 1 s)"
TXS="$DATADIR/txs.txt"
e2e/.venv/bin/python scripts/bench/presign.py 9 1000 > "$TXS"
RN_TX_FILE="$TXS" wrk -t2 -c64 -d1s --latency -s scripts/bench/send_raw.lua $URL
