"""The development accounts under --test (issue 15, item 4, first part): a web3.py script written
for anvil (accounts[0], send_transaction, contract deploys with transact, sign_transaction,
eth_sign / personal_sign) runs unchanged; a node without --test refuses with a clear error."""
import os
import subprocess
import time
import urllib.request

import pytest
import vyper
from eth_account import Account
from eth_account.messages import encode_defunct
from web3 import Web3
from web3.exceptions import Web3RPCError

from conftest import BINARY, fee_paid, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
MNEMONIC = "test test test test test test test test test test test junk"


def mnemonic_accounts():
    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(10)]


def test_accounts_are_the_ten_mnemonic_accounts_and_send_transaction_fills_and_signs(node_factory):
    node = node_factory(["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "200"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    expected = mnemonic_accounts()
    assert w3.eth.accounts == [a.address for a in expected]
    a0, a1, a2 = w3.eth.accounts[:3]

    # EIP-1559 by default, everything filled by the node.
    before = w3.eth.get_balance(a1)
    h = w3.eth.send_transaction({"from": a0, "to": a1, "value": 10**15})
    r = w3.eth.wait_for_transaction_receipt(h, timeout=10, poll_latency=0.05)
    assert r["status"] == 1 and r["type"] == 2 and r["from"] == a0
    assert w3.eth.get_balance(a1) == before + 10**15
    # web3.py fills gas (estimate + its 100,000 buffer) and fees itself; sent bare, the node
    # fills them: the estimate, and tip + 2 x the next base fee.
    reply = w3.provider.make_request("eth_sendTransaction", [{"from": a0, "to": a1, "value": "0x1"}])
    tx = w3.eth.get_transaction(w3.eth.wait_for_transaction_receipt(reply["result"], timeout=10, poll_latency=0.05)["transactionHash"])
    assert tx["gas"] == 21000 and tx["type"] == 2
    assert tx["maxPriorityFeePerGas"] == w3.eth.max_priority_fee or tx["maxPriorityFeePerGas"] > 0
    assert tx["maxFeePerGas"] > tx["maxPriorityFeePerGas"]

    # Legacy at the node's gas price; two in a row from one sender get consecutive nonces.
    h1 = w3.eth.send_transaction({"from": a1, "to": a2, "value": 1, "gasPrice": w3.eth.gas_price})
    h2 = w3.eth.send_transaction({"from": a1, "to": a2, "value": 2, "type": 0})
    for h in (h1, h2):
        r = w3.eth.wait_for_transaction_receipt(h, timeout=10, poll_latency=0.05)
        assert r["status"] == 1 and r["type"] == 0
    assert [w3.eth.get_transaction(h)["nonce"] for h in (h1, h2)] == [0, 1]

    # A contract deployed and called as in an anvil tutorial.
    with open(os.path.join(HERE, "contracts", "L1Recorder.vy")) as f:
        out = vyper.compile_code(f.read(), output_formats=["abi", "bytecode"])
    factory = w3.eth.contract(abi=out["abi"], bytecode=out["bytecode"])
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor().transact({"from": a2}), timeout=10, poll_latency=0.05)
    assert receipt["status"] == 1 and receipt["contractAddress"]
    recorder = w3.eth.contract(address=receipt["contractAddress"], abi=out["abi"])
    receipt = w3.eth.wait_for_transaction_receipt(recorder.functions.record(7).transact({"from": a2, "value": 3}),
                                                  timeout=10, poll_latency=0.05)
    assert receipt["status"] == 1
    assert recorder.functions.last_x().call() == 7 and recorder.functions.last_sender().call() == a2
    assert recorder.events.Recorded().process_receipt(receipt)[0]["args"]["value"] == 3
    # A transaction that would revert fails at the estimate, with the reason, and is not sent.
    with pytest.raises(Exception, match="boom"):
        recorder.functions.boom().transact({"from": a2})

    # eth_signTransaction: signed by the account, sendable as raw.
    signed = w3.eth.sign_transaction({"from": a2, "to": a0, "value": 5})
    assert Account.recover_transaction(signed["raw"]) == a2
    r = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed["raw"]), timeout=10, poll_latency=0.05)
    assert r["status"] == 1

    # eth_sign and personal_sign: EIP-191, as eth-account signs it.
    expected_signature = Account.sign_message(encode_defunct(text="hello"), expected[0].key).signature
    assert w3.eth.sign(a0, text="hello") == expected_signature
    reply = w3.provider.make_request("personal_sign", ["0x" + b"hello".hex(), a0])
    assert reply["result"] == "0x" + expected_signature.hex()

    # An account the node holds no key for.
    stranger = Account.create().address
    reply = w3.provider.make_request("eth_sendTransaction", [{"from": stranger, "to": a0, "value": "0x1"}])
    assert reply["error"] == {"code": -32000, "message": f"unknown account {stranger.lower()}"}


