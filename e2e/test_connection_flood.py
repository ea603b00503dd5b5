"""An idle-connection flood does not lock out real clients (issue 16): with 3,000 TCP
connections open to the HTTP port and never sending a byte (more than the server's limit of
1,024), a real JSON-RPC request on a new connection still answers, because at the limit the
server closes the connection idle the longest instead of refusing the newcomer."""
import json
import resource
import socket
import time
import urllib.request


def rpc(url, method, params=()):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_three_thousand_idle_connections_do_not_lock_out_a_real_request(node):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4_000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8_192), hard))
    idle = []
    try:
        for _ in range(3_000):
            s = socket.create_connection(("127.0.0.1", node.port), timeout=5)
            idle.append(s)
        time.sleep(1.0)  # let the server accept them all
        for attempt in range(3):
            reply = rpc(node.url, "eth_blockNumber")
            assert "result" in reply, reply
        # The newest idle connections are still open (the server evicts the oldest first).
        newest = idle[-1]
        body = b'{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}'
        newest.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                       % (len(body), body))
        newest.settimeout(10)
        data = b""
        while b'"id":7' not in data:
            chunk = newest.recv(4096)
            assert chunk, "the newest idle connection was closed"
            data += chunk
        assert b'"result":"0x539"' in data
    finally:
        for s in idle:
            s.close()
