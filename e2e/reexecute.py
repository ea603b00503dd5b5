"""Independent re-execution of a node's chain with the Ethereum execution specification's `t8n`
(the `ethereum-execution` package, PyPI), block by block from the chain spec's genesis alloc.

For every block with transactions, the block's raw transactions (debug_getRawBlock) run in t8n
with the block's environment (number, timestamp, coinbase, gas limit, base fee, PREVRANDAO 0,
the previous 256 canonical hashes for BLOCKHASH). The result must match the node's header
(transactions root, receipts root, logs bloom, gas used) and every receipt (status, cumulative
gas, logs); the post-state root, computed here with the `trie` package, must equal the header's
state root. Blocks without transactions must leave the state root unchanged.

Fee rule: t8n runs mainnet's Cancun, which burns the base fee. A chain spec with
`burnBaseFee: false` (the dev chain, Scroll) pays it to the fee recipient instead, so after each
block the fee recipient is credited base fee x gas used before the root is computed. Blocks
holding L1 messages (type 0x7e) are outside what t8n knows and are refused here.
"""
import glob
import io
import json
import os

import rlp
from eth_hash.auto import keccak
from ethereum import trace
from ethereum_spec_tools.evm_tools import main as evm_tools_main
from ethereum_spec_tools.evm_tools.t8n import ForkCache
from trie import HexaryTrie

EMPTY_CODE_HASH = keccak(b"")


def _int(x):
    if isinstance(x, int):
        return x
    return int(x, 16) if x.startswith(("0x", "0X")) else int(x)


def _hexbytes(s):
    return bytes.fromhex(s[2:] if s.startswith("0x") else s)


def genesis_alloc(spec):
    """t8n's alloc from a chain spec's genesis alloc (addresses lower-case, quantities hex)."""
    alloc = {}
    for address, account in spec["genesis"]["alloc"].items():
        entry = {"balance": hex(_int(account.get("balance", "0"))), "nonce": hex(_int(account.get("nonce", "0")))}
        if account.get("code"):
            entry["code"] = account["code"]
        if account.get("storage"):
            entry["storage"] = {k: v for k, v in account["storage"].items()}
        alloc[address.lower()] = entry
    return alloc


def state_root(alloc):
    """The secure-trie state root of a t8n alloc (empty accounts dropped, EIP-161)."""
    accounts = HexaryTrie({})
    for address, account in alloc.items():
        nonce, balance = _int(account.get("nonce", "0x0")), _int(account.get("balance", "0x0"))
        code = _hexbytes(account.get("code", "0x"))
        storage = HexaryTrie({})
        for slot, value in account.get("storage", {}).items():
            v = _int(value)
            if v:
                storage[keccak(_int(slot).to_bytes(32, "big"))] = rlp.encode(v)
        if nonce == 0 and balance == 0 and not code:
            continue
        accounts[keccak(_hexbytes(address))] = rlp.encode([nonce, balance, storage.root_hash, keccak(code)])
    return accounts.root_hash


def t8n(alloc, env, txs_rlp, chain_id, fork, cache, trace_dir=None):
    """Runs t8n in this process (stdin/stdout as strings); returns (result, alloc). With
    `trace_dir`, t8n also writes each transaction's EIP-3155 trace there
    (trace-<index>-<hash>.jsonl; t8n deletes earlier trace files in that folder first)."""
    # t8n installs its EIP-3155 tracer process-wide (ethereum.trace) and never removes it: an
    # untraced run after a traced one would still trace, into a folder that may be gone.
    trace.set_evm_trace(trace.discard_evm_trace)
    out = io.StringIO()
    args = ["t8n", "--input.alloc", "stdin", "--input.env", "stdin", "--input.txs", "stdin",
            "--output.result", "stdout", "--output.alloc", "stdout", "--output.basedir", trace_dir or ".",
            "--state.fork", fork, "--state.chainid", str(chain_id), "--state.reward", "-1"]
    if trace_dir:
        args.append("--trace")
    code = evm_tools_main(args, out_file=out, in_file=io.StringIO(json.dumps({"alloc": alloc, "env": env, "txs": txs_rlp})),
                          fork_cache=cache)
    assert code == 0, f"t8n failed ({code}): {out.getvalue()[-2000:]}"
    output = json.loads(out.getvalue())
    return output["result"], output["alloc"]