def test_without_test_the_node_holds_no_accounts_and_says_so(datadir):
    port = free_port()
    log = open(os.path.join(datadir, "node.log"), "a")
    process = subprocess.Popen([BINARY, "node", "--chain", "dev", "--http", "--http.port", str(port),
                                "--datadir", datadir], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{port}"))
        assert w3.eth.accounts == []
        a0 = mnemonic_accounts()[0].address
        with pytest.raises(Web3RPCError, match="served only with --test"):
            w3.eth.send_transaction({"from": a0, "to": a0, "value": 1, "gas": 21000})
        with pytest.raises(Web3RPCError, match="served only with --test"):
            w3.eth.sign(a0, text="hello")
        for method, params in (("personal_sign", ["0x00", a0]), ("evm_mine", []), ("anvil_mine", [1]),
                               ("anvil_setBalance", [a0, "0x1"]), ("anvil_setCode", [a0, "0x00"])):
            reply = w3.provider.make_request(method, params)
            assert "does not exist" in reply["error"]["message"], (method, reply)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    # The development namespaces cannot be enabled without --test.
    refused = subprocess.run([BINARY, "node", "--chain", "dev", "--http", "--http.api", "eth,evm", "--datadir", datadir],
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0
    assert 'the "evm" namespace is served only on a development chain (--test)' in refused.stderr


def test_evm_mine_and_anvil_mine_make_blocks_on_demand(node_factory):
    # No empty blocks on their own: every new block here comes from a mining call.
    node = node_factory().start()  # --test serves evm and anvil whatever --http.api lists
    w3 = Web3(Web3.HTTPProvider(node.url))
    start = w3.eth.block_number
    assert w3.provider.make_request("evm_mine", [])["result"] == "0x0"
    assert w3.eth.block_number == start + 1
    assert w3.provider.make_request("anvil_mine", [5])["result"] is None
    assert w3.eth.block_number == start + 6
    head = w3.eth.get_block("latest")
    future = head["timestamp"] + 1000
    assert w3.provider.make_request("evm_mine", [future])["result"] == "0x0"
    assert w3.eth.get_block("latest")["timestamp"] == future
    assert w3.provider.make_request("evm_mine", [{"blocks": 2}])["result"] == "0x0"
    assert w3.eth.block_number == start + 9
    # With automatic sequencing off, a transaction waits for evm_mine (anvil's automine off).
    assert w3.provider.make_request("rollupNodeAdmin_disableAutomaticSequencing", [])["result"] is True
    a0, a1 = w3.eth.accounts[:2]
    h = w3.eth.send_transaction({"from": a0, "to": a1, "value": 1})
    time.sleep(2.5)
    assert w3.eth.block_number == start + 9, "a block was made with automatic sequencing off"
    w3.provider.make_request("evm_mine", [])
    r = w3.eth.get_transaction_receipt(h)
    assert r["status"] == 1 and r["blockNumber"] == start + 10
    # Bad arguments are named.
    reply = w3.provider.make_request("anvil_mine", [1, 12])
    assert "interval between block timestamps is not supported" in reply["error"]["message"]
    reply = w3.provider.make_request("anvil_mine", ["0xffffff"])
    assert "at most 10000 blocks per call" in reply["error"]["message"]


def test_evm_snapshot_and_revert_roll_the_chain_back_and_blocks_go_on(node_factory):
    node = node_factory(["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "200"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    a0, a1 = w3.eth.accounts[:2]
    first = w3.provider.make_request("evm_snapshot", [])["result"]
    assert first == "0x0"
    base_head = w3.eth.get_block("latest")
    balance = w3.eth.get_balance(a1)
    hashes = [w3.eth.send_transaction({"from": a0, "to": a1, "value": 10**18}) for _ in range(3)]
    for h in hashes:
        assert w3.eth.wait_for_transaction_receipt(h, timeout=10, poll_latency=0.05)["status"] == 1
    second = w3.provider.make_request("evm_snapshot", [])["result"]
    assert second == "0x1"
    w3.provider.make_request("anvil_mine", [3])
    assert w3.eth.get_balance(a1) == balance + 3 * 10**18
    # Back to the first snapshot: the transfers are gone, and so is the later snapshot.
    assert w3.provider.make_request("evm_revert", [first])["result"] is True
    assert w3.eth.block_number == base_head["number"]
    assert w3.eth.get_block("latest")["hash"] == base_head["hash"]
    assert w3.eth.get_balance(a1) == balance
    assert w3.provider.make_request("eth_getTransactionReceipt", [hashes[0].to_0x_hex()])["result"] is None
    assert w3.provider.make_request("evm_revert", [second])["result"] is False
    assert w3.provider.make_request("evm_revert", ["0x63"])["result"] is False
    # The chain goes on from there: the same account sends again with the nonce of the snapshot.
    nonce = w3.eth.get_transaction_count(a0)
    h = w3.eth.send_transaction({"from": a0, "to": a1, "value": 7})
    r = w3.eth.wait_for_transaction_receipt(h, timeout=10, poll_latency=0.05)
    assert r["status"] == 1 and r["blockNumber"] == base_head["number"] + 1
    assert w3.eth.get_transaction(h)["nonce"] == nonce
    assert w3.eth.get_balance(a1) == balance + 7
    # A restart keeps the reverted chain (the rollback is on disk like an L1-reorg rollback).
    head = w3.eth.get_block("latest")
    node.stop()
    node.start()
    assert w3.eth.get_block(head["number"])["hash"] == head["hash"]
    assert w3.eth.get_balance(a1) == balance + 7


def test_evm_increase_time_and_set_next_block_timestamp(node_factory):
    node = node_factory().start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    w3.provider.make_request("evm_mine", [])
    before = w3.eth.get_block("latest")["timestamp"]
    assert int(w3.provider.make_request("evm_increaseTime", [3600])["result"], 16) == 3600
    w3.provider.make_request("evm_mine", [])
    after = w3.eth.get_block("latest")["timestamp"]
    assert before + 3600 <= after <= before + 3600 + 30
    target = after + 100_000
    assert w3.provider.make_request("evm_setNextBlockTimestamp", [target])["result"] is None
    a0, a1 = w3.eth.accounts[:2]
    h = w3.eth.send_transaction({"from": a0, "to": a1, "value": 1})  # included by the ticker, at the set time
    r = w3.eth.wait_for_transaction_receipt(h, timeout=10, poll_latency=0.05)
    assert w3.eth.get_block(r["blockNumber"])["timestamp"] == target
    w3.provider.make_request("evm_mine", [])
    assert target <= w3.eth.get_block("latest")["timestamp"] <= target + 30  # the clock goes on from there
    reply = w3.provider.make_request("evm_setNextBlockTimestamp", [target - 1000])
    assert "is below the head block's timestamp" in reply["error"]["message"]
    w3.provider.make_request("evm_mine", [target + 500_000])
    assert w3.eth.get_block("latest")["timestamp"] == target + 500_000


def test_sign_typed_data_v4_matches_eth_account(node_factory):
    """EIP-712 with nested structs, arrays of structs, fixed arrays, negative ints, bytes and
    bytes32, and an ERC-2612 permit, each signed by the node and by eth-account."""
    from eth_account.messages import encode_typed_data

    node = node_factory().start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    key = mnemonic_accounts()[3]
    domain_type = [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                   {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}]
    domain = {"name": "Test", "version": "2", "chainId": 1337, "verifyingContract": "0x" + "ab" * 20}
    documents = [
        {"types": {"EIP712Domain": domain_type,
                   "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                              {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                              {"name": "deadline", "type": "uint256"}]},
         "primaryType": "Permit", "domain": domain,
         "message": {"owner": key.address, "spender": "0x" + "cd" * 20, "value": 10**24, "nonce": 0,
                     "deadline": 2**255}},
        {"types": {"EIP712Domain": domain_type,
                   "Item": [{"name": "id", "type": "int64"}, {"name": "tags", "type": "bytes32[]"},
                            {"name": "blob", "type": "bytes"}, {"name": "ok", "type": "bool"}],
                   "Order": [{"name": "items", "type": "Item[]"}, {"name": "grid", "type": "uint8[3]"},
                             {"name": "maker", "type": "address"}, {"name": "note", "type": "string"},
                             {"name": "short", "type": "bytes4"}]},
         "primaryType": "Order", "domain": domain,
         "message": {"items": [{"id": -5, "tags": ["0x" + "11" * 32, "0x" + "22" * 32], "blob": "0xdeadbeef", "ok": True},
                               {"id": 9007199254740993, "tags": [], "blob": "0x", "ok": False}],
                     "grid": [1, 2, 255], "maker": "0x" + "ef" * 20, "note": "héllo ✓", "short": "0x01020304"}},
    ]
    for document in documents:
        expected = Account.sign_message(encode_typed_data(full_message=document), key.key).signature
        reply = w3.provider.make_request("eth_signTypedData_v4", [key.address, document])
        assert reply.get("result") == "0x" + expected.hex(), (document["primaryType"], reply)


def test_anvil_state_edits_survive_a_restart_and_revert_with_snapshots(node_factory):
    """An anvil-style script: anvil_setBalance / setNonce / setCode / setStorageAt, then
    evm_snapshot and evm_revert; the edits are on chain, so a restart keeps them."""
    node = node_factory().start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    rich = Web3.to_checksum_address("0x" + "ab" * 20)
    contract = Web3.to_checksum_address("0x" + "cd" * 20)
    code = "0x5f5460005260205ff3"  # PUSH0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH0 RETURN: returns slot 0
    assert w3.provider.make_request("anvil_setBalance", [rich, hex(10**30)])["result"] is None
    assert w3.provider.make_request("anvil_setNonce", [rich, "0x2a"])["result"] is None
    assert w3.provider.make_request("anvil_setCode", [contract, code])["result"] is None
    assert w3.provider.make_request("anvil_setStorageAt", [contract, "0x0", "0x" + "00" * 31 + "07"])["result"] is True
    assert w3.eth.get_balance(rich) == 10**30 and w3.eth.get_transaction_count(rich) == 42
    assert w3.eth.get_code(contract).to_0x_hex() == code
    assert int(w3.eth.call({"to": contract}).hex(), 16) == 7
    # Edits after a snapshot go away with evm_revert (they are blocks like any other).
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    w3.provider.make_request("anvil_setStorageAt", [contract, "0x0", "0x" + "00" * 31 + "09"])
    w3.provider.make_request("anvil_setBalance", [rich, "0x0"])
    assert int(w3.eth.call({"to": contract}).hex(), 16) == 9 and w3.eth.get_balance(rich) == 0
    assert w3.provider.make_request("evm_revert", [snapshot])["result"] is True
    assert int(w3.eth.call({"to": contract}).hex(), 16) == 7 and w3.eth.get_balance(rich) == 10**30
    # A development account sends from its edited balance as usual.
    a0 = w3.eth.accounts[0]
    w3.provider.make_request("anvil_setBalance", [a0, hex(5 * 10**18)])
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": a0, "to": rich, "value": 10**18}),
                                                  timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1
    balance = w3.eth.get_balance(a0)
    assert balance == 4 * 10**18 - fee_paid(receipt)
    node.stop()
    node.start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    assert w3.eth.get_balance(rich) == 10**30 + 10**18 and w3.eth.get_transaction_count(rich) == 42
    assert int(w3.eth.call({"to": contract}).hex(), 16) == 7 and w3.eth.get_balance(a0) == balance


def test_impersonation_sends_from_an_account_without_its_key(node_factory):
    """anvil_impersonateAccount: eth_sendTransaction from an address the node has no key for
    (a contract's or a whale's); the block records the sender; stopping ends it."""
    node = node_factory().start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    whale = Web3.to_checksum_address("0x" + "5a" * 20)
    w3.provider.make_request("anvil_setBalance", [whale, hex(10**20)])
    refused = w3.provider.make_request("eth_sendTransaction", [{"from": whale, "to": w3.eth.accounts[1], "value": "0x1"}])
    assert "unknown account" in refused["error"]["message"]
    assert w3.provider.make_request("anvil_impersonateAccount", [whale])["result"] is None
    before = w3.eth.get_balance(w3.eth.accounts[1])
    tx_hash = w3.eth.send_transaction({"from": whale, "to": w3.eth.accounts[1], "value": 10**18})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1 and receipt["from"] == whale
    assert w3.eth.get_transaction(tx_hash)["from"] == whale
    assert w3.eth.get_balance(w3.eth.accounts[1]) == before + 10**18
    assert w3.eth.get_transaction_count(whale) == 1
    w3.provider.make_request("anvil_stopImpersonatingAccount", [whale])
    refused = w3.provider.make_request("eth_sendTransaction", [{"from": whale, "to": w3.eth.accounts[1], "value": "0x1"}])
    assert "unknown account" in refused["error"]["message"]


def test_anvil_set_automine_turns_block_production_off_and_on(node_factory):
    node = node_factory(["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "200"]).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    assert w3.provider.make_request("anvil_getAutomine", [])["result"] is True
    assert w3.provider.make_request("anvil_setAutomine", [False])["result"] is None
    assert w3.provider.make_request("anvil_getAutomine", [])["result"] is False
    head = w3.eth.block_number
    tx_hash = w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": w3.eth.accounts[1], "value": 1})
    time.sleep(1.0)
    assert w3.eth.block_number == head, "no block while automine is off"
    w3.provider.make_request("evm_mine", [])
    assert w3.eth.get_transaction_receipt(tx_hash)["blockNumber"] == head + 1
    w3.provider.make_request("anvil_setAutomine", [True])
    tx_hash = w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": w3.eth.accounts[1], "value": 1})
    assert w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10, poll_latency=0.05)["status"] == 1
    refused = w3.provider.make_request("evm_setIntervalMining", [1000])
    assert "--sequencer.block-time" in refused["error"]["message"]
