"""Independent checks of what the node serves: block hashes and block signatures recomputed
with the Python Ethereum libraries, not with the node's code."""
import rlp
from eth_keys import keys
from eth_utils import keccak, to_bytes, to_canonical_address, to_checksum_address


def _int(v):
    return int(v, 16) if isinstance(v, str) else int(v)


def _bytes(v):
    return to_bytes(hexstr=v) if isinstance(v, str) else bytes(v)


def header_fields(block, with_extra_data=True):
    """The London header fields in order (protocol.md), from a JSON-RPC block object."""
    fields = [
        _bytes(block["parentHash"]), _bytes(block["sha3Uncles"]), to_canonical_address(block["miner"]),
        _bytes(block["stateRoot"]), _bytes(block["transactionsRoot"]), _bytes(block["receiptsRoot"]),
        _bytes(block["logsBloom"]), _int(block["difficulty"]), _int(block["number"]), _int(block["gasLimit"]),
        _int(block["gasUsed"]), _int(block["timestamp"]),
    ]
    if with_extra_data:
        fields.append(_bytes(block["extraData"]))
    fields += [_bytes(block["mixHash"]), _bytes(block["nonce"]), _int(block["baseFeePerGas"])]
    return fields


def block_hash(block):
    return keccak(rlp.encode(header_fields(block)))


def signature_digest(block):
    """Scroll's signed digest: keccak256(rlp(header without extraData)), no prefix."""
    return keccak(rlp.encode(header_fields(block, with_extra_data=False)))


def recover_signer(digest, signature_hex):
    sig = _bytes(signature_hex)
    assert len(sig) == 65, f"signature has {len(sig)} bytes"
    assert sig[64] in (0, 1), f"v must be 0 or 1, got {sig[64]}"
    s = int.from_bytes(sig[32:64], "big")
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    assert s <= n // 2, "signature is not low-s"
    return to_checksum_address(keys.Signature(sig).recover_public_key_from_msg_hash(digest).to_canonical_address())
