"""Follower mode (issue 17): `rollup-node node --follow <url>[,<url>…]` without --sequencer.enabled
and without --test takes the sequencer's signed blocks over rollupNode_getSignedBlocks (long
polling), verifies each one (the authorized signer's signature, the parent is its head,
re-execution gives the same header) and serves the same chain; followers can follow followers
(a tree). Transactions sent to a follower are forwarded to the node it follows, errors included.
A sequencer rollback (L1 reorg in depth mode, evm_revert on a --test chain) comes with a signed
rollback notice and the followers roll back with it.

Every node runs in its own folder of the test's datadir; the logs of all of them are printed
when a test fails."""
import os
import re
import subprocess
import time

import pytest
import rlp
from eth_account import Account
from eth_utils import keccak
from web3 import Web3

from chain import recover_signer
from conftest import BINARY, KEYS, SIGNER, free_port, wait_until
from followers import (BENCH_CHAIN, Cluster, FakeSource, assert_same_chain, assert_same_receipts, bench_key, block,
                       finish_load, head, header_digest, hexbytes, receipts_sample, rpc, rpc_reply, sign_digest,
                       start_load, status, unhex, wait_synced)

FAST = ["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "200"]
DEAD = "0x000000000000000000000000000000000000dEaD"
TARGET = Web3.to_checksum_address("0x00000000000000000000000000000000000a11ce")


@pytest.fixture
def cluster(datadir, request):
    c = Cluster(datadir)
    yield c
    c.stop_all()
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        c.dump_logs()


def number(value):
    """A count as the status reports it: a JSON number or a hex quantity."""
    return value if isinstance(value, int) else int(value, 16)


def log_lines(node, needle):
    with open(node.log_path) as f:
        return [line for line in f if needle in line]


def transfer(key, nonce, value=1, chain_id=1337, to=DEAD, **fees):
    tx = {"to": to, "value": value, "gas": 21_000, "nonce": nonce, "chainId": chain_id}
    tx.update(fees or {"maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9, "type": 2})
    return Account.from_key(key).sign_transaction(tx)


def send_and_wait(node, signed, timeout=30):
    w3 = Web3(Web3.HTTPProvider(node.url))
    h = w3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=timeout, poll_latency=0.05)
    assert receipt["status"] == 1
    return receipt


def check_follower_status(f, source_url, head_number):
    s = status(f)
    assert s.get("mode") == "follower", s
    info = s.get("follower")
    assert isinstance(info, dict), s
    assert info["following"].rstrip("/") == source_url.rstrip("/"), info
    assert number(info["refusedBlocks"]) == 0, info
    assert number(info["doubleSignEvidence"]) == 0, info
    assert number(info["importedBlocks"]) >= head_number, info
    assert number(info["behind"]) == 0, info
    return info


def test_followers_tree_under_load(cluster, datadir):
    """A sequencer under rollup-load, two followers of it and a follower of follower 1; users send
    a legacy and an EIP-1559 transaction through followers. In the end all four nodes serve the
    same blocks and the same receipts."""
    seq = cluster.sequencer(chain=BENCH_CHAIN)
    f1 = cluster.follower(seq.url, chain=BENCH_CHAIN)
    f2 = cluster.follower(seq.url, chain=BENCH_CHAIN)
    f3 = cluster.follower(f1.url, chain=BENCH_CHAIN, name="follower1-1")
    followers = [f1, f2, f3]
    receipts_log = os.path.join(datadir, "receipts.log")
    load_log = os.path.join(datadir, "rollup-load.log")
    load = start_load(seq.url, load_log, rate=2000, warmup=2, duration=8, senders=1024, receipts_log=receipts_log)

    # Users of the followers (bench senders the load does not use): a legacy transaction
    # through follower 1, EIP-1559 ones through follower 2 and through the follower of follower 1,
    # their fees from what that follower suggests.
    sent = []
    for f, key_index, kind in [(f1, 4000, "legacy"), (f2, 4001, "eip1559"), (f3, 4002, "eip1559")]:
        w3 = Web3(Web3.HTTPProvider(f.url))
        acct = Account.from_key(bench_key(key_index))
        nonce = w3.eth.get_transaction_count(acct.address, "pending")
        if kind == "legacy":
            fees = {"gasPrice": w3.eth.gas_price}
        else:
            tip = w3.eth.max_priority_fee
            fees = {"maxPriorityFeePerGas": tip, "maxFeePerGas": 2 * w3.eth.get_block("latest")["baseFeePerGas"] + tip, "type": 2}
        signed = transfer(bench_key(key_index), nonce, value=12345, chain_id=1338, **fees)
        assert w3.eth.send_raw_transaction(signed.raw_transaction).to_0x_hex() == signed.hash.to_0x_hex()
        sent.append((f, signed))
    for f, signed in sent:
        receipt = Web3(Web3.HTTPProvider(f.url)).eth.wait_for_transaction_receipt(signed.hash, timeout=90, poll_latency=0.1)
        assert receipt["status"] == 1

    finish_load(load, load_log)
    number_, head_hash = wait_synced(seq, followers, timeout=120)
    assert number_ >= 5
    assert_same_chain(seq, followers, number_)
    for f in followers:
        assert block(f, number_)["stateRoot"] == block(seq, number_)["stateRoot"]
    sample, total = receipts_sample(receipts_log, k=400)
    assert total > 5000, f"only {total} receipts from rollup-load"
    assert_same_receipts(seq, followers, sample + [s.hash.to_0x_hex() for _, s in sent])

    s = status(seq)
    assert s.get("mode") == "sequencer" and s.get("follower") is None, s
    check_follower_status(f1, seq.url, number_)
    check_follower_status(f2, seq.url, number_)
    check_follower_status(f3, f1.url, number_)
    broadcasts = log_lines(seq, "Broadcast block")
    assert broadcasts, "the sequencer logged no 'Broadcast block'"
    counts = [int(m.group(1)) for m in (re.search(r"followers=(\d+)", line) for line in broadcasts) if m]
    assert counts and max(counts) == 2, f"followers counts in 'Broadcast block' lines: {sorted(set(counts))}"
    for f in followers:
        errors = log_lines(f, " ERROR ")
        assert not errors, f"{f.name} logged errors: {errors[:5]}"


# ---- Tampered sources ----

REPLACEMENT = transfer(KEYS[4], 0, value=777)  # a valid transaction of another sender


def tamper(kind):
    """A FakeSource hook serving the first block of each reply tampered (later blocks dropped):
    `signer`: re-signed by another key; `stateRoot`: a wrong state root, re-signed by the
    authorized key (so only re-execution can tell); `transaction`: one user transaction replaced
    by another valid one, header and signature unchanged."""
    def hook(result, params):
        blocks = result.get("blocks") or []
        if not blocks:
            return result
        b = dict(blocks[0])
        fields = rlp.decode(unhex(b["header"]))
        if kind == "signer":
            b["signature"] = hexbytes(sign_digest(header_digest(fields), KEYS[1]))
        elif kind == "stateRoot":
            fields[3] = keccak(b"not the state root")
            encoded = rlp.encode(fields)
            b["header"], b["hash"] = hexbytes(encoded), hexbytes(keccak(encoded))
            b["signature"] = hexbytes(sign_digest(header_digest(fields), KEYS[0]))
        elif kind == "transaction":
            txs = list(b["transactions"])
            users = [i for i, t in enumerate(txs) if not t.lower().startswith("0x7e")]
            assert users, f"block {b['number']} has no user transaction to replace"
            txs[users[-1]] = REPLACEMENT.raw_transaction.to_0x_hex()
            b["transactions"] = txs
        result = dict(result)
        result["blocks"] = [b]
        return result
    return hook


REASONS = {
    "signer": ["not by the authorized signer"],
    "stateRoot": ["re-execution does not give the block", "stateRoot"],
    "transaction": ["re-execution does not give the block", "transactionsRoot"],
}


def test_follower_refuses_bad_blocks(cluster):
    """Three fake sources, each serving a real sequencer's blocks tampered one way, in front of
    the real sequencer in each follower's --follow list: every follower refuses the bad block
    (logged at error level with the reason, counted), moves on to the sequencer and ends on the
    true chain."""
    seq = cluster.sequencer(FAST)
    for nonce in range(4):
        send_and_wait(seq, transfer(KEYS[1], nonce, value=nonce + 1))
    fakes, followers = {}, {}
    try:
        for kind in REASONS:
            fakes[kind] = FakeSource(seq.url, tamper(kind))
            followers[kind] = cluster.follower([fakes[kind].url, seq.url], name=f"follower-{kind}")
        for kind, f in followers.items():
            def refused(f=f, kind=kind):
                lines = [line for line in log_lines(f, " ERROR ") if all(w in line for w in REASONS[kind])]
                return lines and number(status(f)["follower"]["refusedBlocks"]) >= 1
            wait_until(refused, timeout=60, what=f"{f.name} to refuse the {kind}-tampered block")
        # New blocks still reach every follower, over the real sequencer.
        send_and_wait(seq, transfer(KEYS[1], 4, value=5))
        number_, _ = wait_synced(seq, list(followers.values()), timeout=60)
        assert_same_chain(seq, list(followers.values()), number_)
        for kind, fake in fakes.items():
            assert not fake.errors, f"fake source {kind}: {fake.errors}"
            assert fake.calls >= 1, f"fake source {kind} never served a block"
            s = status(followers[kind])
            assert s["mode"] == "follower" and number(s["follower"]["refusedBlocks"]) >= 1, s
            assert number(s["follower"]["doubleSignEvidence"]) == 0, s
            assert not log_lines(followers[kind], "double sign"), kind
    finally:
        for fake in fakes.values():
            fake.stop()


def test_follower_signer_address_override(cluster):
    """--signer.address replaces the chain spec's authorized signer: naming another key, the
    follower refuses every block of the dev sequencer; naming the dev key, it follows."""
    seq = cluster.sequencer(FAST)
    send_and_wait(seq, transfer(KEYS[1], 0))
    other = Account.from_key(KEYS[1]).address
    wrong = cluster.follower(seq.url, ["--signer.address", other], name="follower-wrong-signer")
    right = cluster.follower(seq.url, ["--signer.address", SIGNER], name="follower-dev-signer")
    wait_until(lambda: any("not by the authorized signer" in line for line in log_lines(wrong, " ERROR ")),
               timeout=30, what="the refusal of a block signed by the dev key")
    number_, _ = wait_synced(seq, [right], timeout=60)
    assert_same_chain(seq, [right], number_)
    assert head(wrong)[0] == 0
    assert number(status(wrong)["follower"]["refusedBlocks"]) >= 1


def test_follower_kill9_catches_up(cluster, datadir):
    seq = cluster.sequencer(chain=BENCH_CHAIN)
    f = cluster.follower(seq.url, chain=BENCH_CHAIN)
    receipts_log = os.path.join(datadir, "receipts.log")
    load_log = os.path.join(datadir, "rollup-load.log")
    load = start_load(seq.url, load_log, rate=1500, warmup=2, duration=10, senders=1024, receipts_log=receipts_log)
    wait_until(lambda: head(f)[0] >= 4, timeout=60, what="the follower to import 4 blocks under load")
    f.kill9()
    killed_at = head(seq)[0]
    time.sleep(2)
    f.start()
    finish_load(load, load_log)
    number_, _ = wait_synced(seq, [f], timeout=120)
    assert number_ > killed_at + 2, "the load did not go on after the kill"
    assert_same_chain(seq, [f], number_)
    sample, total = receipts_sample(receipts_log, k=400)
    assert_same_receipts(seq, [f], sample)
    s = status(f)
    assert number(s["follower"]["refusedBlocks"]) == 0 and number(s["follower"]["doubleSignEvidence"]) == 0, s
    assert not log_lines(f, "double sign")
    # The restart went on from the blocks imported before the kill, not from genesis.
    starts = [re.search(r" head=(\d+)", line) for line in log_lines(f, "Following")]
    assert len(starts) == 2 and starts[1] and int(starts[1].group(1)) >= 4, log_lines(f, "Following")


def l1_enqueue(l1, value, gas=100_000):
    return int(l1.call("fake_enqueue", [{"to": TARGET, "value": str(value), "gasLimit": gas}])["queueIndex"], 16)


def balance(node, address=TARGET):
    return int(rpc(node.url, "eth_getBalance", [address, "latest"]), 16)


def test_followers_follow_l1_reorg_rollback(cluster, fake_l1):
    seq = cluster.sequencer(["--l1.url", fake_l1.url, "--l1.poll-interval", "200",
                             "--sequencer.l1-inclusion-mode", "depth:0"] + FAST)
    followers = [cluster.follower(seq.url), cluster.follower(seq.url)]
    followers.append(cluster.follower(followers[0].url, name="follower1-1"))  # takes the notice relayed by follower 1
    send_and_wait(seq, transfer(KEYS[1], 0))
    fake_l1.call("fake_mine", [2])
    l1_enqueue(fake_l1, 10)
    fake_l1.call("fake_mine", [1])
    wait_until(lambda: balance(seq) == 10, what="message 0 on the sequencer")
    message = rpc(seq.url, "rollupNode_getL1MessageByIndex", [0])
    included_in = int(message["l2BlockNumber"], 16)
    message_tx = message["transaction"]["hash"]
    old_hash = block(seq, included_in)["hash"]
    for f in followers:
        wait_until(lambda f=f: balance(f) == 10, timeout=30, what=f"message 0 on {f.name}")
        assert block(f, included_in)["hash"] == old_hash

    # The L1 block holding message 0 is replaced by a fork without it: the sequencer rolls back,
    # and so do the followers.
    fake_l1.call("fake_reorg", [{"depth": 1, "messages": "drop", "newBlocks": 2}])
    wait_until(lambda: balance(seq) == 0, what="the sequencer's rollback")
    for f in followers:
        wait_until(lambda f=f: balance(f) == 0, timeout=30, what=f"{f.name}'s rollback")
        assert rpc(f.url, "eth_getTransactionReceipt", [message_tx]) is None
    # A new message 0 on the new fork takes the height again.
    l1_enqueue(fake_l1, 7)
    fake_l1.call("fake_mine", [1])
    wait_until(lambda: balance(seq) == 7, what="the new message 0 on the sequencer")
    number_, _ = wait_synced(seq, followers, timeout=60)
    assert number_ >= included_in
    assert block(seq, included_in)["hash"] != old_hash
    assert_same_chain(seq, followers, number_)
    for f in followers:
        assert balance(f) == 7
        parent = block(f, 0)["hash"]
        for n in range(1, number_ + 1):
            b = block(f, n)
            assert b["parentHash"] == parent, f"{f.name}: gap at {n}"
            parent = b["hash"]
        assert not log_lines(f, "double sign"), f"{f.name}: {log_lines(f, 'double sign')}"
        s = status(f)["follower"]
        assert number(s["doubleSignEvidence"]) == 0 and number(s["refusedBlocks"]) == 0, s
        assert number(s.get("rollbacks", 1)) >= 1, s


def check_notice(notice, chain_id, to, frm):
    """A rollback notice names the heights and hashes and is signed by the dev key over
    keccak256("rollup-node rollback notice v1" ‖ chain id ‖ toNumber ‖ toHash ‖ fromNumber ‖
    fromHash), numbers as 8-byte big-endian (Sources/Engine/Chain/RollbackNotice.swift)."""
    assert number(notice["chainId"]) == chain_id and number(notice["toNumber"]) == to[0] and notice["toHash"] == to[1], notice
    assert number(notice["fromNumber"]) == frm[0] and notice["fromHash"] == frm[1], notice
    preimage = (b"rollup-node rollback notice v1" + chain_id.to_bytes(8, "big") + to[0].to_bytes(8, "big") + unhex(to[1])
                + frm[0].to_bytes(8, "big") + unhex(frm[1]))
    assert recover_signer(keccak(preimage), notice["signature"]) == SIGNER


def test_followers_follow_evm_revert(cluster):
    seq = cluster.sequencer(FAST)
    followers = [cluster.follower(seq.url), cluster.follower(seq.url)]
    followers.append(cluster.follower(followers[0].url, name="follower1-1"))  # takes the notice relayed by follower 1
    send_and_wait(seq, transfer(KEYS[1], 0))
    snapshot = rpc(seq.url, "evm_snapshot")
    base, _ = head(seq)
    dropped = [transfer(KEYS[2], 0, value=2), transfer(KEYS[2], 1, value=3)]
    for signed in dropped:
        send_and_wait(seq, signed)
    top, _ = wait_synced(seq, followers, timeout=60)
    assert top >= base + 2
    old = {n: block(seq, n)["hash"] for n in range(base + 1, top + 1)}

    old_head = block(seq, top)["hash"]
    assert rpc(seq.url, "evm_revert", [snapshot]) is True
    assert head(seq)[0] == base
    # Asked from the withdrawn head, the sequencer answers its signed rollback notice.
    reply = rpc(seq.url, "rollupNode_getSignedBlocks", [{"from": hex(top + 1), "parentHash": old_head, "waitMs": 0}])
    assert reply["blocks"] == [], reply
    notices = reply["rollbacks"]
    assert len(notices) == 1, reply
    check_notice(notices[0], 1337, to=(base, block(seq, base)["hash"]), frm=(top, old_head))
    kept = transfer(KEYS[3], 0, value=4)
    send_and_wait(seq, kept)
    number_, _ = wait_synced(seq, followers, timeout=60)
    assert block(seq, base + 1)["hash"] != old[base + 1]
    assert_same_chain(seq, followers, number_)
    for f in followers:
        for signed in dropped:
            assert rpc(f.url, "eth_getTransactionReceipt", [signed.hash.to_0x_hex()]) is None, f.name
            assert rpc(f.url, "eth_getTransactionByHash", [signed.hash.to_0x_hex()]) is None, f.name
        assert rpc(f.url, "txpool_status") == rpc(seq.url, "txpool_status")
        assert number(status(f)["follower"].get("rollbacks", 1)) >= 1
        assert rpc(f.url, "eth_getTransactionReceipt", [kept.hash.to_0x_hex()]) is not None
        assert not log_lines(f, "double sign"), f"{f.name}: {log_lines(f, 'double sign')}"
        s = status(f)["follower"]
        assert number(s["doubleSignEvidence"]) == 0 and number(s["refusedBlocks"]) == 0, s
    # Follower 1 relays the sequencer's notice to whoever still stands on the withdrawn head.
    relayed = rpc(followers[0].url, "rollupNode_getSignedBlocks", [{"from": hex(top + 1), "parentHash": old_head, "waitMs": 0}])
    assert relayed["blocks"] == [] and len(relayed["rollbacks"]) == 1, relayed
    check_notice(relayed["rollbacks"][0], 1337, to=(base, block(seq, base)["hash"]), frm=(top, old_head))


def test_follower_forwards_errors(cluster):
    seq = cluster.sequencer(FAST)
    f = cluster.follower(seq.url)
    f2 = cluster.follower(f.url, name="follower1-1")

    first = transfer(KEYS[1], 0)
    assert rpc_reply(f.url, "eth_sendRawTransaction", [first.raw_transaction.to_0x_hex()]) == \
        {"jsonrpc": "2.0", "id": 1, "result": first.hash.to_0x_hex()}
    Web3(Web3.HTTPProvider(seq.url)).eth.wait_for_transaction_receipt(first.hash, timeout=30, poll_latency=0.05)

    poor = Account.create()
    cases = {
        "nonce too low": transfer(KEYS[1], 0, value=2).raw_transaction.to_0x_hex(),
        "insufficient funds": transfer(poor.key.to_0x_hex(), 0, value=10**18).raw_transaction.to_0x_hex(),
        "wrong chain id": transfer(KEYS[1], 1, chain_id=1).raw_transaction.to_0x_hex(),
        "not a transaction": "0xdeadbeef",
    }
    for what, raw in cases.items():
        for method in ("eth_sendRawTransaction", "eth_sendRawTransactionSync"):
            want = rpc_reply(seq.url, method, [raw])
            assert "error" in want, f"{what}: the sequencer took it: {want}"
            for node in (f, f2):
                got = rpc_reply(node.url, method, [raw])
                assert got.get("error") == want["error"], f"{what} via {node.name} {method}: {got} != {want}"

    # A good transaction through the follower of the follower, synchronously: the sequencer's receipt.
    second = transfer(KEYS[1], 1, value=3)
    got = rpc_reply(f2.url, "eth_sendRawTransactionSync", [second.raw_transaction.to_0x_hex()], timeout=30)
    assert "result" in got, got
    assert got["result"] == rpc(seq.url, "eth_getTransactionReceipt", [second.hash.to_0x_hex()])


def run_node(args, timeout=30):
    """`rollup-node node ARGS` expected to refuse to start: (exit code, output)."""
    try:
        p = subprocess.run([BINARY, "node"] + args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"rollup-node node {' '.join(args)} started instead of refusing")
    return p.returncode, p.stdout + p.stderr


def test_follower_cli_errors(datadir):
    key_file = os.path.join(datadir, "key")
    with open(key_file, "w") as f:
        f.write(KEYS[0][2:] + "\n")
    os.chmod(key_file, 0o600)
    common = ["--chain", "dev", "--http", "--http.port", str(free_port()), "--datadir", os.path.join(datadir, "d")]
    up = "http://127.0.0.1:1"

    code, out = run_node(common + ["--follow", up, "--sequencer.enabled", "--signer.key-file", key_file, "--l1.url", up])
    assert code != 0 and "--follow" in out and "--sequencer.enabled" in out, (code, out)
    code, out = run_node(common + ["--follow", up, "--test"])
    assert code != 0 and "--follow" in out and "--test" in out, (code, out)
    code, out = run_node(common + ["--follow", up, "--test", "--sequencer.enabled", "--sequencer.auto-start"])
    assert code != 0 and "--follow" in out, (code, out)
    code, out = run_node(common + ["--follow", "notaurl"])
    assert code != 0 and "notaurl" in out, (code, out)
    code, out = run_node(common + ["--follow", f"{up},ftp://127.0.0.1:2"])
    assert code != 0 and "ftp://127.0.0.1:2" in out, (code, out)


def test_get_signed_blocks_protocol(cluster):
    """rollupNode_getSignedBlocks as a follower sees it, checked with Python's Ethereum libraries:
    each block's header hashes to its hash and its signature recovers to the dev signer over the
    header without extraData; its raw transactions are the block's; `max` bounds a reply; a
    caller on the head waits (long polling) and gets the next block as soon as it is made; a
    caller whose parent is not canonical gets the rollbacks list and the server's signed block
    at that height as the conflict."""
    import threading
    seq = cluster.sequencer(FAST)
    for nonce in range(3):
        send_and_wait(seq, transfer(KEYS[1], nonce, value=nonce + 1))
    genesis = block(seq, 0)["hash"]
    top, top_hash = head(seq)
    assert top == 3

    reply = rpc(seq.url, "rollupNode_getSignedBlocks", [{"from": "0x1", "parentHash": genesis}])
    assert reply["head"] == {"number": hex(top), "hash": top_hash}, reply["head"]
    assert "rollbacks" not in reply or reply["rollbacks"] in (None, []), reply.get("rollbacks")
    assert reply.get("conflict") is None
    assert [number(b["number"]) for b in reply["blocks"]] == [1, 2, 3]
    for b in reply["blocks"]:
        served = rpc(seq.url, "eth_getBlockByNumber", [b["number"], False])
        header = unhex(b["header"])
        assert hexbytes(keccak(header)) == b["hash"] == served["hash"]
        assert recover_signer(header_digest(rlp.decode(header)), b["signature"]) == SIGNER
        assert [hexbytes(keccak(unhex(t))) for t in b["transactions"]] == served["transactions"]
        assert b.get("stateEdits") is None

    two = rpc(seq.url, "rollupNode_getSignedBlocks", [{"from": "0x2", "parentHash": block(seq, 1)["hash"], "max": 1}])
    assert [number(b["number"]) for b in two["blocks"]] == [2]

    # On the head: nothing until waitMs passes...
    t0 = time.monotonic()
    idle = rpc(seq.url, "rollupNode_getSignedBlocks", [{"from": hex(top + 1), "parentHash": top_hash, "waitMs": 1000}])
    assert idle["blocks"] == [] and time.monotonic() - t0 >= 0.5, idle
    # ...and the next block as soon as it is made.
    answer = {}
    waiter = threading.Thread(target=lambda: answer.update(rpc(seq.url, "rollupNode_getSignedBlocks", [
        {"from": hex(top + 1), "parentHash": top_hash, "waitMs": 20000, "follower": "e2e"}], timeout=40)))
    t0 = time.monotonic()
    waiter.start()
    time.sleep(0.5)
    nxt = transfer(KEYS[1], 3, value=4)
    send_and_wait(seq, nxt)
    waiter.join(timeout=30)
    assert [number(b["number"]) for b in answer.get("blocks", [])] == [top + 1], answer
    assert time.monotonic() - t0 < 15, "the waiting call did not return with the new block"
    assert answer["blocks"][0]["hash"] == block(seq, top + 1)["hash"]

    # A parent the server does not have at from-1: rollbacks (none here) and the conflict.
    stranger = hexbytes(keccak(b"not a block"))
    fork = rpc(seq.url, "rollupNode_getSignedBlocks", [{"from": "0x3", "parentHash": stranger, "waitMs": 0}])
    assert fork["rollbacks"] == [], fork
    assert fork["blocks"] == [], fork
    conflict = fork["conflict"]
    assert conflict is not None and conflict["hash"] == block(seq, 2)["hash"], fork
    assert recover_signer(header_digest(rlp.decode(unhex(conflict["header"]))), conflict["signature"]) == SIGNER

    bad = rpc_reply(seq.url, "rollupNode_getSignedBlocks", [{"from": "0x0", "parentHash": genesis}])
    assert "error" in bad, bad


def signed_block_at(url, n):
    """The source's signed block object at height n (rollupNode_getSignedBlocks from n)."""
    parent = rpc(url, "eth_getBlockByNumber", [hex(n - 1), False])["hash"]
    blocks = rpc(url, "rollupNode_getSignedBlocks", [{"from": hex(n), "parentHash": parent, "max": 1, "waitMs": 0}])["blocks"]
    assert blocks and number(blocks[0]["number"]) == n, blocks
    return blocks[0]


def notice(chain_id, to, frm, key):
    preimage = (b"rollup-node rollback notice v1" + chain_id.to_bytes(8, "big") + to[0].to_bytes(8, "big") + unhex(to[1])
                + frm[0].to_bytes(8, "big") + unhex(frm[1]))
    return {"chainId": hex(chain_id), "toNumber": hex(to[0]), "toHash": to[1], "fromNumber": hex(frm[0]), "fromHash": frm[1],
            "signature": hexbytes(sign_digest(keccak(preimage), key))}


def test_follower_double_sign_and_forged_rollback_notices(cluster):
    """Sources that pass the sequencer's blocks through until armed, then claim the follower's
    head is not on their chain: (1) with the conflict being another block at that height signed
    by the authorized key (a double sign): the follower logs the evidence with both hashes and
    keeps its chain; (2) with a rollback notice signed by another key, (3) with one signed by the
    authorized key for another chain id: neither is taken (no rollback). All three end on the
    sequencer's chain."""
    seq = cluster.sequencer(FAST)
    for nonce in range(3):
        send_and_wait(seq, transfer(KEYS[1], nonce, value=nonce + 1))
    armed = {"on": False}
    alternatives = {}

    def forged(kind):
        def hook(result, params):
            if not armed["on"]:
                return result
            height = number(params[0]["from"]) - 1
            ours = signed_block_at(seq.url, height)
            below = block(seq, height - 1)["hash"]
            answer = {"head": result["head"], "blocks": [], "rollbacks": [], "conflict": None}
            if kind == "double sign":
                fields = rlp.decode(unhex(ours["header"]))
                fields[11] = (int.from_bytes(fields[11], "big") + 1).to_bytes(8, "big").lstrip(b"\0")  # timestamp + 1
                encoded = rlp.encode(fields)
                alt = dict(ours, header=hexbytes(encoded), hash=hexbytes(keccak(encoded)),
                           signature=hexbytes(sign_digest(header_digest(fields), KEYS[0])))
                alternatives[height] = alt["hash"]
                answer["conflict"] = alt
            elif kind == "notice by another key":
                answer["rollbacks"] = [notice(1337, (height - 1, below), (height, ours["hash"]), KEYS[1])]
            elif kind == "notice for another chain":
                answer["rollbacks"] = [notice(1, (height - 1, below), (height, ours["hash"]), KEYS[0])]
            return answer
        return hook

    kinds = ["double sign", "notice by another key", "notice for another chain"]
    fakes = {k: FakeSource(seq.url, forged(k)) for k in kinds}
    try:
        followers = {k: cluster.follower([fakes[k].url, seq.url], name="follower-" + k.replace(" ", "-")) for k in kinds}
        top, _ = wait_synced(seq, list(followers.values()), timeout=60)
        armed["on"] = True
        send_and_wait(seq, transfer(KEYS[1], 3, value=4))  # the parked long polls return, forged
        send_and_wait(seq, transfer(KEYS[1], 4, value=5))

        f = followers["double sign"]
        lines = wait_until(lambda: log_lines(f, "Double sign evidence"), timeout=60, what="the double-sign evidence")
        assert top in alternatives, alternatives
        assert f"ours={block(seq, top)['hash']}" in lines[0] and f"theirs={alternatives[top]}" in lines[0], lines[0]
        assert f" ERROR " in lines[0]
        for k in kinds[1:]:
            g = followers[k]
            wait_until(lambda g=g: number(status(g)["follower"]["refusedBlocks"]) >= 1, timeout=60, what=f"{g.name} to refuse")
            assert any("does not contain this node's head" in line for line in log_lines(g, "Refused block")), log_lines(g, " ERROR ")
        number_, _ = wait_synced(seq, list(followers.values()), timeout=60)
        assert number_ >= top + 2
        assert_same_chain(seq, list(followers.values()), number_)
        s = status(f)["follower"]
        assert number(s["doubleSignEvidence"]) >= 1 and number(s.get("rollbacks", 0)) == 0, s
        for k in kinds[1:]:
            s = status(followers[k])["follower"]
            assert number(s["doubleSignEvidence"]) == 0 and number(s.get("rollbacks", 0)) == 0, (k, s)
            assert not log_lines(followers[k], "Rolled back"), k
        for k, fake in fakes.items():
            assert not fake.errors, (k, fake.errors)
    finally:
        for fake in fakes.values():
            fake.stop()
