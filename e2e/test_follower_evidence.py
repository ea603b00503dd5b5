"""Followers (docs/followers.md), the cases around what a follower trusts: a second block signed
at a height it holds with no rollback notice (double-sign evidence), L1 messages checked against
the follower's own L1 view (--l1.url), and subscriptions served over WebSocket from imported
blocks."""
import json
import time

from eth_account import Account

from conftest import KEYS, Node, free_port, wait_until
from followers import Cluster, FakeSource, block, head, rpc, status, unhex, hexbytes
from test_followers import DEAD, FAST, TARGET, balance, cluster, l1_enqueue, log_lines, number, send_and_wait, transfer  # noqa: F401


def test_a_second_chain_signed_by_the_same_key_is_double_sign_evidence(cluster):
    """The sequencer's datadir is lost and a new sequencer with the same key starts a new chain
    on the same URL, signing other blocks at heights the follower already holds, with no
    rollback notice: the follower logs the evidence with both hashes, counts it, keeps its chain
    and imports nothing from the new one."""
    first = cluster.sequencer(FAST, name="first")
    follower = cluster.follower(first.url)
    for nonce in range(3):
        send_and_wait(first, transfer(KEYS[1], nonce))
    wait_until(lambda: head(follower) == head(first), what="the follower to reach the first chain's head")
    ours_number, ours_hash = head(follower)
    first.stop()

    # The same URL, a fresh datadir, the same (development) signing key: another chain.
    second = Node(cluster._folder("second"), FAST)
    second.name = "second"
    second.port, second.url = first.port, first.url
    cluster.nodes.append(second)
    second.start()
    for _ in range(ours_number + 2):
        rpc(second.url, "evm_mine")
    theirs_hash = block(second, ours_number)["hash"]
    assert theirs_hash != ours_hash

    wait_until(lambda: log_lines(follower, "Double sign evidence"), timeout=30, what="the double-sign evidence")
    line = log_lines(follower, "Double sign evidence")[0]
    assert ours_hash in line and theirs_hash in line and f"height={ours_number}" in line, line
    s = status(follower)["follower"]
    assert number(s["doubleSignEvidence"]) >= 1, s
    assert "double sign" in (s["lastError"] or ""), s
    time.sleep(1)
    assert head(follower) == (ours_number, ours_hash), "the follower keeps its chain"


def test_l1_messages_must_match_the_followers_own_l1_view(cluster, fake_l1):
    """With --l1.url, a follower compares every L1 message in a block with the one its own
    watcher read: the true block imports (and the message shows as included), the same block
    with the message's value changed is refused naming the queue index before any
    re-execution."""
    l1_args = ["--l1.url", fake_l1.url, "--l1.poll-interval", "200", "--sequencer.l1-inclusion-mode", "depth:0"]
    seq = cluster.sequencer(l1_args + FAST)
    fake_l1.call("fake_mine", [2])
    l1_enqueue(fake_l1, 10)
    fake_l1.call("fake_mine", [1])
    wait_until(lambda: balance(seq) == 10, what="message 0 on the sequencer")
    included_in = int(rpc(seq.url, "rollupNode_getL1MessageByIndex", [0])["l2BlockNumber"], 16)

    def change_l1_message(result, params):
        for b in result.get("blocks", []):
            if int(b["number"], 16) != included_in:
                continue
            raw = unhex(b["transactions"][0])
            assert raw[0] == 0x7E
            import rlp
            fields = rlp.decode(raw[1:])
            fields[4] = (11).to_bytes(1, "big")  # [queueIndex, gas, to, value, data, sender]: value 10 -> 11
            b["transactions"][0] = hexbytes(b"\x7e" + rlp.encode(fields))
        return result

    fake = FakeSource(seq.url, change_l1_message)
    try:
        refusing = cluster.follower(fake.url, ["--l1.url", fake_l1.url, "--l1.poll-interval", "200"], name="refusing")
        wait_until(lambda: log_lines(refusing, "differs from this node's L1 view"), timeout=30,
                   what="the refusal of the changed L1 message")
        line = log_lines(refusing, "differs from this node's L1 view")[0]
        assert "L1 message 0" in line and "Refused block" in line, line
        assert head(refusing)[0] == included_in - 1
        assert number(status(refusing)["follower"]["refusedBlocks"]) >= 1
        assert not fake.errors, fake.errors
    finally:
        fake.stop()

    honest = cluster.follower(seq.url, ["--l1.url", fake_l1.url, "--l1.poll-interval", "200"], name="honest")
    wait_until(lambda: balance(honest) == 10, timeout=30, what="message 0 on the honest follower")
    assert block(honest, included_in)["hash"] == block(seq, included_in)["hash"]
    message = rpc(honest.url, "rollupNode_getL1MessageByIndex", [0])
    assert int(message["l2BlockNumber"], 16) == included_in, message


