"""Fuzz of eth_sendRawTransaction: signed, near-valid transactions from one funded account with
random fee, gas, nonce and value fields. Each must be accepted or refused with a -32000 verdict
(never an internal error), and afterwards the account must not be stuck: its executable
transactions drain, and a valid transaction at the nonce a wallet would use and priced by the node's suggestions is included within three
blocks.

Seeded and replayable: RN_FUZZ_SEED picks the seed (printed on failure)."""
import os
import random
import time

from eth_account import Account
from web3 import Web3
from web3.exceptions import Web3RPCError

from conftest import KEYS

RECIPIENT = "0x000000000000000000000000000000000000bEEF"
MIN_BASE_FEE = 10_000_000  # chains/dev.json baseFee.minimum
U256_MAX = 2**256 - 1


def rpc(w3, method, params):
    reply = w3.provider.make_request(method, params)
    return reply.get("result"), reply.get("error")


def random_fields(rng, w3, sender, balance):
    """A valid transfer with one to three of its fields replaced by edge values."""
    nonce = w3.eth.get_transaction_count(sender.address, "pending")
    base = w3.eth.get_block("latest")["baseFeePerGas"]
    fees = [0, 1, MIN_BASE_FEE - 1, MIN_BASE_FEE, base - 1, base, 2 * base, 10**30, rng.randrange(0, 4 * base + 1)]
    legacy = rng.random() < 0.5
    tx = {"to": RECIPIENT, "chainId": 1337, "nonce": nonce, "gas": 21_000, "value": rng.randrange(0, 10**18)}
    if legacy:
        tx["gasPrice"] = 2 * base
    else:
        tx["maxFeePerGas"], tx["maxPriorityFeePerGas"] = 2 * base + 10**6, 10**6
    edits = {
        "nonce": lambda: rng.choice([max(nonce - 1, 0), nonce + 1, nonce + 5, nonce + 100, 2**64 - 1]),
        "gas": lambda: rng.choice([0, 20_999, 25_000, 30_000_000, 30_000_001, 2**63]),
        "value": lambda: rng.choice([0, balance // 2, balance, balance + 1, 2**255]),
        "fee": lambda: rng.choice(fees),
        "tip": lambda: rng.choice([0, 1, 10**6, 10**30]),
        "data": lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))),
    }
    for field in rng.sample(sorted(edits), rng.randrange(1, 4)):
        value = edits[field]()
        if field == "fee":
            tx["gasPrice" if legacy else "maxFeePerGas"] = value
        elif field == "tip":
            if not legacy:
                tx["maxPriorityFeePerGas"] = value
        else:
            tx[field] = value
    return tx


def test_fuzzed_raw_transactions_never_wedge_their_sender(node):
    seed = int(os.environ.get("RN_FUZZ_SEED", "20261203"))
    rng = random.Random(seed)
    w3 = Web3(Web3.HTTPProvider(node.url))
    sender = Account.from_key(KEYS[2])
    verdicts = {}
    for i in range(150):
        balance = w3.eth.get_balance(sender.address)
        tx = random_fields(rng, w3, sender, balance)
        try:
            raw = sender.sign_transaction(tx).raw_transaction
        except Exception:
            continue  # eth-account refuses a field combination: not the node's concern
        result, error = rpc(w3, "eth_sendRawTransaction", ["0x" + raw.hex().removeprefix("0x")])
        if error is None:
            verdicts["accepted"] = verdicts.get("accepted", 0) + 1
        else:
            assert error["code"] == -32000, f"seed {seed} #{i}: {tx} -> {error}"
            verdicts[error["message"].split(":")[0]] = verdicts.get(error["message"].split(":")[0], 0) + 1
    print(f"seed {seed}: {verdicts}")
    assert verdicts.get("accepted", 0) > 0 and len(verdicts) > 3, verdicts

    # A wallet's next transaction (nonce from eth_getTransactionCount "pending", fees from the
    # node's suggestions) must get in within three blocks: nothing the fuzz left in the pool
    # may hold it up.
    # First the fuzz's own executable transactions must drain (a stuck one never does; some
    # ask for a whole block's gas and take a block each).
    deadline = time.time() + 30
    while w3.eth.get_transaction_count(sender.address) != w3.eth.get_transaction_count(sender.address, "pending"):
        if time.time() > deadline:
            inspect, _ = rpc(w3, "txpool_inspect", [])
            raise AssertionError(f"seed {seed}: the sender's pending transactions did not drain: {inspect}")
        time.sleep(0.1)
    nonce = w3.eth.get_transaction_count(sender.address, "pending")
    tip = w3.eth.max_priority_fee
    max_fee = tip + 2 * w3.eth.get_block("latest")["baseFeePerGas"]
    raw = sender.sign_transaction({"to": RECIPIENT, "value": 1, "gas": 21_000, "nonce": nonce, "chainId": 1337,
                                   "maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip}).raw_transaction
    sent_at = w3.eth.block_number
    try:
        h = w3.eth.send_raw_transaction(raw)
    except Web3RPCError as e:
        inspect, _ = rpc(w3, "txpool_inspect", [])
        raise AssertionError(f"seed {seed}: the wallet's next transaction (nonce {nonce}) was refused: {e}; pool: {inspect}")
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1
    assert receipt["blockNumber"] <= sent_at + 3, f"seed {seed}: included in {receipt['blockNumber']}, sent at {sent_at}"
