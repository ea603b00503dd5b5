"""Scroll's execution rules end to end, the way a web3.py user meets them on the dev chain
(chains/dev.json runs "scroll-galileo"): the L1 data fee set through the L1GasPriceOracle
predeploy with ordinary transactions and charged exactly, PREVRANDAO 0, BLOCKHASH from the
EIP-2935 history contract, SELFDESTRUCT failing, blob transactions refused, EIP-7702 delegation
with eth-account's authorizations; and on a "scroll-darwin" spec, Curie's L1 fee formula and
the keccak(chain id, number) BLOCKHASH, recomputed here independently."""
import os

import subprocess
import sys

import pytest
import rlp
import vyper
from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS, ROOT, fee_paid, l1_fee

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = Web3.to_checksum_address("0x5300000000000000000000000000000000000002")
WHITELIST = Web3.to_checksum_address("0x5300000000000000000000000000000000000003")
FEE_VAULT = Web3.to_checksum_address("0x5300000000000000000000000000000000000005")
HISTORY = Web3.to_checksum_address("0x0000F90827F1C53a10cb7A02335B175320002935")
PRECISION = 10**9


def compile_file(path):
    with open(path) as f:
        out = vyper.compile_code(f.read(), output_formats=["abi", "bytecode"])
    return out["abi"], out["bytecode"]


def predeploy(w3, name, address):
    abi, _ = compile_file(os.path.join(ROOT, "contracts", "predeploys", name + ".vy"))
    return w3.eth.contract(address=address, abi=abi)


def client(node, key):
    w3 = Web3(Web3.HTTPProvider(node.url))
    account = Account.from_key(key)
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(account), layer=0)
    return w3, account


def wait(w3, tx_hash):
    return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=20, poll_latency=0.05)


def deploy(w3, account, name):
    abi, bytecode = compile_file(os.path.join(HERE, "contracts", name + ".vy"))
    receipt = wait(w3, w3.eth.contract(abi=abi, bytecode=bytecode).constructor().transact({"from": account.address}))
    assert receipt["status"] == 1
    return w3.eth.contract(address=receipt["contractAddress"], abi=abi)


def oracle_values(w3, block="latest"):
    word = lambda slot: int.from_bytes(w3.eth.get_storage_at(ORACLE, slot, block), "big")
    return {"l1BaseFee": word(1), "l1BlobBaseFee": word(5), "commitScalar": word(6), "blobScalar": word(7),
            "penaltyFactor": word(10)}


def raw_transaction(w3, tx_hash):
    raw = w3.provider.make_request("debug_getRawTransaction", [tx_hash.to_0x_hex()])["result"]
    return bytes.fromhex(raw[2:])


