"""eth_call / eth_estimateGas with geth's state overrides (balance, code, state, stateDiff)
and block overrides (number, time), as web3.py and ethers send them; nothing they override is
written to the chain."""
from eth_account import Account
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS
from test_contract_chain import deploy

# Runtime code returning NUMBER ++ TIMESTAMP ++ BALANCE(CALLER): NUMBER PUSH0 MSTORE TIMESTAMP
# PUSH1 32 MSTORE CALLER BALANCE PUSH1 64 MSTORE PUSH1 96 PUSH0 RETURN.
PROBE = "0x435f52426020523331604052" + "60605ff3"


def test_state_and_block_overrides(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    alice = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
    counter, _ = deploy(w3, "Counter", alice.address, 5)
    call = lambda *p: w3.provider.make_request("eth_call", list(p))

    # stateDiff changes one slot; state replaces the whole storage (owner, slot 1, reads zero).
    count = counter.encode_abi("count", [])
    word = lambda n: "0x" + n.to_bytes(32, "big").hex()
    assert call({"to": counter.address, "data": count}, "latest", {counter.address: {"stateDiff": {word(0): word(42)}}})["result"] == word(42)
    owner = counter.encode_abi("owner", [])
    assert call({"to": counter.address, "data": owner}, "latest", {counter.address: {"state": {word(0): word(1)}}})["result"] == word(0)
    assert counter.functions.count().call() == 5 and counter.functions.owner().call() == alice.address

    # code: a contract at an address that has none; balance: a poor sender pays for a value call.
    probe = Web3.to_checksum_address("0x00000000000000000000000000000000000000c0")
    poor = Account.create().address
    out = call({"from": poor, "to": probe}, "latest", {probe: {"code": PROBE}, poor: {"balance": hex(10**18)}})["result"]
    number, timestamp, balance = (int(out[2 + 64 * i: 66 + 64 * i], 16) for i in range(3))
    head = w3.eth.get_block("latest")
    assert (number, timestamp, balance) == (head["number"], head["timestamp"], 10**18)
    out = call({"from": poor, "to": probe}, "latest", {probe: {"code": PROBE}}, {"number": hex(10**6), "time": hex(1234)})["result"]
    assert int(out[2:66], 16) == 10**6 and int(out[66:130], 16) == 1234
    assert w3.eth.get_code(probe) == b""

    # A sender without funds cannot send value, until its balance is overridden; estimateGas too.
    refused = call({"from": poor, "to": alice.address, "value": hex(10**17), "gasPrice": hex(w3.eth.gas_price)}, "latest")
    assert "insufficient funds" in refused["error"]["message"]
    request = {"from": poor, "to": alice.address, "value": hex(10**17), "gasPrice": hex(w3.eth.gas_price)}
    assert w3.provider.make_request("eth_estimateGas", [request, "latest", {poor: {"balance": hex(10**18)}}])["result"] == "0x5208"

    # web3.py's own state_override argument.
    assert counter.functions.count().call(state_override={counter.address: {"stateDiff": {word(0): word(9)}}}) == 9
