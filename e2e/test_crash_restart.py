"""kill -9 in the middle of a load and a restart keep every receipt served before the kill: for
plain transfers, and for contract calls, where every block is also re-executed independently."""
import json
import os
import random
import threading
import time

from eth_account import Account
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS
from reexecute import compare_state, reexecute
from test_contract_chain import deploy

RECIPIENT = "0x000000000000000000000000000000000000dEaD"
FAST_BLOCKS = ["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "200"]


def load_then_kill(node, senders, make_tx, seconds=4):
    """Each sender sends `make_tx(rng, nonce)` transactions as fast as the node takes them and
    records every receipt served; after `seconds` the node is killed with SIGKILL. Returns
    {tx hash: receipt as served}."""
    served = {}
    stop = threading.Event()

    def load(acct, seed):
        rng = random.Random(seed)
        client = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 2}))
        nonce = client.eth.get_transaction_count(acct.address, "pending")
        pending = []
        while not stop.is_set():
            try:
                tx = acct.sign_transaction(make_tx(rng, nonce))
                pending.append(client.eth.send_raw_transaction(tx.raw_transaction))
                nonce += 1
                for h in list(pending):
                    r = client.provider.make_request("eth_getTransactionReceipt", [h.to_0x_hex()]).get("result")
                    if r:
                        served[h.to_0x_hex()] = r
                        pending.remove(h)
            except Exception:
                if stop.is_set():
                    return
                time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(s, i)) for i, s in enumerate(senders)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    node.kill9()
    stop.set()
    for t in threads:
        t.join()
    assert len(served) > 10, f"only {len(served)} receipts were served before the kill"
    return served


def check_served_after_restart(w3, served, fields):
    for tx_hash, before in served.items():
        r = w3.provider.make_request("eth_getTransactionReceipt", [tx_hash])["result"]
        assert r is not None, f"receipt of {tx_hash} was lost"
        assert {k: r[k] for k in fields} == {k: before[k] for k in fields}, tx_hash


def test_kill_9_mid_load_keeps_every_served_receipt(node_factory):
    node = node_factory(FAST_BLOCKS).start()
    transfer = lambda rng, nonce: {"to": RECIPIENT, "value": 1, "gas": 21_000, "maxFeePerGas": 10**10,
                                   "maxPriorityFeePerGas": 10**9, "nonce": nonce, "chainId": 1337, "type": 2}
    served = load_then_kill(node, [Account.from_key(k) for k in KEYS[1:4]], transfer)

    node.start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    check_served_after_restart(w3, served, ["blockHash", "blockNumber"])
    # The chain has no gaps and goes on after the restart.
    parent = None
    for n in range(0, w3.eth.block_number + 1):
        b = w3.eth.get_block(n)
        if parent is not None:
            assert b["parentHash"] == parent
        parent = b["hash"]
    acct = Account.from_key(KEYS[4])
    tx = acct.sign_transaction(transfer(None, 0))
    assert w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(tx.raw_transaction), timeout=15)["status"] == 1


def test_kill_9_under_contract_calls_keeps_receipts_and_state(node_factory, cancun_spec):
    """ERC-20 transfers and counter bumps from three senders, kill -9 mid-load, restart: every
    served receipt is still served, and every block (the state root, storage included) equals
    an independent re-execution from genesis (e2e/reexecute.py, under Ethereum's rules)."""
    node = node_factory(FAST_BLOCKS, chain=cancun_spec[0]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    owner = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(owner), layer=0)
    token, _ = deploy(w3, "Token", owner.address, 10**24)
    counter, _ = deploy(w3, "Counter", owner.address, 0)
    senders = [Account.from_key(k) for k in KEYS[2:5]]
    for s in senders:
        w3.eth.wait_for_transaction_receipt(token.functions.transfer(s.address, 10**21).transact({"from": owner.address}),
                                            timeout=30, poll_latency=0.05)

    def call(rng, nonce):
        if rng.random() < 0.7:
            to, data = token.address, token.encode_abi("transfer", [Account.create().address, rng.randint(1, 10**6)])
        else:
            to, data = counter.address, counter.encode_abi("bump", [rng.randint(1, 100)])
        return {"to": to, "data": data, "value": 0, "gas": 120_000, "maxFeePerGas": 10**10,
                "maxPriorityFeePerGas": 10**9, "nonce": nonce, "chainId": 1337, "type": 2}

    served = load_then_kill(node, senders, call)
    failed = [h for h, r in served.items() if r["status"] != "0x1"]
    assert not failed, f"calls that failed: {failed[:5]}"

    node.start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    check_served_after_restart(w3, served, ["blockHash", "blockNumber", "logs", "status", "gasUsed"])
    rpc = lambda method, params: w3.provider.make_request(method, params)["result"]
    alloc, checked = reexecute(rpc, cancun_spec[1])
    assert checked > 5
    compare_state(rpc, alloc)
    print(f"kill -9 under contract calls: {len(served)} receipts served before the kill, {checked} blocks re-executed")
