import ArgumentParser
import Engine
import L1Watcher
import Primitives

/// Block production: the Scroll sequencer guide's `--sequencer.*` flags.
struct SequencerOptions: ParsableArguments {
    @Flag(name: .customLong("sequencer.enabled"), help: "Run as the sequencer: build, sign and commit blocks.")
    var enabled = false

    @Flag(name: .customLong("sequencer.auto-start"),
          help: "Start sequencing at boot (otherwise wait for rollupNodeAdmin_enableAutomaticSequencing). An explicit admin enable/disable is remembered across restarts and wins.")
    var autoStart = false

    @Option(name: .customLong("sequencer.block-time"), help: "Block time in milliseconds.")
    var blockTime: UInt64 = 1000

    @Option(name: .customLong("sequencer.payload-building-duration"),
            help: "How long each block takes transactions, in milliseconds; must be below the block time (sealing, signing and committing use the rest).")
    var payloadBuildingDuration: UInt64 = 800

    @Option(name: .customLong("sequencer.overrun-guard"),
            help: "true: a block stops taking transactions when sealing and committing what it has (estimated from the last blocks) would not fit in the slot, so that no slot is skipped under full load; false: only the building duration bounds it (more transactions per second at saturation, at the price of skipped slots).",
            transform: OptionValue.bool)
    var overrunGuard = true

    @Flag(name: .customLong("sequencer.allow-empty-blocks"),
          help: "Produce a block every slot even with nothing to include (by default a slot with no transaction and no L1 message makes no block).")
    var allowEmptyBlocks = false

    @Option(name: .customLong("sequencer.fee-recipient"),
            help: "Block beneficiary: receives the tips, and the base fee unless the chain burns it. (default: 0x5300000000000000000000000000000000000005)",
            transform: OptionValue.address)
    var feeRecipient: Address = Address([0x53] + [UInt8](repeating: 0, count: 18) + [0x05])  // 0x5300…0005, Scroll's fee vault

    @Option(name: .customLong("sequencer.l1-inclusion-mode"),
            help: "When an L1 message may be included: `finalized:N` (its L1 block <= L1 finalized - N), `finalized` (= finalized:0) or `depth:N` (its L1 block <= L1 latest - N). (default: finalized:2)",
            transform: OptionValue.inclusionMode)
    var l1InclusionMode: L1InclusionMode = .finalized(2)

    @Option(name: .customLong("sequencer.max-l1-messages"),
            help: "At most this many L1 messages per block (default: the chain spec's maxL1MessagesPerBlock).")
    var maxL1Messages: Int?

    @Option(name: .customLong("sequencer.max-txs-per-block"),
            help: "At most this many mempool transactions per block (default: no limit besides gas and time).")
    var maxTransactionsPerBlock: Int?

    func validate() throws {
        guard blockTime > 0 else { throw ValidationError("--sequencer.block-time must be greater than 0 milliseconds") }
        guard blockTime <= OptionValue.maxMilliseconds else {
            throw ValidationError("--sequencer.block-time must be at most \(OptionValue.maxMilliseconds) milliseconds (one hour), got \(blockTime)")
        }
        guard payloadBuildingDuration > 0 else {
            throw ValidationError("--sequencer.payload-building-duration must be greater than 0 milliseconds")
        }
        guard payloadBuildingDuration < blockTime else {
            throw ValidationError("--sequencer.payload-building-duration (\(payloadBuildingDuration) ms) must be below --sequencer.block-time (\(blockTime) ms): sealing, signing and committing need the rest of the slot")
        }
        if let maxL1Messages, maxL1Messages < 0 { throw ValidationError("--sequencer.max-l1-messages must be 0 or more") }
        if let maxTransactionsPerBlock, maxTransactionsPerBlock < 1 {
            throw ValidationError("--sequencer.max-txs-per-block must be at least 1")
        }
    }

    /// The sequencer's configuration from the validated flags (block time and budget are below
    /// one hour, so the conversions cannot trap).
    func configuration(defaultMaxL1Messages: Int) -> SequencerConfiguration {
        SequencerConfiguration(
            blockTime: .milliseconds(Int64(blockTime)),
            buildingBudget: .milliseconds(Int64(payloadBuildingDuration)),
            allowEmptyBlocks: allowEmptyBlocks,
            feeRecipient: feeRecipient,
            maxL1Messages: maxL1Messages ?? defaultMaxL1Messages,
            maxTransactions: maxTransactionsPerBlock,
            autoStart: autoStart, overrunGuard: overrunGuard)
    }
}
