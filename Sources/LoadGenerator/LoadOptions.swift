import Foundation
import Primitives

/// `rollup-load` flags (see `usage`), checked by `validate()` with messages naming the flag.
struct LoadOptions: Sendable {
    enum Target: Sendable {
        /// Start this rollup-node binary with a fresh datadir (the default).
        case binary(String)
        /// Use a node that is already running.
        case url(String)
    }

    var target: Target = .binary(LoadOptions.siblingBinary)
    var chain = "chains/bench.json"
    var nodeArguments: [String] = []
    var datadir: String?
    var nodePID: Int32?
    var senders = 4096
    var concurrency = 16
    /// Offered transactions per second; 0 = as fast as the node takes them (bounded by `maxPending`).
    var rate = 0.0
    var duration = 60.0
    var warmup = 10.0
    var drain = 15.0
    var maxPending = 20_000
    var presignPerSender: Int?
    var receiptsLog: String?
    var surviveRestarts = false
    var progressInterval = 10.0
    var skipEcrecover = false
    var workload = Workload.transfer

    /// `rollup-node` next to this executable (`swift build` puts both in the same folder).
    static var siblingBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rollup-node").path
    }

    static let usage = """
        usage: rollup-load [options]              load a node and print its figures
               rollup-load make-chain [--senders N] [--gas-limit G]
                                                  print the benchmark chain spec (chains/bench.json)

        The node: started here (--binary, the default) or already running (--url).
          --binary PATH          rollup-node to start (default: rollup-node next to rollup-load); it runs
                                 `node --chain <--chain> --test --sequencer.enabled --sequencer.auto-start
                                 --http` on a free port with a fresh datadir, and is stopped at the end
          --chain PATH           chain spec for --binary (default chains/bench.json)
          --node-arg ARG         one more argument for the node, repeatable (--node-arg=--sequencer.block-time=500)
          --datadir PATH         with --binary: the node's datadir (default: a fresh one, deleted after the
                                 run); with --url: the datadir whose size is measured
          --url URL              a running node (http://127.0.0.1:8545); its memory is read only with
                                 --node-pid, its disk use only with --datadir
          --node-pid PID         with --url: the node's process id, for its resident memory and CPU

        The load: transfers from the benchmark senders (key i = keccak256("rollup-node bench sender i"),
        funded by chains/bench.json), each to the next sender, pre-signed before the run.
          --senders N            sending accounts (default 4096)
          --concurrency N        keep-alive connections submitting eth_sendRawTransaction (default 16)
          --rate R               offered transactions per second; 0 = as fast as possible (default 0)
          --max-pending N        at most N transactions submitted and not yet included (default 20000)
          --warmup S             seconds of load before the measurement window (default 10)
          --duration S           the measurement window, seconds (default 60)
          --drain S              after the window, wait up to S seconds for outstanding receipts (default 15)
          --presign N            transactions per sender to pre-sign (default: enough for the run)
          --erc20 ADDRESS        send ERC-20 transfer(next sender, 1) calls to the token at ADDRESS instead of
                                 ETH transfers; the chain spec must give every sender a token balance
                                 (scripts/bench/erc20.sh writes one); a reverted call counts as a failed receipt
          --erc20-gas G          gas limit of each ERC-20 call (default 100000)

        Output and soak:
          --receipts-log PATH    append `<tx hash> <block hash> <block number>` for every receipt received
          --survive-restarts     when the node goes away, wait for it to come back and resend from each
                                 sender's confirmed nonce (for scripts/soak.sh) instead of failing
          --progress S           a progress line every S seconds (default 10; 0 = none)
          --skip-ecrecover       do not measure the single-core ecrecover rate
          --help                 this text

        """

    static func parse(_ arguments: [String]) throws(LoadGeneratorError) -> LoadOptions {
        var o = LoadOptions()
        var binary: String?
        var url: String?
        var erc20: Address?
        var erc20Gas = 100_000
        var rest = arguments[...]
        func value(_ flag: String, inline: String?) throws(LoadGeneratorError) -> String {
            if let inline { return inline }
            guard let v = rest.popFirst() else { throw LoadGeneratorError(.usage, "\(flag) needs a value (see --help)") }
            return v
        }
        func number(_ flag: String, _ text: String) throws(LoadGeneratorError) -> Double {
            guard let v = Double(text), v.isFinite else { throw LoadGeneratorError(.usage, "\(flag) \"\(text)\" is not a number") }
            return v
        }
        func integer(_ flag: String, _ text: String) throws(LoadGeneratorError) -> Int {
            guard let v = Int(text) else { throw LoadGeneratorError(.usage, "\(flag) \"\(text)\" is not a whole number") }
            return v
        }
        while let argument = rest.popFirst() {
            // --flag=value and --flag value are both accepted.
            let parts = argument.split(separator: "=", maxSplits: 1)
            let flag = String(parts[0])
            let inline = parts.count == 2 ? String(parts[1]) : nil
            switch flag {
            case "--binary": binary = try value(flag, inline: inline)
            case "--url": url = try value(flag, inline: inline)
            case "--chain": o.chain = try value(flag, inline: inline)
            case "--node-arg": o.nodeArguments.append(try value(flag, inline: inline))
            case "--datadir": o.datadir = try value(flag, inline: inline)
            case "--node-pid": o.nodePID = Int32(try integer(flag, value(flag, inline: inline)))
            case "--senders": o.senders = try integer(flag, value(flag, inline: inline))
            case "--concurrency": o.concurrency = try integer(flag, value(flag, inline: inline))
            case "--rate": o.rate = try number(flag, value(flag, inline: inline))
            case "--max-pending": o.maxPending = try integer(flag, value(flag, inline: inline))
            case "--warmup": o.warmup = try number(flag, value(flag, inline: inline))
            case "--duration": o.duration = try number(flag, value(flag, inline: inline))
            case "--drain": o.drain = try number(flag, value(flag, inline: inline))
            case "--presign": o.presignPerSender = try integer(flag, value(flag, inline: inline))
            case "--receipts-log": o.receiptsLog = try value(flag, inline: inline)
            case "--survive-restarts": o.surviveRestarts = true
            case "--progress": o.progressInterval = try number(flag, value(flag, inline: inline))
            case "--skip-ecrecover": o.skipEcrecover = true
            case "--erc20":
                let text = try value(flag, inline: inline)
                do { erc20 = try Address(hex: text) } catch { throw LoadGeneratorError(.usage, "--erc20 \(text) is not an address: \(error)") }
            case "--erc20-gas": erc20Gas = try integer(flag, value(flag, inline: inline))
            default: throw LoadGeneratorError(.usage, "unknown flag \(argument) (see --help)")
            }
        }
        if binary != nil && url != nil { throw LoadGeneratorError(.usage, "--binary and --url exclude each other: start a node or use one") }
        if let url { o.target = .url(url) } else if let binary { o.target = .binary(binary) }
        if let erc20 {
            guard erc20Gas >= 21_000 else { throw LoadGeneratorError(.usage, "--erc20-gas must be at least 21000") }
            o.workload = .erc20(token: erc20, gasLimit: UInt64(erc20Gas))
        } else if erc20Gas != 100_000 {
            throw LoadGeneratorError(.usage, "--erc20-gas needs --erc20")
        }
        try o.validate()
        return o
    }

    func validate() throws(LoadGeneratorError) {
        func check(_ ok: Bool, _ message: String) throws(LoadGeneratorError) {
            if !ok { throw LoadGeneratorError(.usage, message) }
        }
        try check(senders >= 1, "--senders must be at least 1")
        try check(concurrency >= 1 && concurrency <= 1000, "--concurrency must be between 1 and 1000 connections")
        try check(rate >= 0, "--rate must be 0 (as fast as possible) or a positive number of transactions per second")
        try check(maxPending >= concurrency, "--max-pending must be at least --concurrency (\(concurrency))")
        try check(warmup >= 0, "--warmup must be 0 or more seconds")
        try check(duration > 0, "--duration must be more than 0 seconds")
        try check(drain >= 0, "--drain must be 0 or more seconds")
        try check(progressInterval >= 0, "--progress must be 0 (none) or more seconds")
        if let presignPerSender { try check(presignPerSender >= 1, "--presign must be at least 1 transaction per sender") }
        switch target {
        case .binary(let path):
            try check(FileManager.default.isExecutableFile(atPath: path),
                      "--binary \(path) is not an executable (build it: swift build -c release --product rollup-node)")
            try check(FileManager.default.fileExists(atPath: chain), "--chain \(chain) does not exist (run from the repository root, or give its path)")
            try check(nodePID == nil, "--node-pid is for --url: with --binary the generator knows the node's process")
        case .url(let url):
            try check(HTTPEndpoint(url: url) != nil, "--url \(url) is not http://<IPv4 address or localhost>:<port>")
            try check(nodeArguments.isEmpty, "--node-arg is for --binary: the node at --url is already running")
        }
    }
}
