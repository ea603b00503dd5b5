#!/usr/bin/env bash
# README's first command: installs what is needed, builds rollup-node (release) and starts a
# development sequencer. Extra arguments are passed to `rollup-node node`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product rollup-node
exec "$(swift build -c release --show-bin-path)/rollup-node" node --chain dev --test \
  --sequencer.enabled --sequencer.auto-start --http "$@"
