#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the Swift 6 toolchain.
# README.md's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product rollup-node
swift test 2>&1 | tee .build/test-output.txt
