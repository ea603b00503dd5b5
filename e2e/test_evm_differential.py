"""Random bytecode programs run by revm (pyrevm) and by `rollup-node evm statetest`, compared on
post-state root and logs hash (see e2e/evm/fuzz.py). Seeds are fixed; RN_EVM_FUZZ_SEEDS=a:b
explores others. Skipped while the binary has no `evm statetest` command."""
import os
import subprocess
import sys

import pytest

from conftest import BINARY

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "evm"))


def has_statetest():
    try:
        p = subprocess.run([BINARY, "evm", "statetest", "--help"], capture_output=True, text=True)
    except OSError:
        return False
    # A binary without the command prints its top-level help (and exits 0).
    return p.returncode == 0 and "evm statetest" in p.stdout


@pytest.mark.skipif(not has_statetest(), reason="rollup-node has no `evm statetest` yet")
def test_random_programs_match_revm(tmp_path):
    seeds = os.environ.get("RN_EVM_FUZZ_SEEDS", "0:300")
    proc = subprocess.run(
        [sys.executable, os.path.join(HERE, "evm", "fuzz.py"), "--seeds", seeds, "--out", str(tmp_path),
         "--binary", BINARY], capture_output=True, text=True)
    print(proc.stdout[-20000:])
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
