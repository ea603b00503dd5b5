"""Contracts on the chain as a web3.py user meets them, then checked by an independent EVM.

Vyper sources in e2e/contracts/ are compiled during the run. One dev node: an ERC-20 (transfer,
approve, transferFrom, Transfer events through receipts and eth_getLogs), a CREATE2 factory whose
child lands at the formula's address, storage clears with refunds, a contract calling another,
ETH sent to a payable contract (a function and a plain transfer) and refused by one without a
payable entry; reads of older blocks' state; then every block re-executed by the Ethereum
execution specification's t8n (e2e/reexecute.py), compared receipt by receipt and on the state
root, and the state outside the served window refused with the block named."""
import json
import os

import pytest
import vyper
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError, Web3RPCError
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS
from reexecute import compare_state, reexecute

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def compile_contract(name):
    with open(os.path.join(HERE, "contracts", f"{name}.vy")) as f:
        out = vyper.compile_code(f.read(), output_formats=["abi", "bytecode"])
    return out["abi"], out["bytecode"]


def wait(w3, tx_hash):
    return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30, poll_latency=0.05)


def deploy(w3, name, sender, *args, **tx):
    abi, bytecode = compile_contract(name)
    receipt = wait(w3, w3.eth.contract(abi=abi, bytecode=bytecode).constructor(*args).transact({"from": sender, **tx}))
    assert receipt["status"] == 1, name
    return w3.eth.contract(address=receipt["contractAddress"], abi=abi), receipt


def signing_client(node, keys):
    """A web3.py client that signs locally for the accounts of `keys` (the node's suggestions
    price them), its accounts, and a raw `rpc(method, params) -> result`."""
    w3 = Web3(Web3.HTTPProvider(node.url))
    accounts = [Account.from_key(k) for k in keys]
    for account in accounts:
        w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(account), layer=0)
    return w3, accounts, (lambda method, params: w3.provider.make_request(method, params)["result"])


def legacy(w3):
    """A type-0 transaction's fields priced by the node's own suggestion."""
    return {"gasPrice": w3.eth.gas_price}


