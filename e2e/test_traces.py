"""debug_traceTransaction / traceCall / traceBlockBy* against independent references.

A varied workload (ERC-20 transfers, approvals, a failing transfer, CREATE and CREATE2, a
contract calling another, a nested call that reverts, payable deposits and a withdrawal with a
refund, plain and legacy transfers) runs on a dev node; then every block is re-executed by the
Ethereum execution specification's t8n with EIP-3155 tracing (e2e/reexecute.py), and the node's
struct logs must equal t8n's steps opcode by opcode: pc, op, gas, gasCost, depth and stack.
The callTracer tree of a nested call whose inner call reverts has geth's documented shape, the
prestate tracer reports what the transaction read and changed, and errors are geth's."""
import json
import os
import tempfile

from eth_abi import encode
from eth_utils import keccak

from conftest import KEYS
from reexecute import reexecute, reference_trace
from test_contract_chain import compile_contract, deploy, signing_client, wait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Where the execution specs name an instruction differently from geth.
SPEC_NAMES = {"KECCAK": "KECCAK256", "DIFFICULTY": "PREVRANDAO"}


def workload(w3, alice, bob, carol):
    """Sends the varied transactions; returns the contracts."""
    token, _ = deploy(w3, "Token", alice.address, 10**24)
    counter, _ = deploy(w3, "Counter", alice.address, 5)
    vault, _ = deploy(w3, "Vault", alice.address)
    factory, _ = deploy(w3, "Factory", alice.address)
    wait(w3, token.functions.transfer(bob.address, 1000).transact({"from": alice.address}))
    wait(w3, token.functions.approve(carol.address, 500).transact({"from": alice.address, "gasPrice": w3.eth.gas_price}))
    wait(w3, token.functions.transferFrom(alice.address, carol.address, 200).transact({"from": carol.address}))
    wait(w3, token.functions.transfer(alice.address, 1000).transact({"from": bob.address}))  # clears bob's slot
    # A transfer beyond the balance, sent with a fixed gas limit: included with status 0.
    failing = wait(w3, token.functions.transfer(alice.address, 10**30).transact({"from": bob.address, "gas": 90_000}))
    assert failing["status"] == 0
    wait(w3, counter.functions.bump(7).transact({"from": bob.address}))
    reverted = wait(w3, counter.functions.drop(10**6).transact({"from": bob.address, "gas": 60_000}))  # REVERT with a reason
    assert reverted["status"] == 0
    wait(w3, token.functions.transferFrom(alice.address, bob.address, 300).transact({"from": carol.address}))
    wait(w3, vault.functions.poke(counter.address, 3).transact({"from": carol.address}))
    wait(w3, vault.functions.try_drop(counter.address, 10**6).transact({"from": carol.address}))
    wait(w3, vault.functions.deposit().transact({"from": bob.address, "value": 10**17}))
    wait(w3, w3.eth.send_transaction({"from": carol.address, "to": vault.address, "value": 10**16}))
    wait(w3, vault.functions.withdraw().transact({"from": bob.address}))
    _, counter_code = compile_contract("Counter")
    init = bytes.fromhex(counter_code[2:]) + encode(["uint256"], [1])
    wait(w3, factory.functions.create(init, keccak(b"salt-1")).transact({"from": alice.address}))
    wait(w3, factory.functions.create(init, keccak(b"salt-1")).transact({"from": alice.address, "gas": 400_000}))  # collides
    wait(w3, w3.eth.send_transaction({"from": alice.address, "to": bob.address, "value": 12345}))
    wait(w3, w3.eth.send_transaction({"from": bob.address, "to": carol.address, "value": 1, "gasPrice": w3.eth.gas_price}))
    return token, counter, vault, factory


def test_struct_logs_equal_the_execution_specs_traces(cancun_node, cancun_spec):
    node = cancun_node
    w3, (alice, bob, carol), rpc = signing_client(node, KEYS[1:4])
    workload(w3, alice, bob, carol)
    spec = cancun_spec[1]
    compared, steps = 0, 0
    with tempfile.TemporaryDirectory() as trace_dir:
        reexecute(rpc, spec, trace_dir=trace_dir)
        for n in range(1, w3.eth.block_number + 1):
            block = w3.eth.get_block(n)
            for tx_hash in block["transactions"]:
                h = tx_hash.to_0x_hex()
                ours = rpc("debug_traceTransaction", [h])
                ref = reference_trace(trace_dir, n, h)
                receipt = w3.eth.get_transaction_receipt(h)
                assert ours["gas"] == receipt["gasUsed"] and ours["failed"] == (receipt["status"] == 0), h
                assert len(ours["structLogs"]) == len(ref), f"{h}: {len(ours['structLogs'])} steps, reference {len(ref)}"
                for i, (a, b) in enumerate(zip(ours["structLogs"], ref)):
                    where = f"{h} step {i} ({a['op']} at pc {a['pc']}, depth {a['depth']})"
                    assert a["pc"] == b["pc"], where
                    assert a["op"] == SPEC_NAMES.get(b["opName"], b["opName"]), f"{where}: {b['opName']}"
                    assert a["gas"] == int(b["gas"], 16), where
                    assert a["gasCost"] == int(b["gasCost"], 16), f"{where}: gasCost {a['gasCost']} != {int(b['gasCost'], 16)}"
                    assert a["depth"] == b["depth"], where
                    assert a["stack"] == b["stack"], where
                compared += 1
                steps += len(ref)
    assert compared >= 20, compared
    print(f"struct logs: {compared} transactions, {steps} steps equal to t8n's EIP-3155 traces")


