import Primitives
import Testing
@testable import Execution

/// EIP-7702 in the processor: which authorizations apply, their gas and refunds, calls through a
/// designator, and the rules that refuse a type-4 transaction.
@Suite struct SetCodeTransactionTests {
    let sponsorKey = try! PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [0x51])
    let authorityKey = try! PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [0xa7])
    let target = Address([UInt8](repeating: 0xd0, count: 20))
    let block = BlockEnvironment(chainID: 7, number: 1, timestamp: 1, coinbase: .zero, gasLimit: 30_000_000, baseFee: .zero)
    /// SLOAD slot 0, add 1, SSTORE it, STOP: a counter in the running account's storage.
    let counter: [UInt8] = [0x5f, 0x54, 0x60, 0x01, 0x01, 0x5f, 0x55, 0x00]

    var rules: EVMRules { EVMRules.scroll(.euclid) }

    func state(authorityNonce: UInt64 = 0, authorityExists: Bool = true, authorityCode: [UInt8] = []) -> InMemoryState {
        var s = InMemoryState()
        s.setAccount(sponsorKey.address, nonce: 0, balance: U256(1_000_000_000_000_000), code: [], storage: [:])
        if authorityExists {
            s.setAccount(authorityKey.address, nonce: authorityNonce, balance: U256(5), code: authorityCode, storage: [:])
        }
        s.setAccount(target, nonce: 1, balance: .zero, code: counter, storage: [:])
        return s
    }

    func auth(chainID: U256 = U256(7), address: Address? = nil, nonce: UInt64 = 0) throws -> Authorization {
        try Authorization.signed(chainID: chainID, address: address ?? target, nonce: nonce, with: authorityKey)
    }

    func run(_ list: [Authorization], on state: InMemoryState, to: Address? = nil, rules: EVMRules? = nil) throws -> (TransactionResult, InMemoryState) {
        let tx = try Transaction.setCode(SetCodeTransaction(
            chainID: 7, nonce: try state.account(sponsorKey.address)?.nonce ?? 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 200_000,
            to: to ?? authorityKey.address, value: .zero, authorizationList: list)).signed(with: sponsorKey)
        #expect(try SignedTransaction(encoded: tx.encoded).hash == tx.hash, "the envelope round-trips")
        let executable = try #require(ExecutionTransaction(tx, sender: sponsorKey.address))
        let result = try TransactionProcessor(rules: rules ?? self.rules).execute(executable, block: block, state: state)
        var after = state
        after.apply(result.changes)
        return (result, after)
    }

    func code(_ s: InMemoryState, _ a: Address) throws -> [UInt8] {
        try s.code(hash: try s.account(a)?.codeHash ?? .emptyCodeHash)
    }

    @Test func aValidAuthorizationDelegatesAndTheCallRunsTheDelegateOnTheAuthoritysStorage() throws {
        let (result, after) = try run([try auth()], on: state())
        #expect(result.succeeded)
        #expect(try code(after, authorityKey.address) == [0xef, 0x01, 0x00] + target.bytes)
        #expect(try after.account(authorityKey.address)?.nonce == 1)
        #expect(try after.storage(authorityKey.address, slot: .zero) == U256(1), "the authority's storage")
        #expect(try after.storage(target, slot: .zero) == .zero, "not the delegate's")
        // 21,000 + 25,000 per authorization, the counter's execution, the refund of 12,500 for an
        // existing authority (capped at a fifth of the gas used).
        let execution: UInt64 = 2 + 2_100 + 3 + 3 + 2 + 20_000  // PUSH0 SLOAD(cold) PUSH1 ADD PUSH0 SSTORE(set)
        let used = 21_000 + 25_000 + execution
        #expect(result.gasUsed == used - min(used / 5, 12_500))
    }

    @Test func aNewAuthorityGetsNoRefund() throws {
        let (result, after) = try run([try auth()], on: state(authorityExists: false))
        #expect(result.succeeded)
        #expect(try after.account(authorityKey.address)?.nonce == 1)
        #expect(result.gasRefunded == 0)
    }

    @Test func invalidTuplesAreSkippedNotFatal() throws {
        var badSignature = try auth()
        badSignature.s = Secp256k1.curveOrder - badSignature.s  // high s: invalid for EIP-7702
        let cases: [(String, Authorization, InMemoryState)] = [
            ("another chain", try auth(chainID: U256(8)), state()),
            ("a stale nonce", try auth(nonce: 0), state(authorityNonce: 3)),
            ("nonce 2^64-1", try auth(nonce: .max), state()),
            ("a high-s signature", badSignature, state()),
            ("an authority with contract code", try auth(), state(authorityCode: [0x00])),
        ]
        for (label, authorization, before) in cases {
            let (result, after) = try run([authorization], on: before, to: target)
            #expect(result.succeeded, "\(label): the transaction still runs")
            #expect(try after.account(authorityKey.address)?.nonce == before.account(authorityKey.address)?.nonce, "\(label)")
            #expect(try code(after, authorityKey.address) == code(before, authorityKey.address), "\(label)")
        }
        // Chain id 0 is valid on every chain.
        let (_, anyChain) = try run([try auth(chainID: .zero)], on: state())
        #expect(try code(anyChain, authorityKey.address).count == 23)
    }

    @Test func theZeroAddressClearsADelegationAndCallsPayForTheDelegate() throws {
        let (_, delegated) = try run([try auth()], on: state())
        let (result, cleared) = try run([try auth(address: .zero, nonce: 1)], on: delegated, to: target)
        #expect(result.succeeded)
        #expect(try code(cleared, authorityKey.address).isEmpty)
        #expect(try cleared.account(authorityKey.address)?.nonce == 2)
        // A delegated account still sends transactions (EIP-3607 lets designators through).
        let send = try Transaction.dynamicFee(DynamicFeeTransaction(chainID: 7, nonce: 1, maxPriorityFeePerGas: .zero,
                                                                    maxFeePerGas: .zero, gasLimit: 21_000, to: Address([UInt8](repeating: 0xee, count: 20)), value: U256(1)))
            .signed(with: authorityKey)
        let executable = try #require(ExecutionTransaction(send, sender: authorityKey.address))
        #expect(try TransactionProcessor(rules: rules).execute(executable, block: block, state: delegated).succeeded)
        #expect(throws: ExecutionError.senderNotEOA) {
            try TransactionProcessor(rules: rules).execute(executable, block: block, state: state(authorityNonce: 1, authorityCode: [0x00]))
        }
    }

    @Test func aCallThroughADesignatorPaysForTheDelegatesAccess() throws {
        let (_, delegated) = try run([try auth()], on: state())
        // A contract that CALLs `callee` with all its gas; the same counter code runs either way.
        func gasCalling(_ callee: Address) throws -> UInt64 {
            let caller = Address([UInt8](repeating: 0xca, count: 20))
            var s = delegated
            s.setAccount(caller, nonce: 1, balance: .zero, code: [0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x73] + callee.bytes + [0x5a, 0xf1, 0x00], storage: [:])
            let tx = try Transaction.dynamicFee(DynamicFeeTransaction(chainID: 7, nonce: 1, maxPriorityFeePerGas: .zero,
                                                                      maxFeePerGas: .zero, gasLimit: 200_000, to: caller, value: .zero))
                .signed(with: sponsorKey)
            let result = try TransactionProcessor(rules: rules).execute(try #require(ExecutionTransaction(tx, sender: sponsorKey.address)),
                                                                       block: block, state: s)
            #expect(result.succeeded)
            return result.gasUsed
        }
        // Through the authority: its cold access and the delegate's (2,600 more); the counter
        // writes the authority's slot (1 -> 2, a reset: 2,900) where the direct call sets the
        // delegate's own (0 -> 1: 20,000).
        #expect(try gasCalling(authorityKey.address) == gasCalling(target) + 2_600 - 20_000 + 2_900)
    }

    @Test func typeFourIsRefusedWithoutAuthorizationsOrBeforeEuclid() throws {
        #expect(throws: ExecutionError.emptyAuthorizationList) { try run([], on: state()) }
        #expect(throws: ExecutionError.setCodeTransactionsNotSupported) { try run([try auth()], on: state(), rules: EVMRules.scroll(.darwin)) }
        #expect(throws: ExecutionError.setCodeTransactionsNotSupported) { try run([try auth()], on: state(), rules: .cancun) }
    }
}
