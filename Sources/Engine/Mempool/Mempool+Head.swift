import Primitives

extension Mempool {
    /// Moves the pool to a newly sealed block: removes the `includedHashes`, refreshes the
    /// senders among `touchedAccounts` from `head.state` (dropping transactions below the new
    /// account nonce, moving to queued what the balance no longer covers, promoting what became
    /// contiguous and covered), and validates later admissions against `head`.
    ///
    /// `touchedAccounts` must name every account whose nonce or balance the block changed
    /// (senders, recipients, the fee recipient): the pool keeps its own copy of the other
    /// senders' accounts. Costs time in proportion to the touched accounts, not the pool; the
    /// state reads happen before the lock is taken. Throws `stateUnavailable`, leaving the
    /// pool on its old head, when a read fails.
    @discardableResult
    public func blockCommitted(includedHashes: some Sequence<Hash32>, touchedAccounts: some Sequence<Address>,
                               head: MempoolHead) throws(MempoolError) -> MempoolUpdate {
        let included = Set(includedHashes)
        // Senders of included transactions the caller did not name are refreshed as well.
        var addresses = Set(touchedAccounts)
        state.withLock { s in
            for hash in included { if let tx = s.byHash[hash] { addresses.insert(tx.sender) } }
        }
        var accounts: [Address: Account?] = [:]
        accounts.reserveCapacity(addresses.count)
        for address in addresses { accounts[address] = .some(try Self.read(address, from: head.state)) }
        let update = state.withLock { $0.apply(newHead: head, included: included, accounts: accounts) }
        logger.debug("new head", metadata: ["update": "\(update)", "baseFee": "\(head.baseFee)"])
        for tx in update.expired {
            logger.info("Dropped a transaction that could not execute for the pool's lifetime",
                        metadata: ["tx": "\(tx.hash)", "sender": "\(tx.sender)", "nonce": "\(tx.nonce)",
                                   "lifetime": "\(configuration.lifetime)s"])
        }
        return update
    }

    /// Moves the pool to a head that did not come from a sealed block of its own: after an L1
    /// reorg rolled the chain back (then `reinject` the rolled-back transactions), or when the
    /// base fee or gas limit changed. `touchedAccounts` names every account whose state differs
    /// between the old and the new head.
    @discardableResult
    public func headChanged(to head: MempoolHead, touchedAccounts: some Sequence<Address>) throws(MempoolError) -> MempoolUpdate {
        try blockCommitted(includedHashes: [], touchedAccounts: touchedAccounts, head: head)
    }
}
