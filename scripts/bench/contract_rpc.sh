#!/usr/bin/env bash
# Contract-call RPC figures for BENCHMARKS.md: wrk (Debian's package), 64 keep-alive connections,
# against a release node on loopback running the ERC-20 benchmark spec (scripts/bench/erc20_spec.py:
# e2e/contracts/Token.vy at genesis, every bench sender holding tokens).
#   eth_call of balanceOf(sender 0) on "latest", eth_estimateGas of transfer(sender 1, 1) from sender 0,
#   and eth_call of balanceOf at a block 64 below the head (historical state, read through the trie).
# Usage: bash scripts/bench/contract_rpc.sh   (needs .build/release/rollup-node, wrk, e2e/.venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 1; }
DATADIR=$(mktemp -d); PORT=18601
e2e/.venv/bin/python scripts/bench/erc20_spec.py > "$DATADIR/spec.json"
.build/release/rollup-node node --chain "$DATADIR/spec.json" --test --sequencer.enabled --sequencer.auto-start --http \
  --http.port $PORT --datadir "$DATADIR/node" --log.level warning &
NODE=$!
trap 'kill -INT $NODE 2>/dev/null; wait $NODE 2>/dev/null; rm -rf "$DATADIR"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
URL=http://127.0.0.1:$PORT/
TOKEN=0x00000000000000000000000000000000000e2C20
S0=$(e2e/.venv/bin/python -c "import sys; sys.path.insert(0, 'scripts/bench'); import erc20_spec; print(erc20_spec.sender_address(0))")
S1=$(e2e/.venv/bin/python -c "import sys; sys.path.insert(0, 'scripts/bench'); import erc20_spec; print(erc20_spec.sender_address(1))")
pad() { printf '%064s' "${1#0x}" | tr ' ' 0; }
BALANCE_OF="0x70a08231$(pad "$S0")"
TRANSFER="0xa9059cbb$(pad "$S1")$(pad 1)"
check() { curl -sf -H 'Content-Type: application/json' -d "$1" $URL; echo; }
# 64 empty blocks so that a historical block exists (anvil_mine under --test).
check '{"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["0x40"]}' >/dev/null
echo "== balanceOf answer: $(check '{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"'$TOKEN'","data":"'$BALANCE_OF'"},"latest"]}')"
echo "== estimate answer: $(check '{"jsonrpc":"2.0","id":1,"method":"eth_estimateGas","params":[{"from":"'$S0'","to":"'$TOKEN'","data":"'$TRANSFER'"}]}')"
echo "== eth_call balanceOf, latest"
RN_BODY='{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"'$TOKEN'","data":"'$BALANCE_OF'"},"latest"]}' \
  wrk -t2 -c64 -d10s --latency -s scripts/bench/rpc.lua $URL
echo "== eth_estimateGas transfer"
RN_BODY='{"jsonrpc":"2.0","id":1,"method":"eth_estimateGas","params":[{"from":"'$S0'","to":"'$TOKEN'","data":"'$TRANSFER'"}]}' \
  wrk -t2 -c64 -d10s --latency -s scripts/bench/rpc.lua $URL
echo "== eth_call balanceOf at block 0x1 (historical, through the state trie)"
RN_BODY='{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"'$TOKEN'","data":"'$BALANCE_OF'"},"0x1"]}' \
  wrk -t2 -c64 -d10s --latency -s scripts/bench/rpc.lua $URL
