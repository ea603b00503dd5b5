import Foundation
import Primitives
import Storage
@testable import Engine

/// A chain in a temporary datadir over the dev spec (or a given one).
final class ChainFixture {
    let path: String
    var db: RocksDatabase?
    var chain: Chain!
    let spec: ChainSpec
    let stateHistory: StateHistory

    static let devSpec = try! ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
    /// Accounts 0-3 of the development mnemonic (the dev spec funds them).
    static let keys: [PrivateKey] = (0..<4).map(DevelopmentKeys.privateKey)

    init(spec: ChainSpec = ChainFixture.devSpec, stateHistory: StateHistory = .recent(StateHistory.defaultRecentBlocks)) throws {
        self.spec = spec
        self.stateHistory = stateHistory
        path = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)").path
        try reopen()
    }

    func reopen() throws {
        chain = nil
        db?.close()
        db = nil
        let opened = try RocksDatabase.open(path: path, columnFamilies: ChainDatabase.columnFamilies,
                                            options: StorageConfiguration(blockCacheSize: 8 << 20, writeBufferSize: 4 << 20, minimumFreeSpace: 0))
        db = opened
        chain = try Chain(database: ChainDatabase(opened), spec: spec, stateHistory: stateHistory)
    }

    deinit {
        chain = nil
        db?.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    func attributes(timestamp: UInt64 = 1_000, maxL1: Int = 10) -> PayloadAttributes {
        PayloadAttributes(timestamp: timestamp, feeRecipient: spec.feeRecipient, maxL1Messages: maxL1)
    }

    /// Builds on the head from a fixed list and commits with a placeholder signature.
    @discardableResult
    func commitBlock(_ txs: [SignedTransaction], l1: [L1MessageTransaction] = [], timestamp: UInt64 = 1_000) throws -> SealedBlock {
        var source = TransactionList(try txs.map { ($0, try $0.recoverSender()) })
        let built = try chain.build(attributes: attributes(timestamp: timestamp), l1Messages: l1, transactions: &source)
        try chain.commit(built, signature: [UInt8](repeating: 1, count: 65))
        return built.block
    }

    func transfer(_ from: Int, nonce: UInt64, to: Address, value: U256, tip: U256 = U256(1_000_000_000),
                  feeCap: U256 = U256(5_000_000_000)) -> SignedTransaction {
        try! Transaction.dynamicFee(DynamicFeeTransaction(chainID: spec.chainID, nonce: nonce, maxPriorityFeePerGas: tip,
                                                          maxFeePerGas: feeCap, gasLimit: 21_000, to: to, value: value,
                                                          data: [], accessList: [])).signed(with: Self.keys[from])
    }

    /// Every account in the flat state, for recomputing the root from scratch.
    func allAccounts() throws -> [(key: [UInt8], value: [UInt8])] {
        try db!.entries(in: db!.columnFamily(named: "accounts"))
            .map { (key: $0.key, value: $0.value) }
    }
}
