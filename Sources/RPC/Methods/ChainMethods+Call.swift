import JSON
import Primitives

/// eth_call and eth_estimateGas, exact for what the engine executes: value transfers to
/// accounts without code, which use exactly their intrinsic gas and return no data. Contract
/// creations and calls to accounts with code answer -32000 "contract execution is not
/// supported yet" (the engine has no EVM).
///
/// Parameters: `[transaction, block?, stateOverrides?]`; the block must name the head (the
/// only state kept); state overrides are refused unless empty.
extension ChainMethods {
    /// A transfer returns no data: `0x`.
    func call(_ params: RPCParams) async throws -> JSONValue {
        _ = try await checkTransfer(params, estimating: false)
        return "0x"
    }

    /// A transfer's gas: its intrinsic gas (21,000 + calldata + access list).
    func estimateGas(_ params: RPCParams) async throws -> JSONValue {
        ChainJSON.quantity(try await checkTransfer(params, estimating: true))
    }

    /// Runs the engine's checks for a transfer against the head state and returns its gas,
    /// with geth's wording for each failure.
    func checkTransfer(_ params: RPCParams, estimating: Bool) async throws -> UInt64 {
        let request = try CallRequest(params.required(0))
        let selector = try Self.stateSelector(params, at: 1)
        if let overrides = params.optional(2), overrides.value != .object([:]) {
            throw overrides.invalid("state overrides are not supported")
        }
        if let chainID = request.chainID, chainID != backend.chainID {
            throw try params.required(0).invalid("chainId does not match node's (have=\(chainID), want=\(backend.chainID))")
        }
        try await requireHeadState(selector)
        let head = try await backend.headNumber()
        guard let header = try await backend.header(number: head) else { throw JSONRPCError.headerNotFound }

        guard let to = request.to else { throw JSONRPCError.contractExecutionUnsupported }
        if try await backend.account(to)?.hasCode == true { throw JSONRPCError.contractExecutionUnsupported }

        let intrinsic = request.intrinsicGas
        let allowance = request.gas ?? header.gasLimit
        if intrinsic > allowance {
            if estimating { throw JSONRPCError.server("gas required exceeds allowance (\(allowance))") }
            throw JSONRPCError.server("intrinsic gas too low: have \(allowance), want \(intrinsic)")
        }

        let from = request.from ?? .zero
        let balance = try await backend.account(from)?.balance ?? .zero
        if let feeCap = request.feeCap, !feeCap.isZero {
            let baseFee = header.baseFeePerGas ?? .zero
            if feeCap < baseFee {
                throw JSONRPCError.server(
                    "max fee per gas less than block base fee: address \(from.checksummed), maxFeePerGas: \(feeCap), baseFee: \(baseFee)")
            }
            let (gasCost, o1) = U256(request.gas ?? intrinsic).multipliedReportingOverflow(by: feeCap)
            let (required, o2) = gasCost.addingReportingOverflow(request.value)
            if o1 || o2 || balance < required {
                let want = o1 || o2 ? "more than 2^256" : required.decimal
                throw JSONRPCError.server(
                    "insufficient funds for gas * price + value: address \(from.checksummed) have \(balance) want \(want)")
            }
        } else if balance < request.value {
            throw JSONRPCError.server("insufficient funds for transfer: address \(from.checksummed)")
        }
        return intrinsic
    }
}
