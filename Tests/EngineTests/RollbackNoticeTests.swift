import Foundation
import Primitives
import Testing
@testable import Engine

/// A follower's side of rollbacks (RollbackNotice, Chain.applyRollbackNotice) and of blocks with
/// development state edits: the sequencer's signed notice takes the follower back to the same
/// block, after which the sequencer's new blocks import; notices that are forged, for another
/// chain or that do not withdraw the follower's head are refused and change nothing.
@Suite struct RollbackNoticeTests {
    static let signer = BlockImportTests.signer

    static func notice(_ sequencer: ChainFixture, to: UInt64, key: PrivateKey = signer, chainID: UInt64? = nil) throws -> RollbackNotice {
        let head = sequencer.chain.headBlock
        var n = RollbackNotice(chainID: chainID ?? sequencer.chain.spec.chainID, toNumber: to,
                               toHash: try #require(try sequencer.chain.canonicalHash(number: to)),
                               fromNumber: head.number, fromHash: head.hash)
        n.signature = try key.sign(digest: n.digest).normalized().compact
        return n
    }

    @Test func theDigestIsDomainSeparatedAndTheEncodingRoundTrips() throws {
        let n = RollbackNotice(chainID: 1337, toNumber: 4, toHash: Hash32([UInt8](repeating: 1, count: 32)), fromNumber: 9,
                               fromHash: Hash32([UInt8](repeating: 2, count: 32)), signature: [UInt8](repeating: 3, count: 65))
        #expect(try RollbackNotice(encoded: n.encoded) == n)
        var other = n
        other.toNumber = 5
        #expect(other.digest != n.digest)
        other = n
        other.chainID = 1
        #expect(other.digest != n.digest)
        // keccak256("rollup-node rollback notice v1" ‖ chain id ‖ to ‖ toHash ‖ from ‖ fromHash), numbers big-endian.
        var preimage = Array("rollup-node rollback notice v1".utf8)
        for (number, hash) in [(UInt64(1337), nil), (4, n.toHash), (9, n.fromHash)] as [(UInt64, Hash32?)] {
            preimage += withUnsafeBytes(of: number.bigEndian) { Array($0) }
            if let hash { preimage += hash.bytes }
        }
        #expect(n.digest == Keccak.hash256(preimage))
    }

    @Test func aFollowerTakesTheSequencersRollbackAndItsNewChain() throws {
        let sequencer = try ChainFixture(), follower = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        var blocks = try BlockImportTests.sequencerBlocks(sequencer)
        blocks.append(try sequencer.commitBlock([sequencer.transfer(1, nonce: 1, to: a[0], value: U256(3))], timestamp: 1_002))
        try BlockImportTests().importAll(blocks, into: follower)
        #expect(follower.chain.headBlock.hash == sequencer.chain.headBlock.hash)

        let notice = try Self.notice(sequencer, to: 1)
        try sequencer.chain.rollback(to: 1, notice: notice)
        #expect(try sequencer.chain.rollbackNotices() == [notice])
        let replacement = try sequencer.commitBlock([sequencer.transfer(2, nonce: 0, to: a[1], value: U256(11))], timestamp: 1_003)
        #expect(replacement.number == 2)

        // The new block at a taken height does not extend the follower's head until it takes the notice.
        #expect(throws: BlockImportRefusal.self) {
            try follower.chain.importBlock(header: replacement.header, transactions: replacement.transactions,
                                           signature: try BlockImportTests.sign(replacement.header), authorizedSigner: Self.signer.address)
        }
        // Forged, for another chain, or not withdrawing the follower's head: refused, nothing written.
        let forged = try Self.notice(sequencer, to: 1, key: ChainFixture.keys[1])
        let otherChain = try Self.notice(sequencer, to: 1, chainID: 1)
        var tooLow = notice
        tooLow.fromNumber = 2
        tooLow.signature = try Self.signer.sign(digest: tooLow.digest).normalized().compact
        for bad in [forged, otherChain, tooLow] {
            #expect(throws: BlockImportRefusal.self) { try follower.chain.applyRollbackNotice(bad, authorizedSigner: Self.signer.address) }
            #expect(follower.chain.headBlock.hash == blocks[2].hash)
        }

