"""Both transaction types priced only by the node's own fee suggestions, on a fresh idle chain
(base fee falling) and on a busy one (base fee rising): each must pass the node's own
eth_call and eth_estimateGas for "latest" and "pending", be admitted, and be included within
two blocks."""
import json
import os

from eth_account import Account
from web3 import Web3

from conftest import KEYS, ROOT

RECIPIENT = "0x000000000000000000000000000000000000bEEF"


def head_number(w3):
    return w3.eth.block_number


def check_priced(w3, sender, tx, blocks=2):
    """tx carries its fee fields; checks call/estimate on latest and pending, sends it, and
    returns its receipt, which must come within `blocks` blocks of the head at sending."""
    for tag in ("latest", "pending"):
        assert w3.eth.estimate_gas(tx, tag) == 21_000, tag
        assert w3.eth.call(tx, tag) == b"", tag
    full = dict(tx, gas=21_000, nonce=w3.eth.get_transaction_count(sender.address, "pending"), chainId=1337)
    full.pop("from")
    sent_at = head_number(w3)
    h = w3.eth.send_raw_transaction(sender.sign_transaction(full).raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1
    assert receipt["blockNumber"] <= sent_at + blocks, (receipt["blockNumber"], sent_at)
    return receipt


def suggested_transactions(w3, sender):
    base = {"from": sender.address, "to": RECIPIENT, "value": 1}
    latest_base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
    tip = w3.eth.max_priority_fee
    next_base_fee = w3.eth.fee_history(1, "latest")["baseFeePerGas"][-1]
    return [
        ("legacy at eth_gasPrice", dict(base, gasPrice=w3.eth.gas_price)),
        # web3.py's default: tip + 2 * latest base fee.
        ("1559 web3.py default", dict(base, maxPriorityFeePerGas=tip, maxFeePerGas=tip + 2 * latest_base_fee)),
        # viem's default: 1.2 * base fee + tip, here from eth_feeHistory's next base fee.
        ("1559 viem-style from feeHistory", dict(base, maxPriorityFeePerGas=tip, maxFeePerGas=next_base_fee * 12 // 10 + tip)),
    ]


def test_suggested_fees_pass_own_checks_and_get_in_on_an_idle_chain(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    sender = Account.from_key(KEYS[3])
    for round_ in range(3):  # the base fee falls block by block on a nearly idle chain
        for name, tx in suggested_transactions(w3, sender):
            head = w3.eth.get_block("latest")
            check_priced(w3, sender, tx)
            assert w3.eth.get_block("latest")["baseFeePerGas"] <= head["baseFeePerGas"], "idle: base fee must not rise"


def busy_spec(datadir):
    with open(os.path.join(ROOT, "chains", "dev.json")) as f:
        spec = json.load(f)
    spec["name"] = "dev-busy"
    spec["genesis"]["gasLimit"] = 6 * 21_000  # target 63,000: four transfers push the base fee up
    path = os.path.join(datadir, "busy.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def fill_blocks_until_base_fee_rises(w3, keys, nonces):
    """Sends full blocks of 1-wei-tip transfers until the head block is full, so that the next
    base fee is above the head's, then lets the pool drain."""
    for _ in range(10):
        base = w3.eth.get_block("latest")["baseFeePerGas"]
        hashes = []
        for k in keys:
            for _ in range(3):
                raw = k.sign_transaction({"to": RECIPIENT, "value": 1, "gas": 21_000, "nonce": nonces[k.address],
                                          "chainId": 1337, "maxPriorityFeePerGas": 1, "maxFeePerGas": 4 * base})
                hashes.append(w3.eth.send_raw_transaction(raw.raw_transaction))
                nonces[k.address] += 1
        for h in hashes:
            w3.eth.wait_for_transaction_receipt(h, timeout=20, poll_latency=0.05)
        head = w3.eth.get_block("latest")
        if w3.eth.fee_history(1, "latest")["baseFeePerGas"][-1] > head["baseFeePerGas"]:
            return
    raise AssertionError("full blocks did not make the base fee rise")


def test_suggested_fees_pass_own_checks_and_get_in_on_a_busy_chain(node_factory, datadir):
    # Blocks of six transfers: a full block raises the base fee by 1/8. Each suggestion is
    # taken right after a full block, with nothing else in flight, so the result is exact.
    node = node_factory(["--chain", busy_spec(datadir)]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    sender = Account.from_key(KEYS[4])
    keys = [Account.from_key(k) for k in KEYS[:2]]
    nonces = {k.address: 0 for k in keys}
    for kind in range(3):
        fill_blocks_until_base_fee_rises(w3, keys, nonces)
        name, tx = suggested_transactions(w3, sender)[kind]
        head = w3.eth.get_block("latest")
        receipt = check_priced(w3, sender, tx, blocks=1)
        assert w3.eth.get_block(receipt["blockNumber"])["baseFeePerGas"] > head["baseFeePerGas"], name