def reexecute(rpc, spec, fork="Cancun", last=None, trace_dir=None):
    """Re-executes blocks 1..last (the head by default) of the node behind `rpc` (a callable
    `rpc(method, params) -> result`) and asserts everything described above. Returns the final
    alloc (t8n's view of the state) and the number of blocks with transactions checked. With
    `trace_dir`, each block's EIP-3155 traces go to `trace_dir/<block number>/` (see
    `reference_trace`)."""
    chain_id = spec["chainId"]
    burn = spec.get("burnBaseFee", False)
    alloc = genesis_alloc(spec)
    genesis = rpc("eth_getBlockByNumber", ["0x0", False])
    assert "0x" + state_root(alloc).hex() == genesis["stateRoot"], "genesis state root differs from the spec's alloc"
    head = _int(rpc("eth_blockNumber", [])) if last is None else last
    hashes = {0: genesis["hash"]}
    previous_root = genesis["stateRoot"]
    checked = 0
    with ForkCache() as cache:
        for n in range(1, head + 1):
            block = rpc("eth_getBlockByNumber", [hex(n), False])
            hashes[n] = block["hash"]
            if not block["transactions"]:
                assert block["stateRoot"] == previous_root, f"empty block {n} changed the state root"
                continue
            raw = _hexbytes(rpc("debug_getRawBlock", [hex(n)]))
            body = rlp.decode(raw)[1]
            assert all(not (isinstance(t, bytes) and t[:1] == b"\x7e") for t in body), f"block {n} holds L1 messages"
            env = {
                "currentCoinbase": block["miner"], "currentGasLimit": block["gasLimit"], "currentNumber": block["number"],
                "currentTimestamp": block["timestamp"], "currentBaseFee": block["baseFeePerGas"],
                "currentRandom": "0x" + "00" * 32, "currentDifficulty": "0x0", "parentBeaconBlockRoot": "0x" + "00" * 32,
                "withdrawals": [], "blockHashes": {str(i): hashes[i] for i in range(max(0, n - 256), n)},
            }
            block_dir = None
            if trace_dir:
                block_dir = os.path.join(trace_dir, str(n))
                os.makedirs(block_dir, exist_ok=True)
            result, alloc = t8n(alloc, env, "0x" + rlp.encode(body).hex(), chain_id, fork, cache, block_dir)
            assert not result.get("rejected"), f"t8n rejected transactions of block {n}: {result['rejected']}"
            for key, field in [("txRoot", "transactionsRoot"), ("receiptsRoot", "receiptsRoot"), ("logsBloom", "logsBloom"),
                               ("gasUsed", "gasUsed")]:
                assert _int(result[key]) == _int(block[field]), f"block {n}: {field} {block[field]} != t8n's {result[key]}"
            receipts = rpc("eth_getBlockReceipts", [hex(n)])
            assert len(receipts) == len(result["receipts"])
            for ours, ref in zip(receipts, result["receipts"]):
                where = f"block {n} tx {ours['transactionHash']}"
                assert ours["transactionHash"].lower() == ref["transactionHash"].lower(), where
                assert _int(ours["status"]) == (1 if ref["succeeded"] else 0), where
                assert _int(ours["cumulativeGasUsed"]) == _int(ref["cumulativeGasUsed"]), where
                assert [(l["address"].lower(), [t.lower() for t in l["topics"]], l["data"]) for l in ours["logs"]] == \
                    [(l["address"].lower(), [t.lower() for t in l["topics"]], l["data"]) for l in ref.get("logs") or []], where
            if not burn:
                coinbase = block["miner"].lower()
                entry = alloc.setdefault(coinbase, {"balance": "0x0"})
                entry["balance"] = hex(_int(entry.get("balance", "0x0")) + _int(block["baseFeePerGas"]) * _int(block["gasUsed"]))
            root = "0x" + state_root(alloc).hex()
            assert root == block["stateRoot"], f"block {n}: state root {block['stateRoot']} != re-executed {root}"
            previous_root = root
            checked += 1
    return alloc, checked


def compare_state(rpc, alloc, block="latest"):
    """Every account of the re-executed alloc has the node's balance, nonce, code and storage."""
    for address, account in alloc.items():
        assert _int(rpc("eth_getBalance", [address, block])) == _int(account.get("balance", "0x0")), address
        assert _int(rpc("eth_getTransactionCount", [address, block])) == _int(account.get("nonce", "0x0")), address
        assert _hexbytes(rpc("eth_getCode", [address, block])) == _hexbytes(account.get("code", "0x")), address
        for slot, value in account.get("storage", {}).items():
            word = rpc("eth_getStorageAt", [address, hex(_int(slot)), block])
            assert _int(word) == _int(value), f"{address} slot {slot}"


def reference_trace(trace_dir, block_number, tx_hash):
    """The EIP-3155 steps t8n wrote for one transaction (its closing summary line left out)."""
    (path,) = glob.glob(os.path.join(trace_dir, str(block_number), f"trace-*-{tx_hash.lower()}.jsonl"))
    with open(path) as f:
        return [step for step in map(json.loads, f) if "pc" in step]
