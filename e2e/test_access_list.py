"""eth_createAccessList as web3.py calls it: the slots and addresses a call touches (geth's rules:
sender, recipient and precompiles are not listed for being touched, but the slots their code
uses are), gasUsed with the list applied, a transaction sent with that list using exactly that
gas, and a failing call's `error`."""
from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS
from test_contract_chain import deploy, wait


def slot_of(mapping_slot, key_address):
    """Vyper's HashMap location: keccak256(slot ++ key)."""
    return "0x" + keccak(mapping_slot.to_bytes(32, "big") + bytes.fromhex(key_address[2:]).rjust(32, b"\0")).hex()


def test_access_lists_match_what_calls_touch(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    alice, bob = Account.from_key(KEYS[1]), Account.from_key(KEYS[2])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
    token, _ = deploy(w3, "Token", alice.address, 10**24)
    counter, _ = deploy(w3, "Counter", alice.address, 1)
    vault, _ = deploy(w3, "Vault", alice.address)

    # An ERC-20 transfer: the token's two balance slots (balanceOf is slot 6 in Token.vy's layout).
    tx = token.functions.transfer(bob.address, 5).build_transaction({"from": alice.address})
    result = w3.eth.create_access_list({"from": alice.address, "to": token.address, "data": tx["data"]})
    (entry,) = result["accessList"]
    assert entry["address"] == token.address
    assert sorted(str(k) for k in entry["storageKeys"]) == sorted([slot_of(6, alice.address), slot_of(6, bob.address)])
    assert result["gasUsed"] > 21_000 and "error" not in result

    # A contract calling another: the callee is listed with its slot; sending with the list works.
    data = vault.encode_abi("poke", [counter.address, 2])
    result = w3.eth.create_access_list({"from": alice.address, "to": vault.address, "data": data})
    listed = {e["address"]: [str(k) for k in e["storageKeys"]] for e in result["accessList"]}
    assert listed == {counter.address: ["0x" + "00" * 32]}
    # gasUsed is what the call uses with the list (not a gas limit: the 63/64 reserve of the
    # inner call needs more), so the transaction uses exactly that.
    request = {"from": alice.address, "to": vault.address, "data": data, "type": 1, "accessList": result["accessList"],
               "gasPrice": w3.eth.gas_price}
    receipt = wait(w3, w3.eth.send_transaction({**request, "gas": w3.eth.estimate_gas(request)}))
    assert receipt["status"] == 1 and receipt["gasUsed"] == result["gasUsed"]
    without = w3.eth.estimate_gas({"from": alice.address, "to": vault.address, "data": data})
    assert without != w3.eth.estimate_gas(request), "the list changes the cost"

    # A failing call still answers the list, with geth's error.
    failing = w3.provider.make_request("eth_createAccessList", [{"from": alice.address, "to": counter.address,
                                                                 "data": counter.encode_abi("drop", [10**6])}])["result"]
    assert failing["error"] == "execution reverted: count would go below zero"
    assert failing["accessList"] == [{"address": counter.address.lower(), "storageKeys": ["0x" + "00" * 32]}]