        let rollback = try follower.chain.applyRollbackNotice(notice, authorizedSigner: Self.signer.address)
        #expect(rollback.transactions.count == 2)
        #expect(follower.chain.headBlock.hash == blocks[0].hash)
        #expect(try follower.chain.rollbackNotices() == [notice], "kept for the follower's own followers")
        try follower.chain.importBlock(header: replacement.header, transactions: replacement.transactions,
                                       signature: try BlockImportTests.sign(replacement.header), authorizedSigner: Self.signer.address)
        #expect(follower.chain.headBlock.hash == sequencer.chain.headBlock.hash)
        for key in ChainFixture.keys { #expect(try follower.chain.account(key.address) == sequencer.chain.account(key.address)) }
    }

    @Test func aBlockWithStateEditsImportsWithItsEdits() throws {
        let sequencer = try ChainFixture(), follower = try ChainFixture()
        let target = try Address(hex: "0x000000000000000000000000000000000000bEEF")
        let edits = [StateEdit(address: target, balance: U256(77), nonce: 3, code: [0x60, 0x00], storage: [1: 42])]
        var source = TransactionList([])
        var attributes = sequencer.attributes(timestamp: 1_001)
        attributes.stateEdits = edits
        let built = try sequencer.chain.build(attributes: attributes, l1Messages: [], transactions: &source)
        try sequencer.chain.commit(built, signature: try BlockImportTests.sign(built.block.header))
        #expect(try sequencer.chain.stateEdits(blockHash: built.block.hash) == edits)
        #expect(try StateEdit.decodeList(StateEdit.encodeList(edits)) == edits)

        let b = built.block
        // Without its edits the block does not re-execute to the signed state root.
        #expect(throws: BlockImportRefusal.self) {
            try follower.chain.importBlock(header: b.header, transactions: b.transactions, signature: try BlockImportTests.sign(b.header),
                                           authorizedSigner: Self.signer.address)
        }
        try follower.chain.importBlock(header: b.header, transactions: b.transactions, signature: try BlockImportTests.sign(b.header),
                                       stateEdits: edits, authorizedSigner: Self.signer.address)
        #expect(follower.chain.headBlock.hash == b.hash)
        #expect(try follower.chain.stateEdits(blockHash: b.hash) == edits)
        #expect(try follower.chain.account(target) == sequencer.chain.account(target))
    }
}

/// Senders of a large block are recovered on all cores, each at its own index; a transaction
/// re-signed by another key under the true header is refused.
@Suite struct ParallelSenderRecoveryTests {
    @Test func aLargeBlockImportsAndAResignedTransactionIsRefused() throws {
        let sequencer = try ChainFixture(), follower = try ChainFixture()
        let a = ChainFixture.keys.map(\.address)
        var txs: [SignedTransaction] = []
        for nonce in 0..<60 {
            for key in 0..<2 { txs.append(sequencer.transfer(key, nonce: UInt64(nonce), to: a[3], value: U256(UInt64(nonce + 1)))) }
        }
        let recovered = Chain.recoverSenders(txs)
        #expect(recovered.count == 120)
        for (i, result) in recovered.enumerated() { #expect(try result.get() == a[i % 2]) }

        let block = try sequencer.commitBlock(txs, timestamp: 1_001)
        #expect(block.transactions.count == 120)
        // One transaction signed again by another key: its sender changes, the signed header does not.
        var forged = block.transactions
        guard case .dynamicFee(let inner) = forged[77].transaction else { Issue.record("not a 1559 transaction"); return }
        let bad = try Transaction.dynamicFee(inner).signed(with: DevelopmentKeys.privateKey(5))
        forged[77] = bad
        do {
            try follower.chain.importBlock(header: block.header, transactions: forged, signature: try BlockImportTests.sign(block.header),
                                           authorizedSigner: BlockImportTests.signer.address)
            Issue.record("a block with another sender's transaction was accepted")
        } catch let refusal as BlockImportRefusal {
            guard case .reexecutionMismatch = refusal else { Issue.record("\(refusal)"); return }
        }
        try follower.chain.importBlock(header: block.header, transactions: block.transactions,
                                       signature: try BlockImportTests.sign(block.header), authorizedSigner: BlockImportTests.signer.address)
        #expect(follower.chain.headBlock.hash == block.hash)
    }
}
