"""L1 messages from a fake L1 reach L2 blocks under the inclusion rule, and an L1 reorg that
removes an included message rolls the L2 chain back (depth mode)."""
import time

from web3 import Web3

from conftest import wait_until

TARGET = Web3.to_checksum_address("0x00000000000000000000000000000000000a11ce")


def enqueue(l1, value, gas=100_000):
    return int(l1.call("fake_enqueue", [{"to": TARGET, "value": str(value), "gasLimit": gas}])["queueIndex"], 16)


def test_finalized_messages_are_included_in_queue_order(node_factory, fake_l1):
    node = node_factory(["--l1.url", fake_l1.url, "--l1.poll-interval", "200",
                         "--sequencer.l1-inclusion-mode", "finalized:1"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    assert [enqueue(fake_l1, v) for v in (1, 2, 3)] == [0, 1, 2]
    fake_l1.call("fake_mine", [1])  # messages in L1 block 1; finalized lags latest by 2
    time.sleep(1.5)
    assert w3.eth.get_balance(TARGET) == 0, "included before L1 block 1 was finalized:1-eligible"
    fake_l1.call("fake_mine", [3])  # finalized = 2 >= 1 + 1
    wait_until(lambda: w3.eth.get_balance(TARGET) == 6, what="the three messages")
    for i in range(3):
        m = w3.provider.make_request("rollupNode_getL1MessageByIndex", [i])["result"]
        assert m is not None and m["l2BlockNumber"] is not None
    status = w3.provider.make_request("rollupNode_status", [])["result"]
    assert int(status["l1Messages"]["nextQueueIndex"], 16) == 3
    assert int(status["l1"]["processed"], 16) >= 1 and status["l1"]["syncing"] is False


def test_a_depth_mode_reorg_that_removes_an_included_message_rolls_l2_back(node_factory, fake_l1):
    node = node_factory(["--l1.url", fake_l1.url, "--l1.poll-interval", "200",
                         "--sequencer.l1-inclusion-mode", "depth:0"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    fake_l1.call("fake_mine", [2])
    enqueue(fake_l1, 10)
    fake_l1.call("fake_mine", [1])
    wait_until(lambda: w3.eth.get_balance(TARGET) == 10, what="message 0")
    included_in = int(w3.provider.make_request("rollupNode_getL1MessageByIndex", [0])["result"]["l2BlockNumber"], 16)
    # The L1 block holding message 0 is replaced by a fork without it.
    fake_l1.call("fake_reorg", [{"depth": 1, "messages": "drop", "newBlocks": 2}])
    wait_until(lambda: w3.eth.get_balance(TARGET) == 0, what="the rollback of the L2 block that included message 0")
    # A new message 0 on the new fork is included, and the chain has no gaps.
    enqueue(fake_l1, 7)
    fake_l1.call("fake_mine", [1])
    wait_until(lambda: w3.eth.get_balance(TARGET) == 7, what="the new message 0")
    head = w3.eth.block_number
    parent = None
    for n in range(head + 1):
        b = w3.eth.get_block(n)
        if parent is not None:
            assert b["parentHash"] == parent
        parent = b["hash"]
    assert included_in >= 1