def test_call_tracer_prestate_tracer_trace_call_and_block_traces(node):
    w3, (alice, bob, carol), _ = signing_client(node, KEYS[1:4])
    counter, _ = deploy(w3, "Counter", alice.address, 5)
    vault, _ = deploy(w3, "Vault", alice.address)
    receipt = wait(w3, vault.functions.try_drop(counter.address, 10**6).transact({"from": carol.address}))
    h = receipt["transactionHash"].to_0x_hex()
    call = lambda *p: w3.provider.make_request(*p)

    # A nested call whose inner call reverts with a reason, in geth's callTracer shape.
    top = call("debug_traceTransaction", [h, {"tracer": "callTracer"}])["result"]
    assert top["type"] == "CALL" and top["from"] == carol.address.lower() and top["to"] == vault.address.lower()
    assert int(top["gasUsed"], 16) == receipt["gasUsed"] and int(top["gas"], 16) == w3.eth.get_transaction(h)["gas"]
    assert "error" not in top and top["output"] == "0x" + "00" * 32  # try_drop returned False
    (inner,) = top["calls"]
    assert inner["type"] == "CALL" and inner["from"] == vault.address.lower() and inner["to"] == counter.address.lower()
    assert inner["error"] == "execution reverted" and inner["revertReason"] == "count would go below zero"
    assert inner["output"].startswith("0x08c379a0") and inner["value"] == "0x0"
    assert int(inner["gasUsed"], 16) <= int(inner["gas"], 16) and inner["input"].startswith("0x" + keccak(b"drop(uint256)")[:4].hex())
    only_top = call("debug_traceTransaction", [h, {"tracer": "callTracer", "tracerConfig": {"onlyTopCall": True}}])["result"]
    assert "calls" not in only_top and only_top["gasUsed"] == top["gasUsed"]

    # withLog: the logs of the frame that emitted them.
    r = wait(w3, vault.functions.poke(counter.address, 2).transact({"from": carol.address}))
    traced = call("debug_traceTransaction", [r["transactionHash"].to_0x_hex(), {"tracer": "callTracer", "tracerConfig": {"withLog": True}}])["result"]
    (bump,) = traced["calls"]
    assert [l["address"] for l in bump["logs"]] == [counter.address.lower()] and bump["logs"][0]["data"] == "0x" + (7).to_bytes(32, "big").hex()
    assert "logs" not in traced

    # prestateTracer: what the transaction read, as it was; diffMode: what changed.
    pre = call("debug_traceTransaction", [r["transactionHash"].to_0x_hex(), {"tracer": "prestateTracer"}])["result"]
    slot0 = "0x" + "00" * 32
    assert int(pre[counter.address.lower()]["storage"][slot0], 16) == 5
    assert pre[carol.address.lower()]["nonce"] == w3.eth.get_transaction_count(carol.address) - 1
    diff = call("debug_traceTransaction", [r["transactionHash"].to_0x_hex(), {"tracer": "prestateTracer", "tracerConfig": {"diffMode": True}}])["result"]
    assert int(diff["pre"][counter.address.lower()]["storage"][slot0], 16) == 5
    assert int(diff["post"][counter.address.lower()]["storage"][slot0], 16) == 7
    assert diff["post"][carol.address.lower()]["nonce"] == diff["pre"][carol.address.lower()]["nonce"] + 1

    # debug_traceCall: a call on the head's state, and on an older block's.
    data = counter.encode_abi("bump", [1])
    traced = call("debug_traceCall", [{"from": alice.address, "to": counter.address, "data": data}, "latest", {"tracer": "callTracer"}])["result"]
    assert traced["output"] == "0x" + (8).to_bytes(32, "big").hex()
    traced = call("debug_traceCall", [{"from": alice.address, "to": counter.address, "data": data}, hex(receipt["blockNumber"])])["result"]
    assert traced["returnValue"] == "0x" + (6).to_bytes(32, "big").hex() and not traced["failed"]
    assert any(s["op"] == "SSTORE" and s["storage"] for s in traced["structLogs"])

    # Block traces: one entry per transaction, in order, equal to the single-transaction trace.
    block = call("debug_traceBlockByNumber", [hex(r["blockNumber"]), {"tracer": "callTracer"}])["result"]
    assert [b["txHash"] for b in block] == [t.to_0x_hex() for t in w3.eth.get_block(r["blockNumber"])["transactions"]]
    by_hash = call("debug_traceBlockByHash", [r["blockHash"].to_0x_hex(), {"tracer": "callTracer"}])["result"]
    assert by_hash == block

    # geth's errors.
    unknown = call("debug_traceTransaction", ["0x" + "11" * 32])
    assert unknown["error"]["message"] == "transaction 0x" + "11" * 32 + " not found"
    assert "tracer not found" in call("debug_traceTransaction", [h, {"tracer": "4byteTracer"}])["error"]["message"]
    assert call("debug_traceBlockByNumber", ["0x0"])["error"]["message"] == "genesis is not traceable"
    assert "timeout" in call("debug_traceTransaction", [h, {"timeout": "soon"}])["error"]["message"]
    limited = call("debug_traceTransaction", [h, {"limit": 5}])["result"]
    assert len(limited["structLogs"]) == 5
