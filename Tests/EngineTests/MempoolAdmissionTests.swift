import Testing
import Primitives
@testable import Engine

/// Each admission rule, with the exact words a client sees.
struct MempoolAdmissionTests {
    typealias F = MempoolFixture

    @Test func acceptsAPlainTransferAsPending() throws {
        let pool = F.pool(F.state())
        let tx = F.transfer(F.alice, nonce: 0)
        let admission = try pool.add(raw: tx.encoded)
        #expect(admission.isPending)
        #expect(admission.transaction.sender == F.alice.address)
        #expect(admission.transaction.hash == tx.hash)
        #expect(admission.replaced == nil && admission.evicted.isEmpty)
        #expect(pool.status == MempoolStatus(pending: 1, queued: 0))
        #expect(pool.transaction(hash: tx.hash)?.sender == F.alice.address)
        #expect(pool.invariantViolations() == [])
    }

    @Test func refusesBytesThatDoNotDecode() {
        let pool = F.pool(F.state())
        #expect(rejection { try pool.add(raw: []) } == "typed transaction too short")
        #expect(rejection { try pool.add(raw: [0x03, 0xc0]) } == "transaction type not supported: blob transactions (type 0x03) are not accepted on this rollup")
        let garbage = rejection { try pool.add(raw: [0x02, 0xc1]) }
        #expect(garbage?.hasPrefix("invalid transaction encoding") == true, "\(garbage ?? "accepted")")
    }

