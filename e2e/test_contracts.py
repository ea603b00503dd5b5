"""Contracts on the dev chain, the way a web3.py user deploys and uses them: a Vyper contract
compiled during the test, deployed with fees and gas from the node, called, transacted with,
its events read, and a revert reason surfaced as web3.py's ContractLogicError."""
import os

import pytest
import vyper
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS, fee_paid

HERE = os.path.dirname(os.path.abspath(__file__))


def compile_counter():
    with open(os.path.join(HERE, "contracts", "Counter.vy")) as f:
        source = f.read()
    out = vyper.compile_code(source, output_formats=["abi", "bytecode"])
    return out["abi"], out["bytecode"]


def test_deploy_call_transact_events_and_revert_reason(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    user = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(user), layer=0)
    abi, bytecode = compile_counter()
    Counter = w3.eth.contract(abi=abi, bytecode=bytecode)

    # Deploy: web3.py estimates the gas and takes the fees from the node.
    tx_hash = Counter.constructor(5).transact({"from": user.address})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1
    address = receipt["contractAddress"]
    assert address is not None
    assert len(w3.eth.get_code(address)) > 0
    counter = w3.eth.contract(address=address, abi=abi)
    assert counter.functions.count().call() == 5
    assert counter.functions.owner().call() == user.address

    # A call returns the value without a transaction; a transaction changes storage and logs.
    assert counter.functions.bump(3).call({"from": user.address}) == 8
    receipt = w3.eth.wait_for_transaction_receipt(counter.functions.bump(3).transact({"from": user.address}),
                                                  timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1
    assert counter.functions.count().call() == 8
    assert int.from_bytes(w3.eth.get_storage_at(address, 0), "big") == 8
    events = counter.events.Bumped().process_receipt(receipt)
    assert [(e["args"]["who"], e["args"]["value"]) for e in events] == [(user.address, 8)]
    logs = w3.eth.get_logs({"address": address, "fromBlock": 0})
    assert len(logs) == 1 and logs[0]["transactionHash"] == receipt["transactionHash"]

    # A revert: eth_call and eth_estimateGas answer the reason; web3.py raises ContractLogicError.
    with pytest.raises(ContractLogicError, match="count would go below zero"):
        counter.functions.drop(100).call({"from": user.address})
    with pytest.raises(ContractLogicError, match="count would go below zero"):
        counter.functions.drop(100).estimate_gas({"from": user.address})

    # A transaction that reverts on chain is included with status 0 and charged.
    nonce = w3.eth.get_transaction_count(user.address, "pending")
    tip = w3.eth.max_priority_fee
    fee = tip + 2 * w3.eth.get_block("latest")["baseFeePerGas"]
    failing = counter.functions.drop(100).build_transaction({"from": user.address, "gas": 100_000, "nonce": nonce,
                                                              "maxFeePerGas": fee, "maxPriorityFeePerGas": tip})
    before = w3.eth.get_balance(user.address)
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(user.sign_transaction(failing).raw_transaction), timeout=20, poll_latency=0.05)
    assert receipt["status"] == 0
    assert 21_000 < receipt["gasUsed"] < 100_000
    assert w3.eth.get_balance(user.address) == before - fee_paid(receipt)
    assert counter.functions.count().call() == 8
