#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the Swift 6 toolchain.
# README.md's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product rollup-node
swift build -c release --product fake-l1   # the end-to-end tests' L1
swift build -c release --product rollup-load   # the follower tests' load (e2e/test_followers.py)
# Tests run in parallel. None depends on how fast the machine is: the sequencer, the L1 watcher
# and the RPC deadlines run on injected clocks (TestSupport's ManualClock, NIO testing loops) that
# only the tests move; the few real-time waits left (curl's own timer in the HTTP and KMS tests)
# have margins of seconds for loopback round trips of milliseconds.
swift test 2>&1 | tee .build/test-output.txt

# Ethereum's GeneralStateTests (Cancun) through `rollup-node evm statetest`, read from
# ../shared/conformance beside the repository; prints the conformance line, fails below 99%.
bash scripts/statetests.sh

# End-to-end: the real release binary driven by web3.py and eth-account (e2e/README.md).
if [ ! -x e2e/.venv/bin/pytest ] || ! cmp -s e2e/requirements.txt e2e/.venv/requirements.txt; then
  rm -rf e2e/.venv
  python3 -m venv e2e/.venv
  e2e/.venv/bin/pip install -q --disable-pip-version-check -r e2e/requirements.txt
  cp e2e/requirements.txt e2e/.venv/requirements.txt
fi
RN_BINARY="$(swift build -c release --show-bin-path)/rollup-node" e2e/.venv/bin/pytest -q e2e