    @Test func refusesAnotherChain() {
        let pool = F.pool(F.state())
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, chainID: 1)) }
                == "invalid chain id for signer: have 1 want 1337")
        #expect(rejection { try pool.add(F.legacy(F.alice, nonce: 0, chainID: 5)) }
                == "invalid chain id for signer: have 5 want 1337")
    }

    @Test func refusesAHighSSignatureAsInvalidSender() throws {
        let pool = F.pool(F.state())
        let good = F.transfer(F.alice, nonce: 0)
        let sig = try #require(good.signature)
        let high = try Signature(r: sig.r, s: Secp256k1.curveOrder - sig.s, v: sig.v ^ 1)
        let bad = try SignedTransaction(good.transaction, signature: high)
        #expect(rejection { try pool.add(raw: bad.encoded) } == "invalid sender")
    }

    @Test func refusesATransactionItAlreadyHolds() throws {
        let pool = F.pool(F.state())
        let tx = F.transfer(F.alice, nonce: 0)
        try pool.add(tx)
        #expect(rejection { try pool.add(raw: tx.encoded) } == "already known")
    }

    @Test func refusesANonceBelowTheAccountNonce() {
        var state = F.state()
        state[F.alice.address]!.nonce = 5
        let pool = F.pool(state)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 3)) } == "nonce too low: next nonce 5, tx nonce 3")
    }

    @Test func refusesANonceTooFarAboveThePendingNonce() throws {
        let pool = F.pool(F.state())
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 65)) } == "nonce too high: next nonce 0, tx nonce 65, max gap 64")
        #expect(try !pool.add(F.transfer(F.alice, nonce: 64)).isPending)
        // The gap is measured from the pending nonce, so a long pending run can keep growing.
        for n in 0..<3 as Range<UInt64> { try pool.add(F.transfer(F.alice, nonce: n)) }
        #expect(try !pool.add(F.transfer(F.alice, nonce: 67)).isPending)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 68)) } == "nonce too high: next nonce 3, tx nonce 68, max gap 64")
    }

    @Test func refusesWhatTheBalanceDoesNotCover() throws {
        // 21000 gas at 100 gwei + 1 wei = 2_100_000_000_000_001 per transfer.
        let one = F.cost(F.transfer(F.alice, nonce: 0))
        let state = F.state(balance: one + one + one - 1)
        let pool = F.pool(state)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, value: F.ether)) }
                == "insufficient funds for gas * price + value: balance 6300000000000002, tx cost 1002100000000000000, overshot 995799999999999998"
        )
        try pool.add(F.transfer(F.alice, nonce: 0))
        try pool.add(F.transfer(F.alice, nonce: 1))
        // The third costs `one` on top of the two pending: one wei short.
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 2)) }
                == "insufficient funds for gas * price + value: balance 6300000000000002, pending cost 4200000000000002, tx cost 2100000000000001, overshot 1"
        )
        // Queued transactions below the nonce count as well.
        try pool.add(F.transfer(F.bob, nonce: 1))
        try pool.add(F.transfer(F.bob, nonce: 2))
        #expect(rejection { try pool.add(F.transfer(F.bob, nonce: 3)) }
                == "insufficient funds for gas * price + value: balance 6300000000000002, pending cost 4200000000000002, tx cost 2100000000000001, overshot 1"
        )
        #expect(pool.invariantViolations() == [])
    }

    @Test func refusesGasBelowTheIntrinsicGas() {
        let pool = F.pool(F.state())
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, gas: 20_999)) } == "intrinsic gas too low: gas 20999, minimum needed 21000")
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, gas: 21_000, data: [1])) }
                == "intrinsic gas too low: gas 21000, minimum needed 21016")
    }

    @Test func refusesMoreGasThanABlockHolds() {
        let pool = F.pool(F.state())
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, gas: 30_000_001)) }
                == "exceeds block gas limit: gas 30000001, block gas limit 30000000")
    }

    @Test func refusesATipAboveTheFeeCap() {
        let pool = F.pool(F.state())
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, tip: 2, fee: 1, wei: true)) }
                == "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: 2, maxFeePerGas: 1")
    }

    @Test func refusesATipBelowTheMinimum() throws {
        let pool = F.pool(F.state()) { $0.minimumTip = 2 }
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0, tip: 1, wei: true)) }
                == "transaction underpriced: gas tip cap 1, minimum needed 2")
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 2, wei: true))
    }

    @Test func admitsContractCreationsAndContractCalls() throws {
        let pool = F.pool(F.state())
        try pool.add(F.transfer(F.alice, nonce: 0, gas: 100_000, to: nil, data: [0x60, 0x00]))
        try pool.add(F.transfer(F.bob, nonce: 0, gas: 100_000, to: F.contract))
        // The EVM's rules apply at admission: a creation pays for its initcode.
        #expect(rejection { try pool.add(F.transfer(F.carol, nonce: 0, gas: 53_000, to: nil, data: [0x60, 0x00])) }
                == "intrinsic gas too low: gas 53000, minimum needed 53022")
        #expect(pool.status.total == 2)
    }

    @Test func refusesL1Messages() {
        let pool = F.pool(F.state())
        let message = SignedTransaction(l1Message: L1MessageTransaction(queueIndex: 0, gasLimit: 100_000, to: F.recipient,
                                                                         value: 1, sender: F.alice.address))
        #expect(rejection { try pool.add(raw: message.encoded) } == "transaction type not supported")
        #expect(rejection { try pool.add(message, sender: F.alice.address) } == "transaction type not supported")
    }

    @Test func refusesUnprotectedLegacyTransactionsUnlessConfigured() throws {
        let strict = F.pool(F.state())
        let tx = F.legacy(F.alice, nonce: 0, chainID: nil)
        #expect(rejection { try strict.add(tx) } == "only replay-protected (EIP-155) transactions allowed over RPC")
        try strict.add(F.legacy(F.alice, nonce: 0))  // EIP-155 is fine
        let lenient = F.pool(F.state()) { $0.acceptsUnprotectedTransactions = true }
        #expect(try lenient.add(tx).isPending)
    }

    @Test func refusesSendersWithCode() throws {
        var state = F.state()
        state[F.alice.address]!.codeHash = Keccak.hash256([0x00])
        let pool = F.pool(state)
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 0)) }
                == "sender not an eoa: address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 has code")
    }

    @Test func refusesOversizedTransactions() {
        let pool = F.pool(F.state()) { $0.maxTransactionSize = 200 }
        let data = [UInt8](repeating: 1, count: 100)
        let tx = F.transfer(F.alice, nonce: 0, gas: 30_000, data: data)
        #expect(rejection { try pool.add(tx) } == "oversized data: transaction size \(tx.encoded.count), limit 200")
    }

    @Test func refusesOnceTheSenderHoldsItsLimit() throws {
        let pool = F.pool(F.state(), accountSlots: 4)
        for n in 0..<4 as Range<UInt64> { try pool.add(F.transfer(F.alice, nonce: n)) }
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 4)) }
                == "account limit exceeded: the sender already has 4 transactions in the pool")
        // Other senders are unaffected.
        try pool.add(F.transfer(F.bob, nonce: 0))
    }

    @Test func reportsAnUnreadableStateAsInternal() {
        let pool = Mempool(configuration: MempoolConfiguration(chainID: F.chainID),
                           head: MempoolHead(state: FailingAccountState(), baseFee: .zero, gasLimit: F.blockGasLimit))
        do {
            try pool.add(F.transfer(F.alice, nonce: 0))
            Issue.record("accepted")
        } catch {
            #expect(error == .stateUnavailable(FailingAccountState.error))
            #expect(error.description.contains("disk on fire"))
            #expect(!error.isRejection)
        }
        #expect(throws: MempoolError.stateUnavailable(FailingAccountState.error)) { try pool.pendingNonce(of: F.alice.address) }
    }

    @Test func refusesATransactionWhenTheFullPoolHoldsOnlyItsOwnPredecessors() throws {
        let pool = F.pool(F.state(), globalSlots: 1)
        try pool.add(F.transfer(F.alice, nonce: 0, tip: 1))
        // Evicting nonce 0 would leave nonce 1 unexecutable: nothing to give up.
        #expect(rejection { try pool.add(F.transfer(F.alice, nonce: 1, tip: 50)) } == "txpool is full")
    }
}
