import JSON
import Primitives

/// eth_call and eth_estimateGas, run by the node's EVM on the state of the block named.
///
/// Parameters: `[transaction, block?, stateOverrides?]`; the block is `latest` when absent; an
/// older block's call runs on its state and in its environment (number, timestamp, base fee,
/// gas limit), as geth's does; geth's state overrides (third parameter: balance, nonce, code,
/// state, stateDiff per account) and block overrides (fourth: number, time, gasLimit,
/// feeRecipient, baseFeePerGas, prevRandao) apply to the call only.
///
/// As geth: without a fee field no fee is charged and the base fee is not checked; with one,
/// the fee cap is checked against the base fee of the block the call executes in (the head's
/// for "latest" and the head named by number or hash, the next block's for "pending"), and the
/// balance must cover gas × price + value. The node's fee suggestions pass both (see
/// `gasPrice`). The nonce is not checked. A revert answers code 3, `execution reverted` (with
/// `: <reason>` for an `Error(string)`), and the revert bytes as `data`, so web3.py raises
/// ContractLogicError and ethers decodes custom errors.
extension ChainMethods {
    func call(_ params: RPCParams) async throws -> JSONValue {
        let call = try await prepareCall(params)
        switch try await backend.execute(call) {
        case .success(let output, _): return ChainJSON.data(output)
        case .reverted(let output, _): throw Self.revertError(output)
        case .halted(let reason): throw JSONRPCError.server(reason)
        case .invalid(let message): throw JSONRPCError.server(message)
        }
    }

    /// geth's algorithm: run at the cap (the request's gas, else the block gas limit, lowered
    /// to what the balance pays for at the fee cap); if that fails, report why; else binary
    /// search the least gas with which the call succeeds, starting from the gas it used (the
    /// 63/64 rule and refunds make the least gas higher than the gas used).
    func estimateGas(_ params: RPCParams) async throws -> JSONValue {
        ChainJSON.quantity(try await estimate(prepareCall(params)))
    }

    /// geth's eth_createAccessList `[transaction, block?]`: `{accessList, gasUsed}`, plus
    /// `error` when the call fails with the list (the list is still answered); a call that
    /// cannot execute at all answers the error as eth_call does.
    func createAccessList(_ params: RPCParams) async throws -> JSONValue {
        let call = try await prepareCall(params, overridesAt: nil)
        let (list, outcome) = try await backend.createAccessList(call)
        var result: JSONObject = ["accessList": ChainJSON.accessList(list)]
        switch outcome {
        case .success(_, let gasUsed): result["gasUsed"] = ChainJSON.quantity(gasUsed)
        case .reverted(let output, let gasUsed):
            result["gasUsed"] = ChainJSON.quantity(gasUsed)
            result["error"] = .string(Self.revertError(output).message)
        case .halted(let reason):
            result["gasUsed"] = ChainJSON.quantity(call.gas)
            result["error"] = .string(reason)
        case .invalid(let message): throw JSONRPCError.server(message)
        }
        return .object(result)
    }

