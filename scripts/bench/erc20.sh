#!/usr/bin/env bash
# ERC-20 throughput for BENCHMARKS.md: rollup-load's pre-signed ERC-20 transfers (e2e/contracts/
# Token.vy, compiled here) against a release node on the spec scripts/bench/erc20_spec.py writes.
# Usage: bash scripts/bench/erc20.sh [rollup-load flags...]   (e.g. --duration 60)
# Needs e2e/.venv (bash scripts/test.sh creates it) and builds the two release binaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product rollup-node >/dev/null
swift build -c release --product rollup-load >/dev/null
SPEC=$(mktemp --suffix=.json)
trap 'rm -f "$SPEC"' EXIT
e2e/.venv/bin/python scripts/bench/erc20_spec.py > "$SPEC"
exec .build/release/rollup-load --chain "$SPEC" --erc20 0x00000000000000000000000000000000000e2C20 "$@"
