#!/usr/bin/env bash
# Crash-and-restart soak (BENCHMARKS.md, "Soak"): 10 minutes of load from rollup-load at a fixed
# rate on the benchmark chain, `kill -9` of the node every 60 s and an immediate restart; then
# every receipt ever returned must still be served with the same block hash, the chain must have
# no gaps, and every block signature must recover to the signer. Not part of scripts/test.sh.
#
#   bash scripts/soak.sh [--rate TX_PER_S] [--duration S] [--kill-every S] [--keep]
#
# Defaults: --rate 3400 (about half the measured maximum, BENCHMARKS.md), --duration 600, --kill-every 60.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product rollup-node
swift build -c release --product rollup-load
if [ ! -x e2e/.venv/bin/python ] || ! cmp -s e2e/requirements.txt e2e/.venv/requirements.txt; then
  rm -rf e2e/.venv
  python3 -m venv e2e/.venv
  e2e/.venv/bin/pip install -q --disable-pip-version-check -r e2e/requirements.txt
  cp e2e/requirements.txt e2e/.venv/requirements.txt
fi
BIN="$(swift build -c release --show-bin-path)"
exec e2e/.venv/bin/python scripts/soak/soak.py --binary "$BIN/rollup-node" --load "$BIN/rollup-load" \
  --chain chains/bench.json "$@"
