"""Runs GeneralStateTests-format transactions in revm (the `pyrevm` package) and computes what
`rollup-node evm statetest` prints: the post-state root and the logs hash.

pyrevm has no tries, runs a call without charging fees or bumping the sender's nonce, and raises
on revert/halt. So this module: loads `pre` with insert_account_info/insert_account_storage, runs
`message_call`, then applies the transaction-level accounting itself (sender pays
gasUsed x effective gas price and its nonce goes up; the coinbase gets the priority fee; base
fee burnt, Cancun), and builds the secure Merkle-Patricia tries with the `trie` package. Storage
slots are those of `pre` plus those revm's journal touched (parsed from `journal_str`), each
read back with `storage()`. Empty accounts are dropped (EIP-161; every account this harness
touches).

Limits (fine for the random programs and the benchmark set): legacy and EIP-1559 transactions
to an existing address, no access lists, no contract-creating transactions; BASEFEE reads 0
inside pyrevm's message_call (the fee accounting here uses the real base fee).
"""
import re
import time

import rlp
from eth_hash.auto import keccak
from pyrevm import EVM, AccountInfo, BlockEnv, CfgEnv, Env
from trie import HexaryTrie

EMPTY_CODE_HASH = keccak(b"")
BLANK_ROOT = HexaryTrie({}).root_hash


def num(x):
    if isinstance(x, int):
        return x
    return int(x, 16) if x.startswith(("0x", "0X")) else int(x)


def hexbytes(s):
    s = s[2:] if s.startswith("0x") else s
    return bytes.fromhex(s)


def checksumless(addr):
    return "0x" + addr.lower()[2:].rjust(40, "0")


class Outcome:
    def __init__(self, state_root, logs_hash, gas_used, success, output, reason, seconds):
        self.state_root, self.logs_hash, self.gas_used = state_root, logs_hash, gas_used
        self.success, self.output, self.reason, self.seconds = success, output, reason, seconds
        self.accounts = {}  # address -> (nonce, balance, code hash, {slot: value})


def effective_gas_price(tx, base_fee):
    if "gasPrice" in tx:
        return num(tx["gasPrice"])
    max_fee, tip = num(tx["maxFeePerGas"]), num(tx["maxPriorityFeePerGas"])
    return min(max_fee, base_fee + tip)


def sender_of(tx):
    if "sender" in tx:
        return checksumless(tx["sender"])
    from eth_keys import keys  # only when a test gives no sender
    return checksumless(keys.PrivateKey(hexbytes(tx["secretKey"])).public_key.to_address())


def make_evm(test, tracing=False):
    env = test["env"]
    block = BlockEnv(
        number=num(env["currentNumber"]), coinbase=checksumless(env["currentCoinbase"]),
        timestamp=num(env["currentTimestamp"]), difficulty=num(env.get("currentDifficulty", "0x0")),
        prevrandao=hexbytes(env.get("currentRandom", "0x" + "00" * 32)).rjust(32, b"\0"),
        basefee=num(env.get("currentBaseFee", "0x0")), gas_limit=num(env["currentGasLimit"]),
        excess_blob_gas=num(env.get("currentExcessBlobGas", "0x0")))
    # EVM's own gas_limit argument is the block gas limit GASLIMIT reads (it overrides the
    # BlockEnv's); message_call sets the base fee to 0, so BASEFEE reads 0 here (not compared).
    evm = EVM(env=Env(cfg=CfgEnv(chain_id=1), block=block), spec_id="CANCUN", tracing=tracing,
              gas_limit=num(env["currentGasLimit"]))
    # pyrevm's insert_account_storage writes the database and loads the account into revm's
    # journal (which makes the account warm for the transaction) when the account is not loaded
    # yet, but writes only the journal (a warm slot) when it is. So each slot goes in on its own
    # inside a checkpoint that is then reverted: the database keeps the value, the journal
    # forgets the account, and the transaction starts with everything cold.
    for addr, acct in test["pre"].items():
        a = checksumless(addr)
        code = hexbytes(acct.get("code", "0x"))
        evm.insert_account_info(a, AccountInfo(balance=num(acct.get("balance", "0x0")),
                                               nonce=num(acct.get("nonce", "0x0")), code=code or None))
        for k, v in acct.get("storage", {}).items():
            checkpoint = evm.snapshot()
            evm.insert_account_storage(a, num(k), num(v))
            evm.revert(checkpoint)
    return evm


