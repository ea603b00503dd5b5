"""The ERC-20 benchmark's chain spec (scripts/bench/erc20_spec.py) gives every bench sender its
token balance through genesis storage in Vyper's layout, and a transfer from one succeeds."""
import json
import os
import sys

from eth_account import Account
from eth_utils import keccak
from web3 import Web3

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "scripts", "bench"))
import erc20_spec  # noqa: E402
from test_contract_chain import compile_contract  # noqa: E402


def test_every_sender_holds_tokens_and_can_transfer(node_factory, datadir):
    path = os.path.join(datadir, "bench-erc20.json")
    with open(path, "w") as f:
        json.dump(erc20_spec.make_spec(senders=16), f)
    node = node_factory(chain=path).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    abi, _ = compile_contract("Token")
    token = w3.eth.contract(address=erc20_spec.TOKEN, abi=abi)
    assert token.functions.totalSupply().call() == 16 * erc20_spec.BALANCE
    assert token.functions.decimals().call() == 18
    for i in (0, 7, 15):
        assert token.functions.balanceOf(erc20_spec.sender_address(i)).call() == erc20_spec.BALANCE
    assert token.functions.balanceOf(erc20_spec.sender_address(16)).call() == 0
    sender = Account.from_key(keccak(b"rollup-node bench sender 3"))
    tx = token.functions.transfer(erc20_spec.sender_address(4), 1).build_transaction(
        {"from": sender.address, "nonce": 0, "gas": 100_000, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9,
         "chainId": w3.eth.chain_id})
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction),
                                                  timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1 and receipt["gasUsed"] == 34_050  # the figure erc20_spec.py's docstring gives
    assert token.functions.balanceOf(erc20_spec.sender_address(4)).call() == erc20_spec.BALANCE + 1
    print(f"gas used by a bench ERC-20 transfer: {receipt['gasUsed']}")
