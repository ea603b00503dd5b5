#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the Swift 6 toolchain.
# README.md's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product rollup-node
# Tests run one at a time: several (RPC idle and request timeouts, KMS retries, the ticker) check
# sub-second behaviour, and on a 2-core machine the CPU-heavy randomized tests running beside
# them would starve Swift's cooperative pool for seconds. Serial, the whole suite takes ~1 min.
swift test --no-parallel 2>&1 | tee .build/test-output.txt
