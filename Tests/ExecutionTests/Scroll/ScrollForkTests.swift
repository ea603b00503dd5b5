import Primitives
import Testing
import TestSupport
@testable import Execution

/// The fork table against scroll-revm's rules (src/spec.rs, src/precompile/mod.rs, evm.md).
struct ScrollForkTests {
    static func address(_ hex: String) -> Address { Address(try! Fixtures.bytes(hex)) }

    @Test func namesRoundTrip() {
        #expect(ScrollFork.allCases.map(\.name) == ["scroll-bernoulli", "scroll-curie", "scroll-darwin",
                                                    "scroll-euclid", "scroll-feynman", "scroll-galileo"])
        for fork in ScrollFork.allCases { #expect(ScrollFork(name: fork.name) == fork) }
        #expect(ScrollFork(name: "curie") == .curie)
        #expect(ScrollFork(name: "cancun") == nil)
        #expect(ScrollFork.latest == .galileo)
    }

    @Test func featuresSwitchOnInOrder() {
        let r = ScrollFork.allCases.map(\.rules)
        #expect(r.map(\.baseFeeOpcode) == [false, true, true, true, true, true])
        #expect(r.map(\.transientStorage) == [false, true, true, true, true, true])
        #expect(r.map(\.mcopy) == [false, true, true, true, true, true])
        #expect(r.map(\.setCodeTransactions) == [false, false, false, true, true, true])
        #expect(r.map(\.calldataFloor) == [false, false, false, false, true, true])
        #expect(r.map(\.clz) == [false, false, false, false, false, true])
        #expect(r.map(\.calldataFloorGasPerToken) == [nil, nil, nil, nil, 10, 10])
        #expect(r.map(\.l1FeeFormula) == [.bernoulli, .curie, .curie, .curie, .feynman, .galileo])
        #expect(r.allSatisfy { !$0.selfDestructEnabled && $0.prevRandaoIsZero && !$0.blobOpcodes
            && !$0.blobTransactions && !$0.burnsBaseFee })
        #expect(r.allSatisfy { $0.defaultFeeRecipient == Self.address("5300000000000000000000000000000000000005") })
        #expect(ScrollFork.euclid.rules.blockHash == .chainIDAndNumber)
        #expect(ScrollFork.feynman.rules.blockHash
                == .historyStorage(contract: Self.address("0000F90827F1C53a10cb7A02335B175320002935"), window: 8_191))
        #expect(ScrollFork.galileo.rules.opcodeChanges.first { $0.opcode == 0x1e }?.enabled == true)
        #expect(ScrollFork.galileo.rules.opcodeChanges.first { $0.opcode == 0xff }?.enabled == false)
    }

    @Test func precompileSets() {
        let p256 = Self.address("0000000000000000000000000000000000000100")
        for fork in ScrollFork.allCases {
            let table = fork.rules.precompileTable
            #expect(table.count == (fork >= .euclid ? 10 : 9))
            #expect(table[Precompiles.address(0x0a)] == nil)  // no point evaluation
            // ripemd160 and blake2f are present and always fail.
            #expect(table[Precompiles.address(0x03)]?([], 1_000_000) == .failure)
            #expect(table[Precompiles.address(0x09)]?([UInt8](repeating: 0, count: 213), 1_000_000) == .failure)
            // modexp: 33-byte base fails before Galileo only.
            let base33 = U256(UInt64(33)).bigEndianBytes + U256(UInt64(1)).bigEndianBytes + U256(UInt64(1)).bigEndianBytes
                + [UInt8](repeating: 3, count: 33) + [5, 7]
            #expect((table[Precompiles.address(0x05)]!(base33, 100_000) == .failure) == (fork < .galileo))
            // Pairing: 5 pairs of infinity fail before Feynman only.
            let fivePairs = [UInt8](repeating: 0, count: 5 * 192)
            #expect((table[Precompiles.address(0x08)]!(fivePairs, 1_000_000) == .failure) == (fork < .feynman))
            if fork >= .euclid {
                guard case .success(let gas, _) = table[p256]!([], 10_000) else { Issue.record("p256"); continue }
                #expect(gas == (fork >= .galileo ? 6_900 : 3_450))
            }
        }
    }

    @Test func scheduleFindsTheActiveFork() {
        let schedule = ScrollForkSchedule([(.curie, .block(100)), (.bernoulli, .block(0)),
                                           (.darwin, .timestamp(1_000)), (.euclid, .timestamp(2_000))])
        #expect(schedule.fork(atBlock: 5, timestamp: 0) == .bernoulli)
        #expect(schedule.fork(atBlock: 100, timestamp: 999) == .curie)
        #expect(schedule.fork(atBlock: 101, timestamp: 1_000) == .darwin)
        #expect(schedule.fork(atBlock: 102, timestamp: 5_000) == .euclid)
        #expect(ScrollForkSchedule.allFromGenesis().fork(atBlock: 0, timestamp: 0) == .galileo)
        #expect(ScrollForkSchedule([]).fork(atBlock: 1, timestamp: 1) == nil)
    }
}
