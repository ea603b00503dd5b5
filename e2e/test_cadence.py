"""Blocks arrive at the configured cadence: within one slot over 10 s."""
import time

from web3 import Web3


def test_blocks_arrive_once_per_slot(node_factory):
    node = node_factory(["--sequencer.allow-empty-blocks", "--sequencer.block-time", "500",
                         "--sequencer.payload-building-duration", "400"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    time.sleep(1.0)
    first, t0 = w3.eth.block_number, time.monotonic()
    time.sleep(10.0)
    last, t1 = w3.eth.block_number, time.monotonic()
    expected = (t1 - t0) / 0.5
    produced = last - first
    assert abs(produced - expected) <= 1, f"{produced} blocks in {t1 - t0:.2f} s at 500 ms (expected {expected:.1f})"
    # Timestamps never go backwards.
    stamps = [w3.eth.get_block(n)["timestamp"] for n in range(first, last + 1)]
    assert stamps == sorted(stamps)
