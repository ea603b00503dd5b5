"""Subscriptions across an L1-reorg rollback (issue 16): a web3.py WebSocket client subscribed to
`newHeads` and `logs` sees a contract's log, then, when the L1 block holding the message that
caused it is reorged away (depth mode), the same log again with `removed: true`, then the new
chain's heads (the first one building on the block the chain was rolled back to, none missed or
repeated) and the new chain's log. An HTTP log filter polled across the rollback gets the same."""
import asyncio

from web3 import AsyncWeb3, Web3, WebSocketProvider

from conftest import free_port
from test_l1_message_calls import deploy_recorder, enqueue

FAST = ["--sequencer.allow-empty-blocks", "--sequencer.block-time", "250",
        "--sequencer.payload-building-duration", "200"]


def num(value):
    """web3.py formats subscription results (ints, HexBytes); raw JSON has hex strings."""
    return value if isinstance(value, int) else int(value, 16)


def hx(value):
    return value if isinstance(value, str) else "0x" + bytes(value).hex()


def arg(log):
    """The last word of a Recorded log's data: its x."""
    return int.from_bytes(bytes.fromhex(hx(log["data"])[2:])[-32:], "big")


class Stream:
    """The messages of two subscriptions on one socket, sorted into heads and logs."""

    def __init__(self, w3, heads_id, logs_id):
        self.iterator = w3.socket.process_subscriptions().__aiter__()
        self.heads_id, self.logs_id = heads_id, logs_id
        self.heads, self.logs = [], []

    async def until(self, predicate, what, timeout=30):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; heads {[num(h['number']) for h in self.heads][-8:]}, "
                                     f"logs {[(num(x['blockNumber']), x['removed']) for x in self.logs]}")
            message = await asyncio.wait_for(self.iterator.__anext__(), remaining)
            if message["subscription"] == self.heads_id:
                self.heads.append(message["result"])
            elif message["subscription"] == self.logs_id:
                self.logs.append(message["result"])
            else:
                raise AssertionError(f"a message for an unknown subscription: {message}")


def test_logs_of_rolled_back_blocks_come_again_removed_and_heads_follow_the_new_chain(node_factory, fake_l1):
    ws_port = free_port()
    node = node_factory(FAST + ["--ws", "--ws.port", str(ws_port), "--l1.url", fake_l1.url, "--l1.poll-interval", "200",
                                "--sequencer.l1-inclusion-mode", "depth:0"]).start()
    http = Web3(Web3.HTTPProvider(node.url))
    recorder = deploy_recorder(http)
    http_filter = http.eth.filter({"address": recorder.address})
    fake_l1.call("fake_mine", [2])

    async def run():
        async with AsyncWeb3(WebSocketProvider(f"ws://127.0.0.1:{ws_port}")) as w3:
            heads_id = await w3.eth.subscribe("newHeads")
            logs_id = await w3.eth.subscribe("logs", {"address": recorder.address})
            s = Stream(w3, heads_id, logs_id)
            await s.until(lambda: len(s.heads) >= 2, "the first heads")

            enqueue(fake_l1, recorder.address, recorder.encode_abi("record", [42]))
            fake_l1.call("fake_mine", [1])
            await s.until(lambda: len(s.logs) == 1, "the log of message 0")
            first = s.logs[0]
            assert first["removed"] is False and arg(first) == 42
            await s.until(lambda: num(s.heads[-1]["number"]) > num(first["blockNumber"]), "a head past the log's block")

            # The L1 block holding message 0 is replaced by a fork without it.
            rolled_back_from = len(s.heads)
            fake_l1.call("fake_reorg", [{"depth": 1, "messages": "drop", "newBlocks": 2}])
            await s.until(lambda: len(s.logs) == 2, "the removed log")
            removed = s.logs[1]
            assert removed["removed"] is True
            for key in ("transactionHash", "blockHash", "blockNumber", "logIndex", "address", "topics", "data"):
                assert removed[key] == first[key], key
            # The rolled-back message transaction is gone from the chain.
            assert http.provider.make_request("eth_getTransactionReceipt", [hx(first["transactionHash"])])["result"] is None

            # The new chain's heads: the first one builds on a block seen before the rollback
            # (at or below the log's parent), and from there on no head is missed or repeated.
            await s.until(lambda: any(num(h["number"]) <= num(first["blockNumber"]) for h in s.heads[rolled_back_from:]),
                          "the first head of the new chain")
            new_heads = s.heads[rolled_back_from:]
            fork_at = next(i for i, h in enumerate(new_heads) if num(h["number"]) <= num(first["blockNumber"]))
            fork_head = new_heads[fork_at]
            seen_before = {hx(h["hash"]): h for h in s.heads[:rolled_back_from]}
            assert hx(fork_head["parentHash"]) in seen_before, "the new chain's first head does not build on a block the client saw"
            assert num(seen_before[hx(fork_head["parentHash"])]["number"]) == num(fork_head["number"]) - 1
            await s.until(lambda: len(s.heads) >= rolled_back_from + fork_at + 6, "more heads of the new chain")
            chain = s.heads[rolled_back_from + fork_at:]
            for previous, current in zip(chain, chain[1:]):
                assert num(current["number"]) == num(previous["number"]) + 1
                assert hx(current["parentHash"]) == hx(previous["hash"])
            for h in chain:
                assert http.eth.get_block(num(h["number"]))["hash"].to_0x_hex() == hx(h["hash"])

            # A new message 0 on the new fork: its log on the new chain.
            enqueue(fake_l1, recorder.address, recorder.encode_abi("record", [43]))
            fake_l1.call("fake_mine", [1])
            await s.until(lambda: len(s.logs) == 3, "the new chain's log")
            again = s.logs[2]
            assert again["removed"] is False and arg(again) == 43
            assert http.eth.get_block(num(again["blockNumber"]))["hash"].to_0x_hex() == hx(again["blockHash"])
            return first, removed, again

    first, removed, again = asyncio.run(asyncio.wait_for(run(), 120))
    # The HTTP filter polled once across the whole story gets the three logs in order.
    changes = http.eth.get_filter_changes(http_filter.filter_id)
    assert [(c["transactionHash"].to_0x_hex(), c["removed"]) for c in changes] == [
        (hx(first["transactionHash"]), False), (hx(removed["transactionHash"]), True), (hx(again["transactionHash"]), False)]
