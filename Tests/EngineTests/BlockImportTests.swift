import Foundation
import Primitives
import Testing
@testable import Engine

/// A follower's import of signed blocks (Chain.importBlock): a second chain re-executes and
/// commits the sequencer's blocks and ends identical; forged, tampered or misplaced blocks are
/// refused with their reason and leave its chain as it was.
@Suite struct BlockImportTests {
    static let signer = ChainFixture.keys[0]  // the dev chain's authorized signer

    static func sign(_ header: Header, with key: PrivateKey = signer) throws -> [UInt8] {
        try key.sign(digest: header.signatureDigest).normalized().compact
    }

    /// The sequencer's side: blocks with an L1 message and transfers, as the chain commits them.
    static func sequencerBlocks(_ f: ChainFixture) throws -> [SealedBlock] {
        let a = ChainFixture.keys.map(\.address)
        let message = L1MessageTransaction(queueIndex: 0, gasLimit: 50_000, to: a[3], value: U256(5), sender: a[2])
        return [
            try f.commitBlock([f.transfer(0, nonce: 0, to: a[1], value: U256(1_000)), f.transfer(1, nonce: 0, to: a[2], value: U256(7))],
                              l1: [message], timestamp: 1_000),
            try f.commitBlock([f.transfer(0, nonce: 1, to: a[3], value: U256(9))], timestamp: 1_001),
        ]
    }

    func importAll(_ blocks: [SealedBlock], into follower: ChainFixture) throws {
        for b in blocks {
            try follower.chain.importBlock(header: b.header, transactions: b.transactions, signature: try Self.sign(b.header),
                                           authorizedSigner: Self.signer.address)
        }
    }

    @Test func aFollowerReexecutesAndEndsIdentical() throws {
        let sequencer = try ChainFixture(), follower = try ChainFixture()
        let blocks = try Self.sequencerBlocks(sequencer)
        try importAll(blocks, into: follower)
        #expect(follower.chain.headBlock.hash == sequencer.chain.headBlock.hash)
        for b in blocks {
            let imported = try #require(try follower.chain.block(number: b.number))
            #expect(imported.receipts == b.receipts && imported.l1Fees == b.l1Fees && imported.senders == b.senders)
        }
        for key in ChainFixture.keys {
            #expect(try follower.chain.account(key.address) == sequencer.chain.account(key.address))
        }
        // Survives a reopen, signature included.
        try follower.reopen()
        #expect(follower.chain.headBlock.hash == sequencer.chain.headBlock.hash)
    }

    @Test func forgedTamperedAndMisplacedBlocksAreRefused() throws {
        let sequencer = try ChainFixture(), follower = try ChainFixture()
        let blocks = try Self.sequencerBlocks(sequencer)
        let first = blocks[0]
        let genesis = follower.chain.headBlock.hash
        func attempt(_ header: Header, _ txs: [SignedTransaction], _ signature: [UInt8]) -> BlockImportRefusal? {
            do {
                try follower.chain.importBlock(header: header, transactions: txs, signature: signature, authorizedSigner: Self.signer.address)
                return nil
            } catch let refusal as BlockImportRefusal {
                return refusal
            } catch {
                Issue.record("not a refusal: \(error)")
                return nil
            }
        }
        // Signed by another key.
        let other = ChainFixture.keys[1]
        #expect(attempt(first.header, first.transactions, try Self.sign(first.header, with: other))
                == .wrongSigner(recovered: other.address, authorized: Self.signer.address))
        // A wrong state root, signed by the right key.
        var wrongRoot = first.header
        wrongRoot.stateRoot = Hash32([UInt8](repeating: 0x77, count: 32))
        guard case .reexecutionMismatch(let fields)? = attempt(wrongRoot, first.transactions, try Self.sign(wrongRoot)) else {
            Issue.record("a wrong state root was not refused as a mismatch"); return
        }
        #expect(fields.count == 1 && fields[0].hasPrefix("stateRoot"), "\(fields)")
        // A tampered transaction (another value, validly signed by the same sender) under the true header.
        var tampered = first.transactions
        tampered[1] = sequencer.transfer(0, nonce: 0, to: ChainFixture.keys[1].address, value: U256(1_001))
        guard case .reexecutionMismatch(let tamperedFields)? = attempt(first.header, tampered, try Self.sign(first.header)) else {
            Issue.record("a tampered transaction was not refused as a mismatch"); return
        }
        #expect(tamperedFields.contains { $0.hasPrefix("transactionsRoot") } && tamperedFields.contains { $0.hasPrefix("stateRoot") })
        // Not on the head: the second block before the first.
        #expect(attempt(blocks[1].header, blocks[1].transactions, try Self.sign(blocks[1].header))
                == .notOnHead(parent: first.hash, head: genesis))
        // A high-s signature and a short one.
        let sig = try Self.signer.sign(digest: first.header.signatureDigest).normalized()
        let high = Secp256k1.curveOrder - sig.s
        let highS = sig.r.bigEndianBytes + high.bigEndianBytes + [sig.v ^ 1]
        #expect(attempt(first.header, first.transactions, highS) == .malformedSignature("s is above n/2"))
        #expect(attempt(first.header, first.transactions, Array(highS.prefix(64))) == .malformedSignature("64 bytes, not 65"))
        // An L1 message after a user transaction.
        let reordered = Array(first.transactions.dropFirst()) + [first.transactions[0]]
        if case .invalidBody? = attempt(first.header, reordered, try Self.sign(first.header)) {} else { Issue.record("reordered body accepted") }

        // Nothing was written: the follower is still at genesis, and the true blocks still import.
        #expect(follower.chain.headBlock.hash == genesis)
        try importAll(blocks, into: follower)
        #expect(follower.chain.headBlock.hash == sequencer.chain.headBlock.hash)
    }
}
