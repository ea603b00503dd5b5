#!/usr/bin/env bash
# Ethereum's GeneralStateTests (Cancun entries) through `rollup-node evm statetest`.
# Reads the tests from ../shared/conformance/ethereum-tests/GeneralStateTests relative to the
# repository (not copied: 1,634 files); exclusions and their reasons are in
# Tests/ExecutionTests/Fixtures/statetest-exclusions.txt. Fails below 99% passing.
set -euo pipefail
cd "$(dirname "$0")/.."
TESTS="${STATETESTS_DIR:-../shared/conformance/ethereum-tests/GeneralStateTests}"
if [ ! -d "$TESTS" ]; then
  echo "conformance: GeneralStateTests not found at $TESTS (expected ../shared/conformance relative to the repository)" >&2
  exit 1
fi
echo "conformance: reading GeneralStateTests from $TESTS (../shared/conformance relative to the repository)" >&2
swift build -c release --product rollup-node >&2
BIN="$(swift build -c release --show-bin-path)/rollup-node"
OUT="$(mktemp)"
ERR="$(mktemp)"
trap 'rm -f "$OUT" "$ERR"' EXIT
start=$(date +%s)
"$BIN" evm statetest --fork Cancun --exclusions Tests/ExecutionTests/Fixtures/statetest-exclusions.txt "$TESTS" >"$OUT" 2>"$ERR" || true
elapsed=$(( $(date +%s) - start ))
passed=$(grep -c '"pass":true' "$OUT" || true)
failed=$(grep -c '"pass":false' "$OUT" || true)
excluded=$(sed -n 's/^\([0-9]*\) excluded.*/\1/p' "$ERR" | tail -n 1)
excluded=${excluded:-0}
grep '"pass":false' "$OUT" | head -n 20 >&2 || true
echo "conformance: GeneralStateTests: $passed passed, $failed failed, $excluded excluded (${elapsed}s)"
total=$(( passed + failed + excluded ))
if [ "$total" -eq 0 ] || [ $(( passed * 100 )) -lt $(( total * 99 )) ]; then
  echo "conformance: below 99% of the Cancun entries pass" >&2
  exit 1
fi
if [ $(( excluded * 100 )) -gt "$total" ]; then
  echo "conformance: more than 1% of the entries are excluded" >&2
  exit 1
fi
