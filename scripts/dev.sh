#!/usr/bin/env bash
# README's first command: installs what is needed, builds rollup-node (release) and starts a
# development sequencer. Extra arguments are passed to `rollup-node node`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product rollup-node
BIN="$(swift build -c release --show-bin-path)/rollup-node"
if "$BIN" node --help >/dev/null 2>&1; then
  exec "$BIN" node --chain dev --test --sequencer.enabled --sequencer.auto-start --http "$@"
fi
# Until the node command lands (issue 6), show what the binary offers.
exec "$BIN" --help
