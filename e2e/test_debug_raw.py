"""debug_getRawHeader / RawBlock / RawReceipts / RawTransaction (issue 15) against independent
decoders: the header hashes to the block hash, the raw block's transactions and the raw
receipts rebuild the header's transactions and receipts roots with the `trie` package."""
import rlp
from eth_utils import keccak
from trie import HexaryTrie
from web3 import Web3


def test_raw_encodings_rebuild_the_headers_hashes_and_roots(node_factory):
    node = node_factory(["--sequencer.block-time", "1000"]).start()  # --test serves debug
    w3 = Web3(Web3.HTTPProvider(node.url))
    a0, a1, a2 = w3.eth.accounts[:3]
    w3.provider.make_request("rollupNodeAdmin_disableAutomaticSequencing", [])
    sent = [w3.eth.send_transaction({"from": a0, "to": a1, "value": 1}),
            w3.eth.send_transaction({"from": a1, "to": a2, "value": 2, "gasPrice": w3.eth.gas_price}),
            w3.eth.send_transaction({"from": a2, "to": a0, "value": 3, "type": 1, "gasPrice": w3.eth.gas_price})]
    w3.provider.make_request("evm_mine", [])  # all three in one block
    receipts = [w3.eth.get_transaction_receipt(h) for h in sent]
    number = receipts[0]["blockNumber"]
    assert {r["blockNumber"] for r in receipts} == {number} and [r["type"] for r in receipts] == [2, 0, 1]
    block = w3.eth.get_block(number)

    def call(method, params):
        reply = w3.provider.make_request(method, params)
        assert "result" in reply, reply
        return reply["result"]

    raw_header = bytes.fromhex(call("debug_getRawHeader", [hex(number)])[2:])
    assert keccak(raw_header) == block["hash"]
    assert call("debug_getRawHeader", [block["hash"].to_0x_hex()]) == "0x" + raw_header.hex()

    header, transactions, uncles = rlp.decode(bytes.fromhex(call("debug_getRawBlock", [hex(number)])[2:]))
    assert rlp.encode(header) == raw_header and uncles == []
    tx_trie = HexaryTrie({})
    hashes = []
    for i, tx in enumerate(transactions):
        envelope = rlp.encode(tx) if isinstance(tx, list) else tx  # legacy as a list, typed as bytes
        hashes.append(keccak(envelope))
        assert call("debug_getRawTransaction", ["0x" + hashes[-1].hex()]) == "0x" + envelope.hex()
        tx_trie[rlp.encode(i)] = envelope
    assert hashes == list(block["transactions"]) and sorted(hashes) == sorted(bytes(h) for h in sent)
    assert tx_trie.root_hash == block["transactionsRoot"]

    receipt_trie = HexaryTrie({})
    for i, raw in enumerate(call("debug_getRawReceipts", [hex(number)])):
        receipt_trie[rlp.encode(i)] = bytes.fromhex(raw[2:])
    assert receipt_trie.root_hash == block["receiptsRoot"]

    assert call("debug_getRawBlock", ["0x999999"]) is None
    assert call("debug_getRawTransaction", ["0x" + "00" * 32]) is None
