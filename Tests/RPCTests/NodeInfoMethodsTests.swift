import Testing
@testable import RPC

@Suite struct NodeInfoMethodsTests {
    let rpc = TestMethods.dispatcher()

    @Test func reportsTheClientVersion() async {
        #expect(await rpc.call("web3_clientVersion") == .success(.string(RPCClientVersion.current)))
        #if os(Linux) && arch(x86_64)
            #expect(RPCClientVersion.current == "rollup-node/v0.1.0/linux-x86_64/swift6")
        #endif
    }

    @Test func hashesWithKeccak() async {
        #expect(await rpc.call("web3_sha3", ["0x68656c6c6f20776f726c64"])
            == .success("0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad"))
        #expect(await rpc.call("web3_sha3", ["0x"])
            == .success("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"))
        #expect(await rpc.call("web3_sha3", ["0x123"]) == .failure(.invalidParams("invalid argument 0: hex string of odd length")))
        #expect(await rpc.call("web3_sha3") == .failure(.invalidParams("missing value for required argument 0")))
    }

    @Test func answersTheNetMethods() async {
        #expect(await rpc.call("net_version") == .success("534352"))
        #expect(await rpc.call("net_listening") == .success(true))
        #expect(await rpc.call("net_peerCount") == .success("0x0"))
    }
}
