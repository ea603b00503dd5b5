"""L1 messages execute as calls on L2 (issue 13): the message's sender calls `to` with `data`,
`value` and its gas limit, under Scroll's rules (no fee, no refund, the sender's nonce increments,
a failing message is included with status 0 and the next one still follows). Two chains: the dev
chain, whose spec mints the value (`l1.messageValue: "mint"`), and a spec with Scroll's rule
(`"sender"`: the value comes from the sender's L2 balance)."""
import json
import os
import time

import vyper
from eth_account import Account
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
L1_SENDER = Web3.to_checksum_address("0x00000000000000000000000000000000000051de")


def deploy_recorder(w3):
    with open(os.path.join(HERE, "contracts", "L1Recorder.vy")) as f:
        out = vyper.compile_code(f.read(), output_formats=["abi", "bytecode"])
    user = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(user), layer=0)
    factory = w3.eth.contract(abi=out["abi"], bytecode=out["bytecode"])
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor().transact({"from": user.address}),
                                                  timeout=30, poll_latency=0.05)
    assert receipt["status"] == 1
    return w3.eth.contract(address=receipt["contractAddress"], abi=out["abi"])


def enqueue(l1, to, data, value=0, gas=200_000, sender=L1_SENDER):
    reply = l1.call("fake_enqueue", [{"to": to, "value": str(value), "gasLimit": gas, "data": data, "sender": sender}])
    return int(reply["queueIndex"], 16)


def included_receipt(w3, index):
    def lookup():
        m = w3.provider.make_request("rollupNode_getL1MessageByIndex", [index])["result"]
        return m if m and m.get("l2BlockNumber") else None
    m = wait_until(lookup, what=f"L1 message {index} on L2")
    return w3.eth.get_transaction_receipt(m["transaction"]["hash"]), m


def test_messages_call_a_contract_in_queue_order_and_a_failing_one_does_not_stop_the_queue(node_factory, fake_l1):
    node = node_factory(["--l1.url", fake_l1.url, "--l1.poll-interval", "200",
                         "--sequencer.l1-inclusion-mode", "depth:0"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    recorder = deploy_recorder(w3)
    record42 = recorder.encode_abi("record", [42])
    boom = recorder.encode_abi("boom", [])
    record43 = recorder.encode_abi("record", [43])
    assert [enqueue(fake_l1, recorder.address, record42, value=5),
            enqueue(fake_l1, recorder.address, boom),
            enqueue(fake_l1, recorder.address, record43, value=7)] == [0, 1, 2]
    fake_l1.call("fake_mine", [1])

    receipts = [included_receipt(w3, i)[0] for i in range(3)]
    assert [r["status"] for r in receipts] == [1, 0, 1]
    # Queue order: block numbers never decrease and, within a block, indexes rise.
    positions = [(r["blockNumber"], r["transactionIndex"]) for r in receipts]
    assert positions == sorted(positions)
    # The contract saw exactly each message's fields; the reverted one changed nothing.
    assert recorder.functions.calls().call() == 2
    assert recorder.functions.last_sender().call() == L1_SENDER
    assert recorder.functions.last_value().call() == 7
    assert recorder.functions.last_x().call() == 43
    assert w3.eth.get_balance(recorder.address) == 12  # minted on the dev chain (l1.messageValue "mint")
    events = recorder.events.Recorded().process_receipt(receipts[0])
    assert [(e["args"]["sender"], e["args"]["value"], e["args"]["x"]) for e in events] == [(L1_SENDER, 5, 42)]
    # No fee and no refund: an L1 message's receipt prices gas at zero.
    assert all(r["effectiveGasPrice"] == 0 for r in receipts)
    # The sender's nonce counts its messages (Scroll's rule), even the failed one.
    assert w3.eth.get_transaction_count(L1_SENDER) == 3


def scroll_rule_spec(tmp_dir):
    with open(os.path.join(REPO, "chains", "dev.json")) as f:
        spec = json.load(f)
    spec["l1"]["messageValue"] = "sender"
    spec["genesis"]["alloc"][L1_SENDER] = {"balance": "1000"}
    path = os.path.join(tmp_dir, "scroll-rule.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def test_under_scrolls_rule_the_value_comes_from_the_senders_l2_balance(node_factory, fake_l1, datadir):
    spec = scroll_rule_spec(datadir)
    node = node_factory(["--l1.url", fake_l1.url, "--l1.poll-interval", "200",
                         "--sequencer.l1-inclusion-mode", "depth:0"], chain=spec).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    to = Web3.to_checksum_address("0x000000000000000000000000000000000000b0b0")
    enqueue(fake_l1, to, "0x", value=300, gas=100_000)
    enqueue(fake_l1, to, "0x", value=5_000, gas=100_000)  # more than the sender has
    enqueue(fake_l1, to, "0x", value=200, gas=100_000)
    fake_l1.call("fake_mine", [1])
    receipts = [included_receipt(w3, i)[0] for i in range(3)]
    assert [r["status"] for r in receipts] == [1, 0, 1]
    # Out of funds spends only the intrinsic gas (scroll-revm's OutOfFunds halt).
    assert [r["gasUsed"] for r in receipts] == [21_000, 21_000, 21_000]
    assert w3.eth.get_balance(to) == 500
    assert w3.eth.get_balance(L1_SENDER) == 500  # 1000 - 300 - 200: no fee, nothing minted
    assert w3.eth.get_transaction_count(L1_SENDER) == 3
