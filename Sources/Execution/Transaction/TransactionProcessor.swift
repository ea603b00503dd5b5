import Primitives

/// The one home of the transaction rules: validation against the block and the state, intrinsic
/// gas, fee deduction, execution, refunds and paying the fee recipient.
///
/// Keep one processor per block builder (it caches analysed code); not thread-safe.
public final class TransactionProcessor {
    public let rules: EVMRules
    let codeCache = CodeCache()

    public init(rules: EVMRules) { self.rules = rules }

    // MARK: intrinsic gas

    /// Gas charged before execution: base (creation) gas, data bytes, access list, initcode words.
    public func intrinsicGas(_ tx: ExecutionTransaction) -> UInt64 {
        var gas = tx.isContractCreation ? rules.transactionCreateGas : rules.transactionGas
        var zeros: UInt64 = 0
        for b in tx.data where b == 0 { zeros += 1 }
        gas += zeros * rules.txDataZeroGas + (UInt64(tx.data.count) - zeros) * rules.txDataNonZeroGas
        gas += UInt64(tx.accessList.count) * rules.accessListAddressGas
        for entry in tx.accessList { gas += UInt64(entry.storageKeys.count) * rules.accessListStorageKeyGas }
        if tx.isContractCreation { gas += UInt64(rules.initCodeWordGas) * ((UInt64(tx.data.count) + 31) / 32) }
        gas += UInt64(tx.authorizationList.count) * Transaction.authorizationGas
        return gas
    }

    /// The EIP-7623 floor on gas used, when the rules have one.
    public func calldataFloorGas(_ tx: ExecutionTransaction) -> UInt64? {
        guard let perToken = rules.calldataFloorGasPerToken else { return nil }
        var zeros: UInt64 = 0
        for b in tx.data where b == 0 { zeros += 1 }
        let tokens = zeros + (UInt64(tx.data.count) - zeros) * 4
        return rules.transactionGas + tokens * perToken
    }

    /// The blob base fee for a block with `excessBlobGas` (EIP-4844 fake exponential).
    public func blobBaseFee(excessBlobGas: UInt64) -> U256 {
        let factor = U256(rules.minBlobBaseFee), numerator = U256(excessBlobGas)
        let denominator = U256(rules.blobBaseFeeUpdateFraction)
        var i: UInt64 = 1
        var output = U256.zero
        var accumulator = factor * denominator
        while !accumulator.isZero {
            output = output.evmAdd(accumulator)
            let (p, o) = accumulator.multipliedReportingOverflow(by: numerator)
            if o { return .max }
            accumulator = p / (denominator * U256(i))
            i += 1
        }
        return output / denominator
    }

    // MARK: L1 data fee

    /// Scroll's L1 data fee of `tx` over the state before it (the oracle's storage as earlier
    /// transactions of the block left it), zero under rules without one. Read straight from the
    /// state, as scroll-revm does: the oracle's slots are not warmed for the transaction.
    public func l1Fee(_ tx: ExecutionTransaction, state reader: any StateReader) throws(ExecutionError) -> U256 {
        guard let formula = rules.l1FeeFormula, tx.paysL1Fee else { return .zero }
        let oracle: L1Fee.OracleValues
        do { oracle = try L1Fee.OracleValues { try reader.storage(L1GasPriceOracle.address, slot: $0) } }
        catch { throw .stateReadFailed("\(error)") }
        return Self.l1Fee(tx, formula: formula, oracle: oracle)
    }

    /// The L1 fee of `tx` for given oracle values (the pool's check against the head's values).
    public static func l1Fee(_ tx: ExecutionTransaction, formula: L1Fee.Formula, oracle: L1Fee.OracleValues) -> U256 {
        let envelope = tx.encoded.isEmpty ? l1FeeEnvelope(for: tx) : tx.encoded
        switch formula {
        case .bernoulli, .curie:
            return L1Fee.fee(formula: formula, oracle: oracle, rlp: envelope)
        case .feynman:
            return L1Fee.fee(formula: formula, oracle: oracle, rlp: envelope,
                             compressionRatio: ScrollCompression.compressionRatio(tx.data))
        case .galileo:
            return L1Fee.fee(formula: formula, oracle: oracle, rlp: envelope,
                             compressedSize: ScrollCompression.compressedSize(envelope))
        }
    }

