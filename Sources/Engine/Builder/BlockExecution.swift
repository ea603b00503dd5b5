import Execution
import Primitives

/// The Execution module's view of a block in progress: reads go through the overlay (this
/// block's earlier transactions, then the parent state).
struct OverlayStateReader: Execution.StateReader {
    let overlay: StateOverlay

    func account(_ address: Address) throws -> AccountInfo? {
        let a = try overlay.account(address)
        // The chain keeps no empty accounts (EIP-161): an empty one is an absent one.
        return a.isEmpty ? nil : AccountInfo(nonce: a.nonce, balance: a.balance, codeHash: a.codeHash)
    }

    func storage(_ address: Address, slot: U256) throws -> U256 { try overlay.storage(address, slot: slot) }

    func hasStorage(_ address: Address) throws -> Bool {
        if try overlay.account(address).storageRoot != .emptyTrieRoot { return true }
        return overlay.storageChanges[address]?.values.contains { !$0.isZero } ?? false
    }

    func code(hash: Hash32) throws -> [UInt8] { try overlay.code(hash: hash) }
}

extension StateOverlay {
    /// Applies what one transaction changed (the Execution module's seam) to this block.
    func apply(_ changes: StateChanges) throws {
        for (address, change) in changes.accounts.sorted(by: { $0.key < $1.key }) {
            switch change {
            case .deleted:
                try clearStorage(address)
                try set(address, .empty)
            case .updated(let updated):
                var account = try self.account(address)
                account.nonce = updated.info.nonce
                account.balance = updated.info.balance
                account.codeHash = updated.info.codeHash
                if let code = updated.code { deploy(code: code) }
                try set(address, account)
                if updated.storageCleared { try clearStorage(address) }
                for (slot, value) in updated.storage { try setStorage(address, slot: slot, value) }
            }
        }
    }
}

extension ChainSpec {
    /// The EVM rules the chain runs: Cancun's (or the spec's Scroll fork's), with the spec's
    /// base-fee rule and no blob transactions (a rollup has no blobs).
    public var evmRules: EVMRules {
        var rules = scrollFork.map(EVMRules.scroll) ?? EVMRules.cancun
        rules.burnsBaseFee = burnBaseFee
        rules.supportsBlobTransactions = false
        rules.prevRandao = .zero
        return rules
    }
}

extension BlockEnvironment {
    /// The Execution module's environment for this block; `blockHashes` answers BLOCKHASH.
    func execution(blockHashes: @escaping @Sendable (UInt64) -> Hash32?) -> Execution.BlockEnvironment {
        Execution.BlockEnvironment(chainID: chainID, number: number, timestamp: timestamp, coinbase: feeRecipient,
                                   gasLimit: gasLimit, baseFee: baseFee, blockHashes: blockHashes)
    }
}

/// A state read that failed inside the Execution module (it reports the failure as text).
struct StateReadFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
