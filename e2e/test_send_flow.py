"""web3.py and eth-account drive the whole send flow against a development sequencer, the
way an application developer would."""
from eth_account import Account
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from chain import block_hash, recover_signer, signature_digest
from conftest import KEYS, SIGNER, fee_paid, l1_fee

RECIPIENT = "0x000000000000000000000000000000000000bEEF"


def test_web3_sends_eip1559_and_legacy_transfers_with_exact_balances(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    assert w3.is_connected()
    assert w3.eth.chain_id == 1337
    sender = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(sender), layer=0)

    start_sender = w3.eth.get_balance(sender.address)
    start_recipient = w3.eth.get_balance(RECIPIENT)
    nonce = w3.eth.get_transaction_count(sender.address, "pending")
    assert nonce == 0

    # EIP-1559, every field filled in by web3.py from the node (chain id, nonce, gas, fees).
    h1 = w3.eth.send_transaction({"from": sender.address, "to": RECIPIENT, "value": Web3.to_wei(1, "ether")})
    r1 = w3.eth.wait_for_transaction_receipt(h1, timeout=15, poll_latency=0.1)
    assert r1["status"] == 1
    assert r1["type"] == 2
    assert r1["gasUsed"] == 21_000
    assert w3.eth.get_transaction_count(sender.address, "pending") == 1

    # Legacy, signed by eth-account with an explicit gas price.
    legacy = sender.sign_transaction({
        "to": RECIPIENT, "value": 12345, "gas": 21_000, "gasPrice": w3.eth.gas_price,
        "nonce": w3.eth.get_transaction_count(sender.address, "pending"), "chainId": 1337,
    })
    h2 = w3.eth.send_raw_transaction(legacy.raw_transaction)
    r2 = w3.eth.wait_for_transaction_receipt(h2, timeout=15, poll_latency=0.1)
    assert r2["status"] == 1
    assert r2["type"] == 0

    # Balances move by exactly the values and the fees the receipts report: gas and, on the
    # dev chain's Scroll rules, the L1 data fee (receipts' l1Fee).
    assert l1_fee(r1) > 0 and l1_fee(r2) > 0
    fees = fee_paid(r1) + fee_paid(r2)
    assert w3.eth.get_balance(RECIPIENT) == start_recipient + Web3.to_wei(1, "ether") + 12345
    assert w3.eth.get_balance(sender.address) == start_sender - Web3.to_wei(1, "ether") - 12345 - fees

    # The transactions are where the receipts say.
    tx = w3.eth.get_transaction(h1)
    assert tx["blockHash"] == r1["blockHash"] and tx["from"] == sender.address
    block = w3.eth.get_block(r1["blockNumber"], full_transactions=False)
    assert h1 in block["transactions"]


def test_block_hashes_and_signatures_check_out(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    sender = Account.from_key(KEYS[2])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(sender), layer=0)
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_transaction({"from": sender.address, "to": RECIPIENT, "value": 1}), timeout=15, poll_latency=0.1)
    head = w3.eth.block_number
    assert head >= 1
    for number in range(1, head + 1):
        raw = w3.provider.make_request("eth_getBlockByNumber", [hex(number), False])["result"]
        assert block_hash(raw).hex() == raw["hash"].removeprefix("0x"), f"block {number}: hash does not match its header"
        sig = w3.provider.make_request("rollupNode_getBlockSignature", [hex(number)])["result"]
        digest = signature_digest(raw)
        assert recover_signer(digest, sig["signature"]) == SIGNER, f"block {number}: signature does not recover to the signer"
    assert receipt["blockNumber"] <= head