    /// What an unsigned call (eth_call, eth_estimateGas) is measured as for the L1 fee: the
    /// call as a type-2 transaction with a signature of two full 32-byte words, so the size is
    /// what the signed transaction's will be (give or take a byte of the nonce or gas).
    public static func l1FeeEnvelope(for tx: ExecutionTransaction) -> [UInt8] {
        let call = DynamicFeeTransaction(chainID: tx.chainID ?? 0, nonce: tx.nonce,
                                         maxPriorityFeePerGas: tx.maxPriorityFeePerGas, maxFeePerGas: tx.maxFeePerGas,
                                         gasLimit: tx.gasLimit, to: tx.to, value: tx.value, data: tx.data,
                                         accessList: tx.accessList)
        guard let signature = try? Signature(r: Secp256k1.halfCurveOrder, s: Secp256k1.halfCurveOrder, v: 1) else { return [] }
        return call.encoded(signature: signature)
    }

    // MARK: validation

    /// What a finished run leaves: its logs (none when it failed), the state changes, and the
    /// failure text of a revert or halt.
    static func settle(_ result: FrameResult, _ state: JournaledState) throws(ExecutionError)
        -> (logs: [Log], changes: StateChanges, failure: String?) {
        let logs = result.isSuccess ? state.logs : []
        let changes = state.finalize()
        if let error = state.readError { throw .stateReadFailed("\(error)") }
        let failure: String? = switch result.status {
        case .success: nil
        case .revert: "reverted"
        case .halt(let reason): reason.rawValue
        }
        return (logs, changes, failure)
    }

    /// The checks that need no state: returns the intrinsic gas.
    @discardableResult
    public func validate(_ tx: ExecutionTransaction, block: BlockEnvironment) throws(ExecutionError) -> UInt64 {
        if let id = tx.chainID, id != block.chainID { throw .invalidChainID(expected: block.chainID, actual: id) }
        if tx.isContractCreation && tx.data.count > rules.maxInitCodeSize {
            throw .initCodeTooLarge(size: tx.data.count, limit: rules.maxInitCodeSize)
        }
        let intrinsic = intrinsicGas(tx)
        if tx.gasLimit < intrinsic { throw .intrinsicGasTooLow(gasLimit: tx.gasLimit, required: intrinsic) }
        if let floor = calldataFloorGas(tx), tx.gasLimit < floor {
            throw .intrinsicGasTooLow(gasLimit: tx.gasLimit, required: floor)
        }
        if tx.nonce == .max { throw .nonceMax }
        if tx.gasLimit > block.gasLimit { throw .gasLimitAboveBlock(gasLimit: tx.gasLimit, blockGasLimit: block.gasLimit) }
        if tx.maxPriorityFeePerGas > tx.maxFeePerGas { throw .tipAboveFeeCap(maxPriorityFeePerGas: tx.maxPriorityFeePerGas, maxFeePerGas: tx.maxFeePerGas) }
        if tx.maxFeePerGas < block.baseFee { throw .feeCapBelowBaseFee }
        if tx.type == 4 {
            guard rules.supportsSetCodeTransactions else { throw .setCodeTransactionsNotSupported }
            if tx.isContractCreation { throw .setCodeContractCreation }
            if tx.authorizationList.isEmpty { throw .emptyAuthorizationList }
        }
        if tx.type == 3 {
            guard rules.supportsBlobTransactions else { throw .blobTransactionsNotSupported }
            if tx.isContractCreation { throw .blobContractCreation }
            if tx.blobVersionedHashes.isEmpty { throw .noBlobs }
            if UInt64(tx.blobVersionedHashes.count) * rules.blobGasPerBlob > rules.maxBlobGasPerBlock { throw .tooManyBlobs }
            if tx.blobVersionedHashes.contains(where: { $0.w0 >> 56 != 0x01 }) { throw .invalidBlobVersionedHash }
            if tx.maxFeePerBlobGas < blobBaseFee(excessBlobGas: block.excessBlobGas) { throw .blobFeeCapBelowBlobBaseFee }
        }
        return intrinsic
    }