def test_a_follower_serves_websocket_subscriptions_from_imported_blocks(cluster):
    from websockets.sync.client import connect

    seq = cluster.sequencer(FAST)
    ws_port = free_port()
    follower = cluster.follower(seq.url, ["--ws", "--ws.port", str(ws_port)])
    with connect(f"ws://127.0.0.1:{ws_port}", open_timeout=10, close_timeout=1) as ws:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]}))
        subscription = json.loads(ws.recv(timeout=10))["result"]
        receipt = send_and_wait(seq, transfer(KEYS[2], 0))
        deadline = time.time() + 20
        seen = []
        while time.time() < deadline:
            message = json.loads(ws.recv(timeout=20))
            assert message["params"]["subscription"] == subscription
            seen.append(message["params"]["result"]["hash"])
            if message["params"]["result"]["hash"] == "0x" + bytes(receipt["blockHash"]).hex():
                break
        else:
            raise AssertionError(f"the follower's newHeads never carried block {receipt['blockHash'].hex()}: {seen}")


def test_a_burst_through_a_follower_sees_the_sequencers_pool(cluster):
    """What only the sequencer's pool knows comes from it: with sequencing paused, three
    transactions sent back to back through a follower, each with the nonce web3.py reads from the
    follower's eth_getTransactionCount(pending), all wait in the sequencer's pool; the follower's
    txpool_status and eth_getTransactionByHash show them; once sequencing resumes all three are
    included and the follower serves their receipts."""
    from web3 import Web3

    seq = cluster.sequencer(FAST)
    follower = cluster.follower(seq.url)
    w3 = Web3(Web3.HTTPProvider(follower.url))
    sender = Account.from_key(KEYS[3])
    assert rpc(seq.url, "rollupNodeAdmin_disableAutomaticSequencing") is True
    hashes = []
    for i in range(3):
        nonce = w3.eth.get_transaction_count(sender.address, "pending")
        assert nonce == i, f"transaction {i}: the follower's pending nonce is {nonce}"
        tx = {"to": DEAD, "value": 1, "gas": 21_000, "nonce": nonce, "chainId": w3.eth.chain_id,
              "maxFeePerGas": w3.eth.gas_price * 2, "maxPriorityFeePerGas": w3.eth.max_priority_fee, "type": 2}
        hashes.append(w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction))
    assert rpc(follower.url, "txpool_status") == rpc(seq.url, "txpool_status") == {"pending": "0x3", "queued": "0x0"}
    pending = rpc(follower.url, "eth_getTransactionByHash", ["0x" + bytes(hashes[1]).hex()])
    assert pending is not None and pending["blockNumber"] is None and pending["nonce"] == "0x1", pending

    assert rpc(seq.url, "rollupNodeAdmin_enableAutomaticSequencing") is True
    for h in hashes:
        receipt = w3.eth.wait_for_transaction_receipt(h, timeout=30, poll_latency=0.05)
        assert receipt["status"] == 1
    assert w3.eth.get_transaction_count(sender.address, "pending") == 3
    assert w3.eth.get_transaction_count(sender.address, "latest") == 3
