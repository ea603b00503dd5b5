import ArgumentParser
import Foundation
import L1Watcher
import Primitives
import Testing
@testable import RollupNode

struct CLIValidationTests {
    static let base = ["--chain", "dev"]

    /// Each bad flag gives a message that names the flag.
    @Test(arguments: [
        (["--sequencer.block-time", "0"], "--sequencer.block-time must be greater than 0"),
        (["--sequencer.payload-building-duration", "1000"], "--sequencer.payload-building-duration (1000 ms) must be below --sequencer.block-time (1000 ms)"),
        (["--sequencer.block-time", "250", "--sequencer.payload-building-duration", "300"], "must be below --sequencer.block-time (250 ms)"),
        (["--sequencer.block-time", "18446744073709551615"], "--sequencer.block-time must be at most 3600000 milliseconds (one hour), got 18446744073709551615"),
        (["--sequencer.block-time", "3600001", "--sequencer.payload-building-duration", "800"], "--sequencer.block-time must be at most 3600000 milliseconds"),
        (["--l1.poll-interval", "9223372036854775808"], "--l1.poll-interval must be at most 3600000 milliseconds"),
        (["--sequencer.l1-inclusion-mode", "latest"], "The value 'latest' is invalid for '--sequencer.l1-inclusion-mode <sequencer.l1-inclusion-mode>': use finalized, finalized:N or depth:N"),
        (["--sequencer.l1-inclusion-mode", "depth:-1"], "The value 'depth:-1' is invalid for '--sequencer.l1-inclusion-mode"),
        (["--sequencer.l1-inclusion-mode", "finalized:"], "is invalid for '--sequencer.l1-inclusion-mode"),
        (["--sequencer.fee-recipient", "0x12"], "The value '0x12' is invalid for '--sequencer.fee-recipient <sequencer.fee-recipient>': invalid address"),
        (["--sequencer.max-txs-per-block", "0"], "--sequencer.max-txs-per-block must be at least 1"),
        (["--sequencer.enabled"], "--sequencer.enabled needs a block signer: give --signer.key-file or --signer.aws-kms-key-id (or --test"),
        (["--sequencer.enabled", "--signer.key-file", "k"], "--sequencer.enabled needs --l1.url"),
        (["--test", "--signer.key-file", "k", "--signer.aws-kms-key-id", "a"], "--signer.key-file and --signer.aws-kms-key-id are mutually exclusive"),
        (["--signer.address", "0xabc"], "The value '0xabc' is invalid for '--signer.address <signer.address>': invalid address"),
        (["--l1.url", "ws://x"], "--l1.url \"ws://x\" is not an http:// or https:// URL"),
        (["--l1.query-range", "20000"], "--l1.query-range must be between 1 and 10000"),
        (["--http.port", "70000"], "--http.port must be between 0 and 65535"),
        (["--http.api", "eth,admin"], "--http.api: unknown namespace \"admin\""),
        (["--http.api", "eth,evm"], "--http.api: the \"evm\" namespace is served only on a development chain (--test)"),
        (["--ws.api", "personal"], "--ws.api: the \"personal\" namespace is served only on a development chain (--test)"),
        (["--log.level", "loud"], "--log.level \"loud\" is not a level"),
        (["--log.filter", "engine"], "--log.filter: \"engine\" is not component=level"),
        (["--follow", "http://a:8545", "--sequencer.enabled", "--test"], "--follow and --sequencer.enabled are exclusive"),
        (["--follow", "http://a:8545", "--test"], "--follow cannot be combined with --test"),
        (["--follow", "notaurl"], "--follow: \"notaurl\" is not an http:// or https:// URL with a host"),
        (["--follow", " , "], "--follow: no URL in"),
        (["--follow", "http://a:8545", "--follow.batch-size", "0"], "--follow.batch-size must be between 1 and 256"),
    ] as [([String], String)])
    func rejectsBadFlagsNamingThem(_ args: [String], _ expected: String) {
        do {
            _ = try NodeCommand.parse(Self.base + args)
            Issue.record("accepted \(args)")
        } catch {
            let message = NodeCommand.message(for: error)
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func acceptsTheDevelopmentCommandAndTheInclusionModes() throws {
        let dev = try NodeCommand.parse(["--chain", "dev", "--test", "--sequencer.enabled", "--sequencer.auto-start", "--http"])
        #expect(dev.sequencer.blockTime == 1000)
        #expect(dev.sequencer.payloadBuildingDuration == 800)
        #expect(dev.sequencer.l1InclusionMode == .finalized(2))
        #expect(dev.sequencer.feeRecipient == (try Address(hex: "0x5300000000000000000000000000000000000005")))
        #expect(dev.http.port == 8545 && dev.http.addr == "127.0.0.1")
        for (mode, parsed) in [("finalized", L1InclusionMode.finalized(0)), ("FINALIZED:0", .finalized(0)), ("finalized:2", .finalized(2)),
                               ("depth:0", .depth(0)), ("Depth:3", .depth(3))] {
            #expect(try NodeCommand.parse(Self.base + ["--sequencer.l1-inclusion-mode", mode]).sequencer.l1InclusionMode == parsed)
        }
        let production = try NodeCommand.parse(["--chain", "spec.json", "--sequencer.enabled", "--signer.key-file", "/k",
                                              "--l1.url", "http://a:8545, https://b"])
        #expect(production.l1.urls == ["http://a:8545", "https://b"])
    }

    @Test func acceptsAFollowerWithSeveralSources() throws {
        let follower = try NodeCommand.parse(["--chain", "dev", "--follow", "http://10.0.0.5:8545, https://seq.example/rpc", "--http"])
        #expect(follower.follow.urls == ["http://10.0.0.5:8545", "https://seq.example/rpc"])
        #expect(follower.follow.enabled && !follower.sequencer.enabled)
    }

    @Test func environmentVariablesFillFlagsTheCommandLineDoesNotGive() throws {
        let env = ["ROLLUP_NODE_SEQUENCER_BLOCK_TIME": "250", "ROLLUP_NODE_SEQUENCER_PAYLOAD_BUILDING_DURATION": "200",
                   "ROLLUP_NODE_TEST": "true", "ROLLUP_NODE_HTTP": "0", "ROLLUP_NODE_CHAIN": "dev",
                   "ROLLUP_NODE_HTTP_PORT": "9000"]
        let merged = try EnvironmentArguments.merge(arguments: ["--http.port", "7000"], environment: env)
        let command = try NodeCommand.parse(merged)
        #expect(command.sequencer.blockTime == 250)
        #expect(command.chain.test)
        #expect(!command.http.enabled)
        #expect(command.http.port == 7000)  // the command line wins
        #expect(throws: EnvironmentArguments.Problem.self) {
            try EnvironmentArguments.merge(arguments: [], environment: ["ROLLUP_NODE_TEST": "maybe"])
        }
    }

    /// reth's `--metrics <addr:port>` sets the address and port; geth's bare `--metrics` still works.
    @Test func metricsTakesRethsAddressForm() throws {
        func parsed(_ args: [String], env: [String: String] = [:]) throws -> MetricsOptions {
            let merged = try EnvironmentArguments.merge(arguments: Self.base + args, environment: env)
            return try NodeCommand.parse(try EnvironmentArguments.expandMetricsAddress(merged)).metrics
        }
        let reth = try parsed(["--metrics", "0.0.0.0:9001", "--http"])
        #expect(reth.enabled && reth.addr == "0.0.0.0" && reth.port == 9001)
        let equals = try parsed(["--metrics=[::1]:9002"])
        #expect(equals.enabled && equals.addr == "::1" && equals.port == 9002)
        let geth = try parsed(["--metrics", "--metrics.port", "7000"])
        #expect(geth.enabled && geth.addr == "127.0.0.1" && geth.port == 7000)
        let fromEnvironment = try parsed([], env: ["ROLLUP_NODE_METRICS": "127.0.0.1:9100"])
        #expect(fromEnvironment.enabled && fromEnvironment.port == 9100)
        #expect(try parsed([], env: ["ROLLUP_NODE_METRICS": "true"]).enabled)
        #expect(try !parsed([]).enabled)
        for bad in ["--metrics=9001", "--metrics=:9001", "--metrics=host:99999", "--metrics=host:port"] {
            do {
                _ = try EnvironmentArguments.expandMetricsAddress([bad])
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.description.contains("expected <address>:<port>"), "\(error)")
            }
        }
    }

    /// Every flag in `node --help` has its environment variable, and the table names no flag
    /// the command does not have.
    @Test func everyFlagHasAnEnvironmentVariable() {
        let help = NodeCommand.helpMessage(columns: 10_000)
        var flags = Set<String>()
        for word in help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," || $0 == "(" || $0 == ")" }) where word.hasPrefix("--") {
            let name = (word.dropFirst(2).split(separator: "=").first.map(String.init) ?? "").trimmingCharacters(in: [".", ";", ":"])
            if !name.isEmpty && name != "help" && !name.contains("<") { flags.insert(name) }
        }
        let table = Set(EnvironmentArguments.nodeFlags.map(\.name))
        #expect(flags.subtracting(table).isEmpty, "flags without a variable: \(flags.subtracting(table).sorted())")
        #expect(table.subtracting(flags).isEmpty, "variables without a flag: \(table.subtracting(flags).sorted())")
        #expect(EnvironmentArguments.variableName(for: "sequencer.l1-inclusion-mode") == "ROLLUP_NODE_SEQUENCER_L1_INCLUSION_MODE")
    }
}