    // MARK: execution

    /// Validates and executes one transaction over `state`. Throws when the transaction is
    /// invalid (nothing changes); otherwise returns the outcome and the changes to apply.
    public func execute(_ tx: ExecutionTransaction, block: BlockEnvironment, state reader: any StateReader) throws(ExecutionError) -> TransactionResult {
        try execute(tx, block: block, state: reader, tracer: NoTracer())
    }

    /// As `execute`, printing an EIP-3155 line per instruction to `trace`.
    public func execute(_ tx: ExecutionTransaction, block: BlockEnvironment, state reader: any StateReader,
                        trace: @escaping (String) -> Void) throws(ExecutionError) -> TransactionResult {
        try execute(tx, block: block, state: reader, tracer: EIP3155Tracer(emit: trace))
    }

    func execute<T: EVMTracer>(_ tx: ExecutionTransaction, block: BlockEnvironment, state reader: any StateReader,
                               tracer: T) throws(ExecutionError) -> TransactionResult {
        let intrinsic = try validate(tx, block: block)
        let state = JournaledState(reader: reader)
        let sender = tx.sender
        let account = state.account(sender)
        if let error = state.readError { throw .stateReadFailed("\(error)") }
        if account.nonce != tx.nonce { throw .nonceMismatch(expected: account.nonce, actual: tx.nonce) }
        if account.codeHash != .emptyCodeHash {
            // EIP-7702: an account delegated to code still sends transactions.
            guard rules.supportsSetCodeTransactions, codeCache.delegate(of: sender, in: state) != nil else { throw .senderNotEOA }
        }
        let l1Fee = try l1Fee(tx, state: reader)

        let blobGas = UInt64(tx.blobVersionedHashes.count) * rules.blobGasPerBlob
        let blobBaseFee = tx.type == 3 ? blobBaseFee(excessBlobGas: block.excessBlobGas) : .zero
        // Balance must cover gasLimit * maxFee + blob gas * maxFeePerBlobGas + value + L1 fee.
        var required = U256(tx.gasLimit).multipliedReportingOverflow(by: tx.maxFeePerGas)
        let blobMax = U256(blobGas).multipliedReportingOverflow(by: tx.maxFeePerBlobGas)
        var overflow = required.overflow || blobMax.overflow
        let sum1 = required.partialValue.addingReportingOverflow(blobMax.partialValue)
        let sum2 = sum1.partialValue.addingReportingOverflow(tx.value)
        let sum3 = sum2.partialValue.addingReportingOverflow(l1Fee)
        overflow = overflow || sum1.overflow || sum2.overflow || sum3.overflow
        required.partialValue = sum3.partialValue
        if overflow || account.balance < required.partialValue { throw .insufficientFunds }

        let (sum, o) = block.baseFee.addingReportingOverflow(tx.maxPriorityFeePerGas)
        let gasPrice = o ? tx.maxFeePerGas : U256.min(tx.maxFeePerGas, sum)
        let upfront = U256(tx.gasLimit) * gasPrice + U256(blobGas) * blobBaseFee + l1Fee
        state.setBalance(sender, account.balance - upfront)
        state.incrementNonce(sender)

        // EIP-2929/2930: warm sender, recipient, coinbase, precompiles, the access list.
        state.warm(sender)
        state.warm(block.coinbase)
        for p in rules.precompileAddresses { state.warm(p) }
        for p in rules.precompiles.keys { state.warm(p) }
        for entry in tx.accessList {
            state.warm(entry.address)
            for key in entry.storageKeys { state.warm(entry.address, slot: U256(hash: key)) }
        }

        // EIP-7702: authorizations apply after the sender's nonce moved and stay when the call fails.
        let authorizationRefund = applyAuthorizations(tx.authorizationList, chainID: block.chainID, state: state)
        if let error = state.readError { throw .stateReadFailed("\(error)") }

        let context = TransactionContext(origin: sender, gasPrice: gasPrice, blobHashes: tx.blobVersionedHashes,
                                         blobBaseFee: tx.type == 3 ? blobBaseFee : self.blobBaseFee(excessBlobGas: block.excessBlobGas))
        let evm = EVM(rules: rules, block: block, context: context, state: state, tracer: tracer, codeCache: codeCache)
        let gas = Int(tx.gasLimit - intrinsic)
        var result: FrameResult
        var contractAddress: Address?
        if let to = tx.to {
            state.warm(to)
            var message = Message(kind: .call, caller: sender, target: to, codeAddress: to, value: tx.value,
                                  transfersValue: true, input: tx.data, gas: gas, isStatic: false, depth: 0)
            if rules.supportsSetCodeTransactions, let delegate = codeCache.delegate(of: to, in: state) {
                state.warm(delegate)  // the transaction's own call pays nothing for it
                message.codeAddress = delegate
                message.disablesPrecompiles = true
            }
            result = evm.call(message)
        } else {
            let address = EVM<T>.createAddress(sender: sender, nonce: tx.nonce)
            state.warm(address)
            if state.hasCollision(address) {
                result = FrameResult(status: .halt(.createCollision), gasLeft: 0, output: [])
            } else {
                result = evm.create(Message(kind: .create, caller: sender, target: address, codeAddress: address,
                                            value: tx.value, transfersValue: true, input: [], gas: gas, isStatic: false,
                                            depth: 0), initCode: tx.data)
                if result.isSuccess { contractAddress = address }
            }
        }

        let gasLeft = UInt64(result.gasLeft)
        let gasUsedBeforeRefund = tx.gasLimit - gasLeft
        let refundCounter = UInt64(authorizationRefund) + (result.isSuccess ? UInt64(max(state.refund, 0)) : 0)
        let refund = min(gasUsedBeforeRefund / rules.refundQuotient, refundCounter)
        var gasUsed = gasUsedBeforeRefund - refund
        if let floor = calldataFloorGas(tx) { gasUsed = max(gasUsed, floor) }
        state.addBalance(sender, U256(tx.gasLimit - gasUsed) * gasPrice)
        let feePerGas = rules.burnsBaseFee ? gasPrice - block.baseFee : gasPrice
        state.addBalance(block.coinbase, U256(gasUsed) * feePerGas + l1Fee)

        let (logs, changes, failure) = try Self.settle(result, state)
        var outcome = TransactionResult(succeeded: result.isSuccess, failure: failure, gasUsed: gasUsed, gasRefunded: refund,
                                        effectiveGasPrice: gasPrice, logs: logs, output: result.output,
                                        contractAddress: contractAddress, changes: changes)
        outcome.l1Fee = l1Fee
        return outcome
    }

    /// Applies EIP-7702 authorizations in order; returns the refund for authorities whose
    /// account already existed. A tuple for another chain, at nonce 2^64-1, with an invalid
    /// signature, for an account holding code that is not a designator, or at a nonce other
    /// than the authority's is skipped; the others warm the authority, set its code to the
    /// designator (the zero address clears it) and bump its nonce.
    func applyAuthorizations(_ list: [Authorization], chainID: UInt64, state: JournaledState) -> Int {
        var refund = 0
        for auth in list {
            guard auth.chainID.isZero || auth.chainID == U256(chainID), auth.nonce < .max,
                  let authority = auth.authority() else { continue }
            state.warm(authority)
            if state.codeHash(authority) != .emptyCodeHash && codeCache.delegate(of: authority, in: state) == nil { continue }
            if state.nonce(authority) != auth.nonce { continue }
            if state.exists(authority) { refund += Delegation.existingAccountRefund }
            state.incrementNonce(authority)
            state.setCode(authority, auth.address == .zero ? [] : Delegation.designator(for: auth.address))
        }
        return refund
    }
}