def test_erc20_create2_refunds_payable_history_and_reexecution(cancun_node, cancun_spec):
    node = cancun_node
    w3, (alice, bob, carol), rpc = signing_client(node, KEYS[1:4])

    # ERC-20: the deployer holds the supply; the mint is a Transfer from the zero address.
    supply = 10**24
    token, receipt = deploy(w3, "Token", alice.address, supply)
    deployed_at = receipt["blockNumber"]
    assert token.functions.totalSupply().call() == supply
    assert token.functions.balanceOf(alice.address).call() == supply
    assert [e["args"]["value"] for e in token.events.Transfer().process_receipt(receipt)] == [supply]

    receipt = wait(w3, token.functions.transfer(bob.address, 100).transact({"from": alice.address}))
    transferred_at = receipt["blockNumber"]
    (event,) = token.events.Transfer().process_receipt(receipt)
    assert (event["args"]["sender"], event["args"]["receiver"], event["args"]["value"]) == (alice.address, bob.address, 100)
    assert event["logIndex"] == 0 and event["transactionIndex"] == receipt["transactionIndex"]
    assert event["blockHash"] == receipt["blockHash"] and event["address"] == token.address

    receipt = wait(w3, token.functions.approve(carol.address, 50).transact({"from": alice.address, **legacy(w3)}))
    assert receipt["type"] == 0 and receipt["status"] == 1
    assert token.functions.allowance(alice.address, carol.address).call() == 50
    wait(w3, token.functions.transferFrom(alice.address, carol.address, 30).transact({"from": carol.address}))
    assert token.functions.allowance(alice.address, carol.address).call() == 20
    assert token.functions.balanceOf(carol.address).call() == 30
    with pytest.raises(ContractLogicError, match="transfer amount exceeds allowance"):
        token.functions.transferFrom(alice.address, carol.address, 21).call({"from": carol.address})

    # eth_getLogs with geth's filter semantics: by address and by an indexed argument.
    from_alice = token.events.Transfer.get_logs(from_block=0, argument_filters={"sender": alice.address})
    assert [(e["args"]["receiver"], e["args"]["value"]) for e in from_alice] == [(bob.address, 100), (carol.address, 30)]
    all_logs = w3.eth.get_logs({"address": token.address, "fromBlock": deployed_at, "toBlock": "latest"})
    assert len(all_logs) == 4  # mint, transfer, approval, transferFrom
    assert all(log["removed"] is False for log in all_logs)

    # A transfer of a whole balance clears the slot (a refund): sent with exactly the estimate.
    estimate = token.functions.transfer(alice.address, 100).estimate_gas({"from": bob.address})
    receipt = wait(w3, token.functions.transfer(alice.address, 100).transact({"from": bob.address, "gas": estimate}))
    assert receipt["status"] == 1 and receipt["gasUsed"] <= estimate
    assert token.functions.balanceOf(bob.address).call() == 0

    # CREATE2: the child is at keccak256(0xff ++ factory ++ salt ++ keccak256(init code))[12:].
    factory, _ = deploy(w3, "Factory", alice.address)
    counter_abi, counter_code = compile_contract("Counter")
    init_code = bytes.fromhex(counter_code[2:]) + encode(["uint256"], [7])
    salt = keccak(b"rollup-node e2e")
    expected = to_checksum_address(keccak(b"\xff" + bytes.fromhex(factory.address[2:]) + salt + keccak(init_code))[12:])
    before_create = w3.eth.block_number
    assert factory.functions.create(init_code, salt).call({"from": alice.address}) == expected
    receipt = wait(w3, factory.functions.create(init_code, salt).transact({"from": alice.address}))
    created_at = receipt["blockNumber"]
    (created,) = factory.events.Created().process_receipt(receipt)
    assert created["args"]["child"] == expected
    child = w3.eth.contract(address=expected, abi=counter_abi)
    assert child.functions.count().call() == 7 and child.functions.owner().call() == factory.address
    # The same salt and code again collide: the call reverts (raw_create fails) and nothing changes.
    with pytest.raises(ContractLogicError):
        factory.functions.create(init_code, salt).call({"from": alice.address})

    # A payable contract: a function and a plain transfer; a call into another contract; a
    # withdrawal that clears the slot and sends the ETH back.
    vault, _ = deploy(w3, "Vault", alice.address)
    before_deposit = w3.eth.block_number
    wait(w3, vault.functions.deposit().transact({"from": bob.address, "value": 10**18}))
    receipt = wait(w3, w3.eth.send_transaction({"from": bob.address, "to": vault.address, "value": 5 * 10**17}))
    assert receipt["status"] == 1
    assert w3.eth.get_balance(vault.address) == 15 * 10**17
    assert vault.functions.deposits(bob.address).call() == 15 * 10**17
    receipt = wait(w3, vault.functions.poke(child.address, 5).transact({"from": carol.address}))
    bumped = child.events.Bumped().process_receipt(receipt)
    assert [(e["args"]["who"], e["args"]["value"], e["address"]) for e in bumped] == [(vault.address, 12, child.address)]
    balance = w3.eth.get_balance(bob.address)
    estimate = vault.functions.withdraw().estimate_gas({"from": bob.address})
    receipt = wait(w3, vault.functions.withdraw().transact({"from": bob.address, "gas": estimate}))
    assert receipt["status"] == 1
    assert w3.eth.get_balance(vault.address) == 0
    assert w3.eth.get_balance(bob.address) == balance + 15 * 10**17 - receipt["gasUsed"] * receipt["effectiveGasPrice"]
    # The token has no payable entry: a plain transfer to it cannot succeed.
    with pytest.raises((ContractLogicError, Web3RPCError)):
        w3.eth.estimate_gas({"from": bob.address, "to": token.address, "value": 1})

    # Older blocks' state: balances, storage, code and calls as they were.
    assert token.functions.balanceOf(bob.address).call(block_identifier=transferred_at - 1) == 0
    assert token.functions.balanceOf(bob.address).call(block_identifier=transferred_at) == 100
    assert w3.eth.get_code(token.address, deployed_at - 1) == b""
    assert w3.eth.get_code(expected, before_create) == b""
    assert len(w3.eth.get_code(expected, "latest")) > 0
    assert int.from_bytes(w3.eth.get_storage_at(expected, 0, created_at), "big") == 7  # Counter.count
    assert int.from_bytes(w3.eth.get_storage_at(expected, 0), "big") == 12
    assert w3.eth.get_balance(vault.address, before_deposit) == 0
    block = w3.eth.get_block(transferred_at)
    assert token.functions.balanceOf(bob.address).call(block_identifier=block["hash"]) == 100
    assert w3.eth.get_transaction_count(alice.address, deployed_at - 1) == w3.eth.get_transaction_count(alice.address, deployed_at) - 1

    # Re-execution by the Ethereum specification's EVM: every receipt and state root agrees.
    alloc, checked = reexecute(rpc, cancun_spec[1])
    assert checked >= 12
    compare_state(rpc, alloc)

    # Outside the served window (the head and 128 blocks below it) the node names the block.
    w3.provider.make_request("anvil_mine", [hex(130)])
    reply = w3.provider.make_request("eth_getBalance", [alice.address, hex(deployed_at)])
    message = reply["error"]["message"]
    assert message.startswith("missing trie node ") and f"state of block {deployed_at} " in message, message
    assert "--archive" in message
    assert w3.eth.get_balance(alice.address, w3.eth.block_number - 128) == w3.eth.get_balance(alice.address)


def test_archive_serves_every_block(node_factory):
    node = node_factory(["--archive"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    alice = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
    token, receipt = deploy(w3, "Token", alice.address, 1000)
    w3.provider.make_request("anvil_mine", [hex(200)])
    assert token.functions.totalSupply().call(block_identifier=receipt["blockNumber"]) == 1000
    assert w3.eth.get_code(token.address, receipt["blockNumber"] - 1) == b""
    assert w3.eth.get_transaction_count(alice.address, receipt["blockNumber"] - 1) == 0
    assert w3.eth.get_transaction_count(alice.address, receipt["blockNumber"]) == 1
