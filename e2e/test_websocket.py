"""JSON-RPC over WebSocket and HTTP filters, with web3.py as users run it."""
import asyncio
import time

from eth_account import Account
from web3 import AsyncWeb3, Web3, WebSocketProvider

from conftest import KEYS, free_port

FAST = ["--sequencer.allow-empty-blocks", "--sequencer.block-time", "250",
        "--sequencer.payload-building-duration", "200"]


def test_websocket_new_heads_are_consecutive_and_match_http(node_factory):
    ws_port = free_port()
    node = node_factory(FAST + ["--ws", "--ws.port", str(ws_port)]).start()

    async def collect(count):
        async with AsyncWeb3(WebSocketProvider(f"ws://127.0.0.1:{ws_port}")) as w3:
            assert await w3.eth.chain_id == 1337
            sub = await w3.eth.subscribe("newHeads")
            heads = []
            async for message in w3.socket.process_subscriptions():
                assert message["subscription"] == sub
                heads.append(message["result"])
                if len(heads) == count:
                    break
            assert await w3.eth.unsubscribe(sub)
            return heads

    heads = asyncio.run(asyncio.wait_for(collect(16), 30))
    numbers = [h["number"] for h in heads]
    assert numbers == list(range(numbers[0], numbers[0] + 16)), numbers
    for previous, current in zip(heads, heads[1:]):
        assert current["parentHash"] == previous["hash"]
    http = Web3(Web3.HTTPProvider(node.url))
    for head in heads:
        block = http.eth.get_block(head["number"])
        assert block["hash"] == head["hash"] and block["stateRoot"] == head["stateRoot"]


def test_websocket_pending_transactions_and_plain_calls(node_factory):
    ws_port = free_port()
    node = node_factory(["--ws", "--ws.port", str(ws_port), "--ws.api", "eth,net,web3,txpool"]).start()
    account = Account.from_key(KEYS[1])

    async def run():
        async with AsyncWeb3(WebSocketProvider(f"ws://127.0.0.1:{ws_port}")) as w3:
            sub = await w3.eth.subscribe("newPendingTransactions")
            nonce = await w3.eth.get_transaction_count(account.address)
            signed = account.sign_transaction({
                "chainId": 1337, "nonce": nonce, "to": "0x000000000000000000000000000000000000dEaD", "value": 1,
                "gas": 21000, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
            sent = await w3.eth.send_raw_transaction(signed.raw_transaction)
            async for message in w3.socket.process_subscriptions():
                assert message["subscription"] == sub
                assert message["result"] == sent
                break
            receipt = await w3.eth.wait_for_transaction_receipt(sent, timeout=10)
            assert receipt["status"] == 1
            assert (await w3.provider.make_request("txpool_status", []))["result"] is not None

    asyncio.run(asyncio.wait_for(run(), 30))


def test_http_block_filter_gets_every_new_block_exactly_once(node_factory):
    node = node_factory(FAST).start()
    w3 = Web3(Web3.HTTPProvider(node.url))
    block_filter = w3.eth.filter("latest")
    seen = []
    deadline = time.time() + 5
    while time.time() < deadline:
        seen += block_filter.get_new_entries()
        time.sleep(0.7)  # slower than the blocks: several arrive per poll
    seen += block_filter.get_new_entries()
    assert len(seen) >= 12, seen
    assert len(set(seen)) == len(seen)
    numbers = [w3.eth.get_block(h)["number"] for h in seen]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), numbers
    assert w3.eth.uninstall_filter(block_filter.filter_id)


def test_a_websocket_client_that_does_not_read_is_disconnected_and_blocks_go_on(node_factory):
    """A client that pipelines requests and never reads the answers fills its bounded send
    queue (4,096 messages / 16 MiB) and is closed with a warning; the node keeps producing
    blocks and serves other clients."""
    import json

    from websockets.sync.client import connect

    ws_port = free_port()
    node = node_factory(FAST + ["--ws", "--ws.port", str(ws_port)]).start()
    http = Web3(Web3.HTTPProvider(node.url))
    # max_queue=1: the client library stops reading the socket after one unread message, so the
    # answers pile up in the kernel's buffers and then in the node's queue for this connection.
    with connect(f"ws://127.0.0.1:{ws_port}", max_queue=1, open_timeout=10, close_timeout=1) as slow:
        request = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_getBlockByNumber", "params": ["latest", False]})
        head_before = http.eth.block_number
        closed = False
        deadline = time.time() + 60
        sent = 0
        slow.socket.settimeout(5)
        while time.time() < deadline and not closed:
            try:
                for _ in range(500):
                    slow.send(request)
                    sent += 1
            except Exception:  # ConnectionClosed, or a write timeout once the node stopped reading
                closed = True
                break
            if "the client does not read its messages" in node.log():
                closed = True
        assert closed, f"the node kept a client that read nothing after {sent} requests"
        wait_deadline = time.time() + 10
        while "the client does not read its messages" not in node.log() and time.time() < wait_deadline:
            time.sleep(0.1)
        assert "Closing WebSocket connection: the client does not read its messages" in node.log()
    # Blocks go on, and a well-behaved client is served.
    deadline = time.time() + 10
    while http.eth.block_number < head_before + 4 and time.time() < deadline:
        time.sleep(0.1)
    assert http.eth.block_number >= head_before + 4

    async def fresh():
        async with AsyncWeb3(WebSocketProvider(f"ws://127.0.0.1:{ws_port}")) as w3:
            return await w3.eth.block_number

    assert asyncio.run(asyncio.wait_for(fresh(), 10)) >= head_before + 4