_ACCOUNT = re.compile(r"(0x[0-9a-f]{40}): Account \{")
_SLOT = re.compile(r"(\d+): StorageSlot \{")


def touched_slots(evm):
    """address -> set of slots in revm's journal (from its Debug text: no API lists them)."""
    text = evm.journal_str() if callable(evm.journal_str) else str(evm.journal_str)
    out = {}
    starts = [(m.start(), m.group(1)) for m in _ACCOUNT.finditer(text)]
    for i, (pos, addr) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        chunk = text[pos:end]
        s = chunk.find("storage: {")
        if s < 0:
            continue
        out[addr] = {int(m.group(1)) for m in _SLOT.finditer(chunk[s:])}
    return out


def logs_hash(logs):
    items = []
    for log in logs:
        topics, data = log.data
        items.append([hexbytes(log.address.lower()), [bytes(t) for t in topics], bytes(data)])
    return keccak(rlp.encode(items))


def state_root(accounts):
    t = HexaryTrie({})
    for addr, (nonce, balance, code_hash, storage) in accounts.items():
        st = HexaryTrie({})
        for k, v in storage.items():
            if v:
                st[keccak(k.to_bytes(32, "big"))] = rlp.encode(v)
        t[keccak(hexbytes(addr))] = rlp.encode([nonce, balance, st.root_hash, code_hash])
    return t.root_hash


def run(test, data_index=0, gas_index=0, value_index=0, timed_runs=0):
    """Runs one (data, gas, value) combination; with timed_runs > 0 also times the call alone
    (best of that many, each on a fresh EVM whose state was loaded beforehand)."""
    tx = test["transaction"]
    data = hexbytes(tx["data"][data_index])
    gas = num(tx["gasLimit"][gas_index])
    value = num(tx["value"][value_index])
    to = checksumless(tx["to"])
    sender = sender_of(tx)
    base_fee = num(test["env"].get("currentBaseFee", "0x0"))
    price = effective_gas_price(tx, base_fee)
    coinbase = checksumless(test["env"]["currentCoinbase"])

    def call(evm):
        try:
            out = evm.message_call(sender, to, calldata=data, value=value, gas=gas, gas_price=price)
            return bytes(out), None
        except RuntimeError as e:
            return b"", str(e)

    best = None
    for _ in range(timed_runs):
        evm = make_evm(test)
        t0 = time.perf_counter()
        call(evm)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)

    evm = make_evm(test)
    output, error = call(evm)
    result = evm.result
    if error and (result is None or "gas_used" not in error and result.gas_used == 0):
        raise RuntimeError(f"pyrevm refused the transaction: {error}")
    gas_used = result.gas_used
    m = re.search(r"gas_used: (\d+)", error or "")
    if m:
        gas_used = int(m.group(1))
    logs = result.logs if error is None else []

    slots = touched_slots(evm)
    addresses = {checksumless(a) for a in test["pre"]} | set(slots) | {sender, to, coinbase}
    accounts = {}
    for a in sorted(addresses):
        info = evm.basic(a)
        nonce, balance = info.nonce, evm.get_balance(a)
        # The code hash from the account: get_code gives analysed code, padded with zeros.
        code_hash = bytes(info.code_hash) if info.code_hash else EMPTY_CODE_HASH
        if a == sender:
            nonce += 1
            balance -= gas_used * price
        if a == coinbase:
            balance += gas_used * (price - base_fee)
        pre_slots = {num(k) for k in test["pre"].get(a, test["pre"].get(a.lower(), {})).get("storage", {})}
        for k, acct in test["pre"].items():
            if checksumless(k) == a:
                pre_slots = {num(s) for s in acct.get("storage", {})}
        storage = {s: evm.storage(a, s) for s in pre_slots | slots.get(a, set())}
        if nonce == 0 and balance == 0 and code_hash == EMPTY_CODE_HASH:
            continue
        accounts[a] = (nonce, balance, code_hash, storage)
    outcome = Outcome("0x" + state_root(accounts).hex(), "0x" + logs_hash(logs).hex(), gas_used,
                      error is None, output, error, best)
    outcome.accounts = accounts
    return outcome
