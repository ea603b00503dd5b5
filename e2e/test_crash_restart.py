"""kill -9 in the middle of a load and a restart keep every receipt served before the kill."""
import threading
import time

from eth_account import Account
from web3 import Web3

from conftest import KEYS

RECIPIENT = "0x000000000000000000000000000000000000dEaD"


def test_kill_9_mid_load_keeps_every_served_receipt(node_factory):
    node = node_factory(["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "200"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    served = {}  # tx hash -> (block hash, block number) as a receipt reported it
    stop = threading.Event()

    def load(key):
        acct = Account.from_key(key)
        client = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 2}))
        nonce = client.eth.get_transaction_count(acct.address, "pending")
        pending = []
        while not stop.is_set():
            try:
                tx = acct.sign_transaction({"to": RECIPIENT, "value": 1, "gas": 21_000, "maxFeePerGas": 10**10,
                                            "maxPriorityFeePerGas": 10**9, "nonce": nonce, "chainId": 1337, "type": 2})
                pending.append(client.eth.send_raw_transaction(tx.raw_transaction))
                nonce += 1
                for h in list(pending):
                    r = client.provider.make_request("eth_getTransactionReceipt", [h.to_0x_hex()]).get("result")
                    if r:
                        served[h.to_0x_hex()] = (r["blockHash"], int(r["blockNumber"], 16))
                        pending.remove(h)
            except Exception:
                if stop.is_set():
                    return
                time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(k,)) for k in KEYS[1:4]]
    for t in threads:
        t.start()
    time.sleep(4)
    node.kill9()
    stop.set()
    for t in threads:
        t.join()
    assert len(served) > 10, f"only {len(served)} receipts were served before the kill"

    node.start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    for tx_hash, (block_hash, number) in served.items():
        r = w3.provider.make_request("eth_getTransactionReceipt", [tx_hash])["result"]
        assert r is not None, f"receipt of {tx_hash} was lost"
        assert r["blockHash"] == block_hash and int(r["blockNumber"], 16) == number
    # The chain has no gaps and goes on after the restart.
    head = w3.eth.block_number
    parent = None
    for n in range(0, head + 1):
        b = w3.eth.get_block(n)
        if parent is not None:
            assert b["parentHash"] == parent
        parent = b["hash"]
    acct = Account.from_key(KEYS[4])
    tx = acct.sign_transaction({"to": RECIPIENT, "value": 1, "gas": 21_000, "maxFeePerGas": 10**10,
                                "maxPriorityFeePerGas": 10**9, "nonce": 0, "chainId": 1337, "type": 2})
    assert w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(tx.raw_transaction), timeout=15)["status"] == 1
