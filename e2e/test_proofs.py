"""eth_getProof (EIP-1186) checked with an independent trie library (`trie`'s
HexaryTrie.get_from_proof) against the header's state root: an account with storage (present and
absent keys), an account without storage, an account that does not exist, and an older block."""
import rlp
from eth_account import Account
from eth_utils import keccak
from trie import HexaryTrie
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from conftest import KEYS
from test_contract_chain import deploy

EMPTY_ROOT = HexaryTrie({}).root_hash


def be(n):
    """An integer as RLP stores it: minimal big-endian bytes, empty for zero."""
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def verify(w3, address, keys, block):
    header = w3.eth.get_block(block)
    reply = w3.provider.make_request("eth_getProof", [address, [hex(k) for k in keys], hex(header["number"])])
    assert "result" in reply, reply
    proof = reply["result"]
    # py-trie takes the proof's nodes decoded (its `_set_raw_node` hashes their re-encoding).
    nodes = [rlp.decode(bytes.fromhex(n[2:])) for n in proof["accountProof"]]
    leaf = HexaryTrie.get_from_proof(bytes(header["stateRoot"]), keccak(bytes.fromhex(address[2:])), nodes)
    nonce, balance = int(proof["nonce"], 16), int(proof["balance"], 16)
    storage_hash, code_hash = bytes.fromhex(proof["storageHash"][2:]), bytes.fromhex(proof["codeHash"][2:])
    if leaf == b"":
        assert (nonce, balance, storage_hash, code_hash) == (0, 0, EMPTY_ROOT, keccak(b"")), proof
    else:
        assert rlp.decode(leaf) == [be(nonce), be(balance), storage_hash, code_hash]
    assert balance == w3.eth.get_balance(address, header["number"])
    assert nonce == w3.eth.get_transaction_count(address, header["number"])
    words = {}
    for entry, key in zip(proof["storageProof"], keys):
        assert int(entry["key"], 16) == key
        got = HexaryTrie.get_from_proof(storage_hash, keccak(key.to_bytes(32, "big")),
                                        [rlp.decode(bytes.fromhex(n[2:])) for n in entry["proof"]])
        value = int(entry["value"], 16)
        assert (rlp.decode(got) if got else b"") == be(value)
        assert value == int.from_bytes(w3.eth.get_storage_at(address, key, header["number"]), "big")
        words[key] = value
    return proof, words


def test_proofs_verify_against_the_state_root(node):
    w3 = Web3(Web3.HTTPProvider(node.url))
    alice = Account.from_key(KEYS[1])
    w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(alice), layer=0)
    counter, receipt = deploy(w3, "Counter", alice.address, 5)
    created = receipt["blockNumber"]
    w3.eth.wait_for_transaction_receipt(counter.functions.bump(3).transact({"from": alice.address}), timeout=20, poll_latency=0.05)

    proof, words = verify(w3, counter.address, [0, 1, 2, 12345], "latest")
    assert words[0] == 8 and words[2] == 0 and words[12345] == 0
    assert int.from_bytes(bytes.fromhex(proof["storageHash"][2:]), "big") != int.from_bytes(EMPTY_ROOT, "big")
    _, words = verify(w3, counter.address, [0], created)
    assert words[0] == 5, "the proof at the creation block proves the value then"
    verify(w3, alice.address, [0], "latest")  # an account without storage
    proof, _ = verify(w3, "0x000000000000000000000000000000000000dEaD", [7], "latest")  # absent
    assert proof["accountProof"], "absence is proven by the path's nodes"

    bad = w3.provider.make_request("eth_getProof", [alice.address, "0x0", "latest"])
    assert bad["error"]["code"] == -32602 and "expected an array of storage keys" in bad["error"]["message"]
    bad = w3.provider.make_request("eth_getProof", [alice.address, ["0xzz"], "latest"])
    assert bad["error"]["code"] == -32602 and "key 0" in bad["error"]["message"]