def galileo_fee(o, compressed_size):
    fpb = o["commitScalar"] * o["l1BaseFee"] + o["blobScalar"] * o["l1BlobBaseFee"]
    factor = o["penaltyFactor"] or 1
    return min((fpb * compressed_size + fpb * compressed_size * compressed_size // factor) // PRECISION, 2**64 - 1)


def assert_alone_in_block(w3, receipt):
    assert len(w3.eth.get_block(receipt["blockNumber"])["transactions"]) == 1


def test_l1_fee_set_through_the_oracle_is_charged_exactly(node):
    w3, owner = client(node, KEYS[0])
    oracle = predeploy(w3, "L1GasPriceOracle", ORACLE)
    whitelist = predeploy(w3, "Whitelist", WHITELIST)
    assert oracle.functions.owner().call() == owner.address
    assert oracle.functions.l1BaseFee().call() == 10**9  # the dev genesis values (scripts/predeploys.py)

    # The owner sets the L1 fee parameters with ordinary transactions; every one is logged.
    for call in [oracle.functions.setL1BaseFeeAndBlobBaseFee(2 * 10**9, 5), oracle.functions.setCommitScalar(2 * 10**10),
                 oracle.functions.setBlobScalar(3 * 10**9), oracle.functions.setPenaltyFactor(2 * 10**9)]:
        receipt = wait(w3, call.transact({"from": owner.address}))
        assert receipt["status"] == 1 and len(receipt["logs"]) >= 1
    values = oracle_values(w3)
    assert values == {"l1BaseFee": 2 * 10**9, "l1BlobBaseFee": 5, "commitScalar": 2 * 10**10, "blobScalar": 3 * 10**9,
                      "penaltyFactor": 2 * 10**9}

    # Anyone else is refused, until the whitelist allows them to update the L1 base fee.
    relayer_w3, relayer = client(node, KEYS[2])
    relayer_oracle = predeploy(relayer_w3, "L1GasPriceOracle", ORACLE)
    with pytest.raises(ContractLogicError, match="Not whitelisted sender"):
        relayer_oracle.functions.setL1BaseFee(3 * 10**9).call({"from": relayer.address})
    assert wait(w3, whitelist.functions.updateWhitelistStatus([relayer.address], True).transact({"from": owner.address}))["status"] == 1
    assert wait(relayer_w3, relayer_oracle.functions.setL1BaseFee(3 * 10**9).transact({"from": relayer.address}))["status"] == 1
    with pytest.raises(ContractLogicError, match="caller is not the owner"):
        relayer_oracle.functions.setCommitScalar(1).call({"from": relayer.address})
    values = oracle_values(w3)
    assert values["l1BaseFee"] == 3 * 10**9

    # A user's transfers, both types, fees from the node: each receipt shows the L1 fee, the
    # sender's balance falls by value + gas + L1 fee exactly, the fee vault gets gas + L1 fee.
    user_w3, user = client(node, KEYS[3])
    recipient = Account.create().address
    for kind in ("eip1559", "legacy"):
        before = user_w3.eth.get_balance(user.address)
        request = {"from": user.address, "to": recipient, "value": 12345}
        if kind == "legacy":
            request["gasPrice"] = user_w3.eth.gas_price
        receipt = wait(user_w3, user_w3.eth.send_transaction(request))
        assert receipt["status"] == 1 and receipt["type"] == (2 if kind == "eip1559" else 0)
        fee = l1_fee(receipt)
        assert fee > 0, receipt
        assert user_w3.eth.get_balance(user.address) == before - 12345 - fee_paid(receipt)
        assert_alone_in_block(w3, receipt)
        n = receipt["blockNumber"]
        assert w3.eth.get_balance(FEE_VAULT, n) - w3.eth.get_balance(FEE_VAULT, n - 1) == fee_paid(receipt)
        # Galileo's formula over some compressed size c <= the signed transaction's length.
        raw = raw_transaction(w3, receipt["transactionHash"])
        sizes = [c for c in range(1, len(raw) + 1) if galileo_fee(values, c) == fee]
        assert sizes, f"L1 fee {fee} is not Galileo's formula for any compressed size up to {len(raw)} bytes"

    # The pool counts the L1 fee in the funds it asks for: a sender who can pay gas and value
    # but not the L1 fee is refused.
    poor = Account.create()
    base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
    max_fee = 2 * base_fee + 10**9
    assert wait(w3, w3.eth.send_transaction({"from": owner.address, "to": poor.address, "value": 21_000 * max_fee}))["status"] == 1
    tx = {"to": recipient, "value": 0, "gas": 21_000, "maxFeePerGas": max_fee, "maxPriorityFeePerGas": 10**9,
          "nonce": 0, "chainId": 1337}
    with pytest.raises(Exception, match="insufficient funds"):
        w3.eth.send_raw_transaction(poor.sign_transaction(tx).raw_transaction)
    assert wait(w3, w3.eth.send_transaction({"from": owner.address, "to": poor.address, "value": 10**15}))["status"] == 1
    assert wait(w3, w3.eth.send_raw_transaction(poor.sign_transaction(tx).raw_transaction))["status"] == 1


def test_prevrandao_blockhash_selfdestruct_and_blob_transactions(node):
    w3, user = client(node, KEYS[1])
    probe = deploy(w3, user, "ScrollProbe")
    for _ in range(2):  # a few blocks to look back on
        wait(w3, w3.eth.send_transaction({"from": user.address, "to": user.address, "value": 1}))
    head = w3.eth.block_number
    assert head >= 3
    assert probe.functions.prevrandao().call() == bytes(32)
    # From Feynman BLOCKHASH reads EIP-2935's history contract, which the node writes before
    # each block: the true hashes of the last 256 blocks, nothing for older or current ones.
    parent = w3.eth.get_block(head - 1)
    assert probe.functions.hash_of(head - 1).call(block_identifier=head) == parent["hash"]
    assert w3.eth.get_storage_at(HISTORY, (head - 1) % 8191, head) == parent["hash"]
    assert probe.functions.hash_of(head - 2).call(block_identifier=head) == w3.eth.get_block(head - 2)["hash"]
    # SELFDESTRUCT is not activated on Scroll: the call fails and uses all its gas; the code stays.
    receipt = wait(w3, probe.functions.destroy().transact({"from": user.address, "gas": 100_000}))
    assert receipt["status"] == 0 and receipt["gasUsed"] == 100_000
    assert len(w3.eth.get_code(probe.address)) > 0
    # A blob (type 3) transaction is refused with a message that says so.
    response = w3.provider.make_request("eth_sendRawTransaction", ["0x03" + "c0"])
    assert "blob transactions (type 0x03) are not accepted" in response["error"]["message"], response


def test_eip7702_delegation_with_eth_account_authorizations(node):
    w3, sponsor = client(node, KEYS[1])
    delegate = deploy(w3, sponsor, "Delegate")
    authority = Account.from_key(KEYS[4])
    chain_id = w3.eth.chain_id
    base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
    fees = {"maxFeePerGas": 2 * base_fee + 10**9, "maxPriorityFeePerGas": 10**9}

    def set_code(address, nonce_offset=0):
        auth = authority.sign_authorization({"chainId": chain_id, "address": address,
                                             "nonce": w3.eth.get_transaction_count(authority.address) + nonce_offset})
        data = delegate.encode_abi("bump", [])
        # eth_estimateGas with the authorization list (as viem and ethers send it): the estimate
        # covers the authorization and the delegated call, so the transaction runs with exactly it.
        rpc_auth = {"chainId": hex(auth.chain_id), "address": Web3.to_checksum_address(auth.address), "nonce": hex(auth.nonce),
                    "yParity": hex(auth.y_parity), "r": hex(auth.r), "s": hex(auth.s)}
        estimate = w3.provider.make_request("eth_estimateGas", [{
            "from": sponsor.address, "to": authority.address, "data": "0x" + bytes.fromhex(data[2:]).hex(),
            "maxFeePerGas": hex(fees["maxFeePerGas"]), "maxPriorityFeePerGas": hex(fees["maxPriorityFeePerGas"]),
            "authorizationList": [rpc_auth]}])
        gas = int(estimate["result"], 16)
        assert gas >= 21_000 + 25_000, estimate
        tx = {"type": 4, "chainId": chain_id, "nonce": w3.eth.get_transaction_count(sponsor.address), "to": authority.address,
              "value": 0, "data": data, "gas": gas, "accessList": [],
              "authorizationList": [auth], **fees}
        return wait(w3, w3.eth.send_raw_transaction(sponsor.sign_transaction(tx).raw_transaction)), auth

    authority_nonce = w3.eth.get_transaction_count(authority.address)
    receipt, auth = set_code(delegate.address)
    assert receipt["status"] == 1 and receipt["type"] == 4
    assert l1_fee(receipt) > 0
    # The authority's account now holds the designator and runs the delegate's code on its own storage.
    assert w3.eth.get_code(authority.address) == b"\xef\x01\x00" + bytes.fromhex(delegate.address[2:])
    assert w3.eth.get_transaction_count(authority.address) == authority_nonce + 1
    as_delegate = w3.eth.contract(address=authority.address, abi=delegate.abi)
    assert as_delegate.functions.count().call() == 1
    assert as_delegate.functions.whoami().call() == authority.address
    assert delegate.functions.count().call() == 0
    logs = as_delegate.events.Bumped().process_receipt(receipt)
    assert [(e["address"], e["args"]["count"]) for e in logs] == [(authority.address, 1)]
    served = w3.eth.get_transaction(receipt["transactionHash"])
    assert served["type"] == 4
    [item] = served["authorizationList"]
    assert (item["address"], item["nonce"], item["chainId"]) == (delegate.address, authority_nonce, chain_id)
    assert (item["r"], item["s"], item["yParity"]) == (auth.r, auth.s, auth.y_parity)
    # Anyone calling the authority runs the delegate's code.
    assert wait(w3, as_delegate.functions.bump().transact({"from": sponsor.address}))["status"] == 1
    assert as_delegate.functions.count().call() == 2
    # A delegated account still sends its own transactions.
    own_w3, _ = client(node, KEYS[4])
    assert wait(own_w3, own_w3.eth.send_transaction({"from": authority.address, "to": sponsor.address, "value": 1}))["status"] == 1
    # An authorization for the zero address clears the code (the storage stays).
    receipt, _ = set_code("0x" + "00" * 20)
    assert receipt["status"] == 1
    assert w3.eth.get_code(authority.address) == b""
    assert int.from_bytes(w3.eth.get_storage_at(authority.address, 0), "big") == 2
    # A type-4 transaction without authorizations is refused (eth-account will not sign one:
    # built here with rlp and signed over its EIP-7702 signing hash).
    fields = [chain_id, w3.eth.get_transaction_count(sponsor.address), fees["maxPriorityFeePerGas"], fees["maxFeePerGas"],
              100_000, bytes.fromhex(authority.address[2:]), 0, b"", [], []]
    signed = Account.unsafe_sign_hash(keccak(b"\x04" + rlp.encode(fields)), KEYS[1])
    raw = b"\x04" + rlp.encode(fields + [signed.v - 27 if signed.v >= 27 else signed.v, signed.r, signed.s])
    response = w3.provider.make_request("eth_sendRawTransaction", ["0x" + raw.hex()])
    assert "EIP-7702 transaction with empty auth list" in response["error"]["message"], response


def test_dev_chain_predeploys_are_the_compiled_sources():
    """chains/dev.json's predeploy code is what contracts/predeploys/*.vy compile to now."""
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "predeploys.py"), "--check",
                             os.path.join(ROOT, "chains", "dev.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_darwin_curie_fee_formula_and_chain_id_blockhash(node_factory, dev_spec_with_rules):
    node = node_factory(chain=dev_spec_with_rules("scroll-darwin")[0]).start()
    w3, user = client(node, KEYS[1])
    probe = deploy(w3, user, "ScrollProbe")
    values = oracle_values(w3)
    receipt = wait(w3, w3.eth.send_transaction({"from": user.address, "to": Account.create().address, "value": 1}))
    raw = raw_transaction(w3, receipt["transactionHash"])
    # Curie (and Darwin): (commitScalar × l1BaseFee + len × l1BlobBaseFee × blobScalar) / 1e9.
    expected = (values["commitScalar"] * values["l1BaseFee"] + len(raw) * values["l1BlobBaseFee"] * values["blobScalar"]) // PRECISION
    assert l1_fee(receipt) == expected > 0
    # Before Feynman BLOCKHASH is keccak256(chain id as 8 bytes ‖ number as 8 bytes).
    head = w3.eth.block_number
    expected_hash = keccak(w3.eth.chain_id.to_bytes(8, "big") + (head - 1).to_bytes(8, "big"))
    assert probe.functions.hash_of(head - 1).call(block_identifier=head) == expected_hash
    assert probe.functions.prevrandao().call() == bytes(32)
