"""eth_call / eth_estimateGas answers as web3.py and ethers read them: a custom error's selector and
arguments in `data` (web3.py's ContractCustomError), and estimates that are enough exactly: with a
refund, through nested calls (the 63/64 reserve), and close to the gas used when neither is
involved."""
import pytest
from eth_abi import decode
from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from web3.exceptions import ContractCustomError
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS
from test_contract_chain import deploy, wait


def test_custom_errors_and_exact_estimates(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    alice = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
    counter, _ = deploy(w3, "Counter", alice.address, 5)
    vault, _ = deploy(w3, "Vault", alice.address)

    # A custom error: code 3, "execution reverted", data = selector ++ ABI-encoded arguments.
    reply = w3.provider.make_request("eth_call", [{"to": vault.address, "data": vault.encode_abi("fail_custom", [7, 3])}])
    selector = keccak(b"InsufficientBalance(uint256,uint256)")[:4]
    assert reply["error"]["code"] == 3 and reply["error"]["message"] == "execution reverted"
    data = bytes.fromhex(reply["error"]["data"][2:])
    assert data[:4] == selector and decode(["uint256", "uint256"], data[4:]) == (7, 3)
    with pytest.raises(ContractCustomError) as raised:
        vault.functions.fail_custom(7, 3).call()
    assert selector.hex() in str(raised.value.data)

    # Nested call (the 63/64 reserve): sent with exactly the estimate, it succeeds.
    estimate = vault.functions.poke(counter.address, 1).estimate_gas({"from": alice.address})
    receipt = wait(w3, vault.functions.poke(counter.address, 1).transact({"from": alice.address, "gas": estimate}))
    assert receipt["status"] == 1 and receipt["gasUsed"] < estimate
    # A refund: deposit, then withdraw (clears the slot) with exactly the estimate.
    wait(w3, vault.functions.deposit().transact({"from": alice.address, "value": 10**15}))
    estimate = vault.functions.withdraw().estimate_gas({"from": alice.address})
    receipt = wait(w3, vault.functions.withdraw().transact({"from": alice.address, "gas": estimate}))
    assert receipt["status"] == 1 and receipt["gasUsed"] < estimate
    # Neither: the estimate is at most 10 % above the gas used (here: exactly it).
    estimate = counter.functions.bump(2).estimate_gas({"from": alice.address})
    receipt = wait(w3, counter.functions.bump(2).transact({"from": alice.address, "gas": estimate}))
    assert receipt["status"] == 1 and estimate <= receipt["gasUsed"] * 1.10
    print(f"bump: estimate {estimate}, used {receipt['gasUsed']}")
