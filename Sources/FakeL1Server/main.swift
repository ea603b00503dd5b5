// fake-l1: a fake L1 JSON-RPC node for local development (see docs/l1-local.md).
//
// Serves the chain spec's L1 (chain id 31337, message queue 0x…1000 by default), mines a block
// every --block-time seconds, and takes messages through `fake_enqueue` (or --enqueue-every).
import FakeL1
import Foundation
import Primitives

let usage = """
usage: fake-l1 [options]

  --host ADDRESS              IPv4 address to listen on (default 127.0.0.1)
  --port N                    port (default 8546; 0 picks a free one)
  --chain-id N                L1 chain id (default 31337, as chains/dev.json's l1.chainId)
  --message-queue ADDRESS     queue contract (default 0x0000000000000000000000000000000000001000)
  --block-time SECONDS        mine a block every SECONDS (default 1; 0: only on fake_mine)
  --finalized-distance N      finalized lags latest by N blocks (default 2)
  --enqueue-every K           enqueue a message every K blocks (default 0: never)
  --enqueue-to ADDRESS        target of those messages (default 0x70997970C51812dc3A010C7d01b50e0d17dc79C8)
  --help                      this text

JSON-RPC extras:
  fake_enqueue {"to": "0x…", "value": "0x…" or decimal, "gasLimit": 100000, "data": "0x…", "sender": "0x…"}
      queues a message for the next block; returns {"queueIndex": "0x…"}
  fake_mine [n]               mines n blocks (default 1) now; returns the head number
  fake_reorg {"depth": k, "messages": "keep"|"drop", "newBlocks": m}
      replaces the last k blocks with a new fork; returns the head number

"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("fake-l1: \(message)\n".utf8))
    exit(2)
}

func required<T>(_ value: T?, _ message: @autoclosure () -> String) -> T {
    guard let value else { fail(message()) }
    return value
}

/// One line on stdout, unbuffered (stdout is often a pipe or a file).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data("fake-l1: \(line)\n".utf8))
}

var host = "127.0.0.1"
var port: UInt16 = 8546
var chainID: UInt64 = 31337
var queue = try! Address(hex: "0x0000000000000000000000000000000000001000")
var blockTime = 1.0
var finalizedDistance: UInt64 = 2
var enqueueEvery = 0
var enqueueTo = try! Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")

var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    if flag == "--help" || flag == "-h" { print(usage, terminator: ""); exit(0) }
    guard !arguments.isEmpty else { fail("\(flag) needs a value (see --help)") }
    let value = arguments.removeFirst()
    switch flag {
    case "--host": host = value
    case "--port": port = required(UInt16(value), "--port: \(value) is not a port number")
    case "--chain-id": chainID = required(UInt64(value), "--chain-id: \(value) is not a number")
    case "--message-queue": queue = required((try? Address(hex: value)), "--message-queue: \(value) is not an address")
    case "--block-time":
        guard let t = Double(value), t >= 0 else { fail("--block-time: \(value) is not a non-negative number") }
        blockTime = t
    case "--finalized-distance": finalizedDistance = required(UInt64(value), "--finalized-distance: \(value) is not a number")
    case "--enqueue-every": enqueueEvery = required(Int(value), "--enqueue-every: \(value) is not a number")
    case "--enqueue-to": enqueueTo = required((try? Address(hex: value)), "--enqueue-to: \(value) is not an address")
    default: fail("unknown option \(flag) (see --help)")
    }
}

let chain = FakeL1Chain(chainID: chainID, messageQueue: queue, finalizedDistance: finalizedDistance,
                        genesisTimestamp: UInt64(Date().timeIntervalSince1970), blockInterval: UInt64(max(1, blockTime.rounded())))
let l1 = FakeL1(chain: chain)
l1.setMaxResults(10_000)
let server: FakeL1HTTPServer
do {
    server = try FakeL1HTTPServer(l1: l1, host: host, port: port)
} catch {
    fail("\(error)")
}
say("serving L1 chain \(chainID) on \(server.url) (message queue \(queue), finalized = latest - \(finalizedDistance))")
say("point a node at it with --l1.url \(server.url)")

if blockTime > 0 {
    var mined = 0
    let sender = try! Address(hex: "0x1111111111111111111111111111111111111111")
    while true {
        try await Task.sleep(for: .milliseconds(Int(blockTime * 1000)))
        mined += 1
        if enqueueEvery > 0 && mined % enqueueEvery == 0 {
            let index = chain.enqueue(.init(sender: sender, target: enqueueTo, value: U256(1_000_000_000_000_000), gasLimit: 100_000))
            say("enqueued message \(index) to \(enqueueTo)")
        }
        let before = chain.messageCount
        let head = chain.mine()
        let added = chain.messageCount - before
        if added > 0 || head % 10 == 0 {
            say("block \(head) (finalized \(chain.finalizedNumber))\(added > 0 ? ", \(added) message(s)" : "")")
        }
    }
} else {
    while true { try await Task.sleep(for: .seconds(3600)) }
}