    /// The least gas with which `call` succeeds (see `estimateGas`).
    func estimate(_ prepared: RPCCall) async throws -> UInt64 {
        var call = prepared
        var cap = call.gas
        if let feeCap = call.maxFeePerGas, !feeCap.isZero {
            let overridden = call.overrides.accounts[call.from]?.balance
            let balance = if let overridden { overridden } else { try await backend.account(call.from, at: call.block)?.balance ?? .zero }
            let (afterValue, under) = balance.subtractingReportingOverflow(call.value)
            if under {
                throw JSONRPCError.server("insufficient funds for transfer")
            }
            // Scroll's L1 fee comes out of the balance before gas (scroll-revm's order).
            let (available, short) = afterValue.subtractingReportingOverflow(try await backend.l1Fee(call))
            if short {
                throw JSONRPCError.server("insufficient funds for l1 fee")
            }
            let allowance = available / feeCap
            if let a = allowance.uint64, a < cap { cap = a }
        }
        call.gas = cap
        let first = try await backend.execute(call)
        var lo: UInt64
        switch first {
        case .success(_, let used): lo = used > 0 ? used - 1 : 0
        case .reverted(let output, _): throw Self.revertError(output)
        case .halted(let reason):
            if reason.contains("out of gas") { throw JSONRPCError.server("gas required exceeds allowance (\(cap))") }
            throw JSONRPCError.server(reason)
        case .invalid(let message):
            if message.hasPrefix("intrinsic gas too low") { throw JSONRPCError.server("gas required exceeds allowance (\(cap))") }
            throw JSONRPCError.server(message)
        }
        var hi = cap
        // Most calls (transfers, calls whose inner calls keep no gas back) succeed with exactly
        // the gas they used.
        call.gas = lo + 1
        if lo + 1 < hi, case .success = try await backend.execute(call) { return lo + 1 }
        lo += 1
        // geth's shortcut: most calls succeed with gas used × 64/63 (plus the stipend margin).
        let optimistic = min(hi, (lo + 2_300) * 64 / 63)
        if optimistic < hi {
            call.gas = optimistic
            if case .success = try await backend.execute(call) { hi = optimistic } else { lo = max(lo, optimistic) }
        }
        while lo + 1 < hi {
            // Stop when the interval is within 1.5% of the answer, as geth does.
            if Double(hi - lo) / Double(hi) < 0.015 { break }
            let mid = lo + (hi - lo) / 2
            call.gas = mid
            if case .success = try await backend.execute(call) { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Parses `[transaction, block?, stateOverrides?]` into the message to execute
    /// (debug_traceCall's third argument is its tracer options: `overridesAt: nil`).
    func prepareCall(_ params: RPCParams, overridesAt: Int? = 2) async throws -> RPCCall {
        let request = try CallRequest(params.required(0))
        let selector = try Self.stateSelector(params, at: 1)
        var overrides = RPCCallOverrides()
        if let index = overridesAt {
            if let state = params.optional(index) { try overrides.parseState(state) }
            if let block = params.optional(index + 1) { try overrides.parseBlock(block) }
        }
        if let chainID = request.chainID, chainID != backend.chainID {
            throw try params.required(0).invalid("chainId does not match node's (have=\(chainID), want=\(backend.chainID))")
        }
        let block = try await stateBlock(selector)
        var gas = request.gas ?? 0
        if request.gas == nil { gas = if let block { block.header.gasLimit } else { try await backend.callGasLimit() } }
        var cap = request.gasPrice ?? request.maxFeePerGas
        var tip = request.gasPrice ?? request.maxPriorityFeePerGas
        if cap == nil, tip != nil { cap = tip }
        if tip == nil, cap != nil { tip = cap }
        if let c = cap, c.isZero, tip?.isZero ?? true { cap = nil; tip = nil }  // zero fees: none given
        var call = RPCCall(from: request.from ?? .zero, to: request.to, gas: gas, maxFeePerGas: cap, maxPriorityFeePerGas: tip,
                       value: request.value, data: request.data, accessList: request.accessList,
                       pending: selector == .tag(.pending), block: block, overrides: overrides)
        call.authorizationList = request.authorizationList
        return call
    }

    /// geth's revert error: code 3, the reason of an `Error(string)` in the message, the
    /// revert bytes as data.
    static func revertError(_ output: [UInt8]) -> JSONRPCError {
        var message = "execution reverted"
        if let reason = revertReason(output) { message += ": \(reason)" }
        return JSONRPCError(code: 3, message: message, data: ChainJSON.data(output))
    }

    /// The string of ABI-encoded `Error(string)` revert data (selector 0x08c379a0), if it is one.
    static func revertReason(_ output: [UInt8]) -> String? { RevertData.reason(output) }
}

/// Revert data as Solidity and Vyper write it.
public enum RevertData {
    /// The string of ABI-encoded `Error(string)` revert data (selector 0x08c379a0), if it is one.
    public static func reason(_ output: [UInt8]) -> String? {
        guard output.count >= 68, output[0..<4] == [0x08, 0xc3, 0x79, 0xa0] else { return nil }
        guard let offset = U256(bigEndian: output[4..<36]).flatMap({ $0.uint64 }), offset == 32,
              let length = U256(bigEndian: output[36..<68]).flatMap({ $0.uint64 }), length <= UInt64(output.count - 68)
        else { return nil }
        return String(decoding: output[68..<(68 + Int(length))], as: UTF8.self)
    }
}
